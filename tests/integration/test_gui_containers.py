"""Containers in the window on the real test engine: `docker run`, `stop` and `rm` patch the
badges, the panel and the kernel picture without reloading the images; CPU and memory are
plotted for a container burning CPU and stay flat for an idle one; the plots keep their
history while the panel is hidden, and nothing is read meanwhile."""

from __future__ import annotations

import os
import statistics
import time
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from fromscratch.testing.dockerd import Dockerd

pytestmark = pytest.mark.integration
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
BUSY, IDLE = "fs-panel-busy", "fs-panel-idle"


def badge(window: Any, node: str) -> Any:
    item = window.view.tree.nodes.get(node)
    return item.badge if item is not None else None


def test_containers_are_patched_in_and_plotted(
    qtbot: QtBot, dockerd: Dockerd, engine_window: Any
) -> None:
    window = engine_window
    window.resize(1366, 768)
    window.show()  # a hidden window's panel reads nothing
    image = dockerd.build(
        "zoo/runner:1", "FROM scratch\nCOPY busybox /bin/busybox\n", buildkit=False
    )
    qtbot.waitUntil(lambda: image in window.session.opened.graph, timeout=60_000)
    qtbot.wait(1500)  # the build's own containers come and go; then it is quiet
    loads: list[Any] = []
    window.session.loaded.connect(loads.append)
    patches = window.containers.patches
    window.action("containers").trigger()  # View > Containers
    panel = window.containers.panel
    assert panel is not None and panel.isVisible()
    try:
        run = ("run", "-d", "--name")
        dockerd.docker(
            *run, BUSY, "zoo/runner:1", "/bin/busybox", "sh", "-c", "while :; do :; done"
        )
        dockerd.docker(*run, IDLE, "zoo/runner:1", "/bin/busybox", "sleep", "600")
        qtbot.waitUntil(
            lambda: badge(window, image) is not None and badge(window, image).running == 2,
            timeout=15_000,
        )
        assert loads == [] and window.containers.patches > patches  # patched, not reloaded
        rows = {row.name: row for row in panel.rows}
        assert {BUSY, IDLE} <= set(rows)
        assert rows[BUSY].state == "running" and rows[BUSY].node == image
        assert rows[BUSY].base == "zoo/runner:1"  # built FROM scratch: its own base
        # The kernel picture's boxes name the image each container runs.
        apps = [box.app for box in window.session.opened.picture.boxes]
        assert f"{BUSY} · zoo/runner:1" in apps, apps

        # Selecting the image on the tree shows its containers; selecting both plots them.
        window.select_node(image)
        assert {row.name for row in panel.shown} == {BUSY, IDLE}
        panel.table.selectAll()
        history = panel.plots.history
        ids = {row.name: row.id for row in panel.shown}
        qtbot.waitUntil(
            lambda: all(len(history.points(ids[n])) >= 5 for n in (BUSY, IDLE)), timeout=30_000
        )
        busy = [p.cpu for p in history.points(ids[BUSY]) if p.cpu is not None]
        idle = [p.cpu for p in history.points(ids[IDLE]) if p.cpu is not None]
        assert statistics.median(busy) > 50, busy  # a core, give or take a slow machine
        assert max(idle) < 5, idle
        assert all(p.memory > 0 for p in history.points(ids[IDLE]))
        panel.plots.redraw()
        assert BUSY in panel.plots.values.text() and "CPU" in panel.plots.values.text()

        # Hidden: no more readings, and the history is kept for when it shows again.
        kept = len(history.points(ids[BUSY]))
        window.action("containers").trigger()
        assert not panel.isVisible() and panel.plots.poller is None
        time.sleep(2.5)
        qtbot.wait(100)
        assert len(history.points(ids[BUSY])) == kept
        window.action("containers").trigger()
        qtbot.waitUntil(lambda: len(history.points(ids[BUSY])) > kept, timeout=15_000)
        curve = panel.plots._curves[ids[BUSY]][1]
        panel.plots.redraw()
        assert len(curve.xData) > kept  # the history before the pause, and after

        dockerd.docker("stop", "-t", "1", BUSY)
        qtbot.waitUntil(
            lambda: badge(window, image) is not None and badge(window, image).stopped == 1,
            timeout=15_000,
        )
        assert {r.name: r.state for r in panel.rows}[BUSY] == "exited"
    finally:
        dockerd.docker("rm", "-f", BUSY, IDLE)
    qtbot.waitUntil(lambda: badge(window, image) is None, timeout=15_000)
    assert loads == []  # every container change was a patch
    dockerd.docker("rmi", "zoo/runner:1")

"""Containers in the window on the real test engine: `docker run`, `stop` and `rm` patch the
badges, the panel and the kernel picture without reloading the images; CPU and memory are
plotted for a container burning CPU and stay flat for an idle one; the plots keep their
history while the panel is hidden, and nothing is read meanwhile."""

from __future__ import annotations

import os
import signal
import statistics
import time
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from tests.support.dockerd import Dockerd

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
    qtbot.waitUntil(lambda: image in window.controller.opened.graph, timeout=60_000)
    qtbot.wait(1500)  # the build's own containers come and go; then it is quiet
    loads: list[Any] = []
    window.controller.loaded.connect(loads.append)
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
        apps = [box.app for box in window.controller.opened.picture.boxes]
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
        shown = "\n".join(panel.plots.reading_lines())
        assert BUSY in shown and IDLE in shown and "CPU" in shown

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


def test_the_panel_outlives_an_engine_frozen_restarted_and_killed(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Frozen (SIGSTOP) and thawed: the window stays responsive and the plots go on. Stopped
    and started, and killed and started: the panel says it shows a recording meanwhile, reads
    nothing, and once the engine is back its rows are the engine's containers as they are."""
    from PySide6.QtCore import QTimer

    from fromscratch.gui.window.mainwindow import MainWindow
    from tests.gui.conftest import make_settings
    from tests.integration.conftest import private_dockerd

    with private_dockerd() as daemon:
        daemon.build("back/runner:1", "FROM scratch\nCOPY busybox /bin/busybox\n", buildkit=False)
        run = ("run", "-d", "--name")
        daemon.docker(
            *run, BUSY, "back/runner:1", "/bin/busybox", "sh", "-c", "while :; do :; done"
        )
        monkeypatch.setenv("DOCKER_HOST", daemon.url)
        monkeypatch.setenv("FROMSCRATCH_CACHE_DIR", str(tmp_path))
        window: Any = MainWindow(settings=make_settings())
        qtbot.addWidget(window)
        window.resize(1366, 768)
        window.show()
        with qtbot.waitSignal(window.arranged, timeout=30_000):
            pass
        session = window.controller
        qtbot.waitUntil(lambda: session.live.active, timeout=5_000)
        window.action("containers").trigger()
        panel = window.containers.panel
        panel.table.selectAll()
        (busy,) = [row.id for row in panel.rows if row.name == BUSY]
        history = panel.plots.history
        qtbot.waitUntil(lambda: len(history.points(busy)) >= 3, timeout=20_000)

        ticks: list[float] = []
        clock = QTimer()
        clock.timeout.connect(lambda: ticks.append(time.monotonic()))
        clock.start(100)
        daemon.kill(signal.SIGSTOP)
        qtbot.wait(4000)
        frozen_ticks = len(ticks)
        daemon.kill(signal.SIGCONT)
        assert frozen_ticks >= 25  # the window went on answering: no call on its thread
        before = len(history.points(busy))
        qtbot.waitUntil(lambda: len(history.points(busy)) > before + 2, timeout=30_000)
        clock.stop()

        def rows_match_engine() -> bool:
            listed = daemon.docker("ps", "-a", "--format", "{{.Names}} {{.State}}").split("\n")
            engine = dict(line.split(" ", 1) for line in listed if line.strip())
            return session.opened.source.live and {r.name: r.state for r in panel.rows} == engine

        for end in ("halt", "kill"):
            if end == "halt":
                daemon.halt()
            else:
                daemon.kill(signal.SIGKILL)
            qtbot.waitUntil(lambda: not session.opened.source.live, timeout=20_000)
            assert "not live" in panel.summary.text()
            assert panel.plots.poller is None or not panel.plots.poller.watching
            if end == "kill":
                daemon.halt()  # collects what the kill left
            daemon.start()
            qtbot.waitUntil(rows_match_engine, timeout=20_000)
        window.close()


def test_plotting_eight_containers_keeps_the_window_on_a_1366x768_screen(
    qtbot: QtBot, dockerd: Dockerd, engine_window: Any
) -> None:
    """A key line per container plotted grew the panel and the window to 786 px on a 768 px
    screen, and closing the panel kept that height."""
    window = engine_window
    window.resize(1366, 768)
    window.show()
    names = [f"fs-key-{n}" for n in range(8)]
    window.action("containers").trigger()
    panel = window.containers.panel
    try:
        for name in names:
            dockerd.docker(
                "run", "-d", "--name", name, "zoo/base:classic", "/bin/busybox", "sleep", "600"
            )
        qtbot.waitUntil(lambda: {r.name for r in panel.rows} >= set(names), timeout=20_000)
        window.clear_selection()
        panel.table.selectAll()
        qtbot.waitUntil(lambda: len(panel.plots.reading_lines()) == 8, timeout=30_000)
        qtbot.wait(300)
        # What the window must be at least: a real window manager grows it to this.
        assert window.minimumSizeHint().height() <= 768, window.minimumSizeHint()
        assert window.height() <= 768, window.height()
        area = panel.plots.key_area
        assert area.isVisible() and area.height() <= area.maximumHeight()
        window.action("containers").trigger()  # closed: the space comes back
        qtbot.wait(200)
        assert window.height() <= 768 and window.view.height() > 500
    finally:
        dockerd.docker("rm", "-f", *names)


def test_the_images_tab_removes_what_it_lists_and_says_what_was_freed(
    qtbot: QtBot, dockerd: Dockerd, engine_window: Any
) -> None:
    """Clean-up from the window: the plan the dialog lists is what goes, and the engine's own
    freed bytes are said beside the predicted ones, equal on overlay2."""
    from fromscratch.core.graph.tree import find
    from fromscratch.gui.window.tabs import IMAGES_TAB

    window = engine_window
    tag = f"fs-clean/one:{os.getpid()}"
    dockerd.build(
        tag,
        "FROM scratch\nCOPY busybox /bin/busybox\nCOPY once.txt /x\n",
        buildkit=True,
        files={"once.txt": b"x" * 50_000},
    )
    qtbot.waitUntil(lambda: find(window.controller.opened.graph, tag) is not None, timeout=30_000)
    window.show()  # the table fills while it shows
    window.show_tab(IMAGES_TAB)
    images = window.tabs.images
    node = find(window.controller.opened.graph, tag)
    window.select_node(node)
    qtbot.waitUntil(lambda: images.chosen() == node, timeout=10_000)  # rows made in a worker
    assert images.chosen() == node and images.remove_one.isEnabled()
    from fromscratch.gui.window.cleanup import CleanUp

    cleanup = window.findChild(CleanUp)
    plan = cleanup.plan("image", node)
    assert [i.id for i in plan.images] == [node] and plan.frees == 50_000  # its own file
    cleanup.run(plan, with_containers=False)
    qtbot.waitUntil(lambda: cleanup.last is not None, timeout=30_000)
    _plan, outcome = cleanup.last
    assert outcome.removed == (node,) and outcome.engine_freed == plan.frees
    qtbot.waitUntil(lambda: find(window.controller.opened.graph, tag) is None, timeout=30_000)
    qtbot.waitUntil(lambda: all(r.node != node for r in images.rows), timeout=30_000)

"""Live updates: a change on the engine shows in the open window without a reload."""

from __future__ import annotations

import os
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from tests.support.dockerd import Dockerd

pytestmark = pytest.mark.integration
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def test_tag_and_remove_show_up_live(qtbot: QtBot, dockerd: Dockerd, engine_window: Any) -> None:
    window = engine_window
    assert window.status.source.text().endswith("· live")
    qtbot.waitUntil(lambda: window.controller.live.active, timeout=5_000)

    def tags() -> set[str]:
        return {t for a in window.controller.shown.nodes.values() for t in a["tags"]}

    seen: list[str] = []
    window.controller.live.event_seen.connect(lambda kind, action: seen.append(f"{kind} {action}"))
    window.arranged.connect(lambda: seen.append("arranged"))
    dockerd.docker("tag", "zoo/base:bk", "zoo/live:1")
    qtbot.waitUntil(lambda: "zoo/live:1" in tags(), timeout=20_000)
    assert "image tag" in seen
    dockerd.docker("rmi", "zoo/live:1")
    qtbot.waitUntil(lambda: "zoo/live:1" not in tags(), timeout=20_000)
    window.close()
    assert not window.controller.live.active  # the watcher thread ended with the window


def test_the_window_stays_consistent_while_the_engine_churns(
    qtbot: QtBot, dockerd: Dockerd, engine_window: Any
) -> None:
    """Tags, builds and removals every ~0.2 s from another thread while the user selects,
    filters, collapses and searches: no slot raises (pytest-qt fails the test), and once the
    engine is quiet the window shows exactly the engine's images."""
    import random
    import threading
    import time

    window = engine_window
    qtbot.waitUntil(lambda: window.controller.live.active, timeout=5_000)
    stop = threading.Event()
    failures: list[str] = []

    def churn() -> None:
        rng, n = random.Random(3), 0
        while not stop.is_set():
            n += 1
            try:
                kind = rng.choice(["tag", "rmi", "build"])
                if kind == "tag":
                    dockerd.docker("tag", "zoo/base:bk", f"churn/t{n}:x")
                elif kind == "build":
                    dockerd.build(
                        f"churn/b{n}:x",
                        f"FROM scratch\nCOPY busybox /bin/busybox\nLABEL n={n}\n",
                        buildkit=False,
                    )
                else:
                    listed = dockerd.docker("image", "ls", "--format", "{{.Repository}}:{{.Tag}}")
                    mine = [t for t in listed.split() if t.startswith("churn/")]
                    if mine:
                        dockerd.docker("rmi", rng.choice(mine))
            except RuntimeError as exc:  # a tag removed between list and rmi: fine
                failures.append(str(exc))
            time.sleep(0.2)

    worker = threading.Thread(target=churn)
    worker.start()
    rng = random.Random(11)

    def some_node() -> str:
        return rng.choice(list(window.view.tree.nodes))

    actions = [
        lambda: window.select_node(some_node()),
        window.clear_selection,
        lambda: window.controller.toggle_collapse(some_node()),
        window.controller.expand_all,
        window.action("dangling").trigger,
        window.action("intermediates").trigger,
        window.action("focus").trigger,
        lambda: window.view.zoom(rng.choice([0.5, 2.0])),
        lambda: (window.search.setText("churn"), window.search.returnPressed.emit()),
    ]
    try:
        deadline = time.monotonic() + 12
        while time.monotonic() < deadline:
            rng.choice(actions)()
            qtbot.wait(40)
    finally:
        stop.set()
        worker.join(30)
    try:
        expected = set(dockerd.docker("image", "ls", "-a", "-q", "--no-trunc").split())
        qtbot.waitUntil(
            lambda: (
                window.controller.opened is not None
                and {i.id for i in window.controller.opened.inventory.images} == expected
            ),
            timeout=30_000,
        )
        assert len(failures) < 5, failures
    finally:  # the session's engine goes back to the zoo for the other tests
        listed = dockerd.docker("image", "ls", "--format", "{{.Repository}}:{{.Tag}}")
        mine = [t for t in listed.split() if t.startswith("churn/")]
        if mine:
            dockerd.docker("rmi", *mine)

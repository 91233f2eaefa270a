"""The window on the real test engine: live labels, Prove it, and the FROM-scratch example
appearing in the tree as a child of scratch."""

from __future__ import annotations

import os
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from fromscratch.core.evidence.scratch import HELLO_TAG
from tests.support.dockerd import Dockerd

pytestmark = pytest.mark.integration
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def test_live_evidence_from_the_window(qtbot: QtBot, dockerd: Dockerd, engine_window: Any) -> None:
    window = engine_window
    assert window.controller.opened is not None and window.controller.opened.kind == "engine"
    host = window.controller.opened.inventory.engine.kernel_version
    kernel = window.kernel
    assert host in kernel.kernel_note.text() and "live from the engine" in kernel.kernel_note.text()
    assert kernel.prove.isEnabled()
    kernel.prove.click()
    qtbot.waitUntil(
        lambda: "uname -r" in kernel.result.text() and "says" in kernel.result.text(),
        timeout=30_000,
    )
    assert kernel.result.text().count(host) == 2, kernel.result.text()
    assert "the same kernel" in kernel.result.text()
    # It runs in the selected image, and says so (it used to pick any local image).
    from fromscratch.core.graph.tree import find

    chosen = find(window.controller.opened.graph, "zoo/app:classic")
    window.select_node(chosen)
    window.show_tab(1)
    kernel.prove.click()
    qtbot.waitUntil(lambda: "(the selected image)" in kernel.result.text(), timeout=30_000)
    assert "zoo/app:classic</b> (the selected image)" in kernel.result.text()
    kernel.contents.click()
    qtbot.waitUntil(lambda: "no kernel in this image" in kernel.result.text(), timeout=30_000)
    assert kernel.chart is not None and kernel.chart.labels
    # What the files hold stays known after a reload (it went back to "typically ...").
    with qtbot.waitSignal(window.controller.loaded, timeout=60_000):
        window.controller.reload()
    opened = window.controller.opened
    assert opened is not None and opened.inventory.contents
    from fromscratch.core.story.picture import lowest_image

    read = set(opened.inventory.contents)
    boxes = [b for b in opened.picture.boxes if lowest_image(opened.graph, b.node) in read]
    assert boxes and all(not b.holds.startswith("typically") for b in boxes), boxes

    def shown_hello() -> list[str]:
        shown = window.controller.shown
        return [n for n, a in shown.nodes(data=True) if HELLO_TAG in a["tags"]] if shown else []

    kernel.build.click()  # builds, then the window reloads the engine
    qtbot.waitUntil(lambda: "Hello from scratch!" in kernel.result.text(), timeout=60_000)
    # Live events reload the window too (the evidence runs made and removed containers): wait
    # for the tree that has the new image, not for the first reload that lands.
    qtbot.waitUntil(lambda: bool(shown_hello()), timeout=60_000)
    (node,) = shown_hello()
    assert list(window.controller.shown.predecessors(node)) == ["scratch"]
    window.files.remove_example()
    qtbot.waitUntil(lambda: not shown_hello(), timeout=60_000)


def test_evidence_clicked_in_any_order_leaves_nothing_behind(
    qtbot: QtBot, dockerd: Dockerd, engine_window: Any
) -> None:
    """The three buttons pressed at random while the story steps, the tab changes and the
    engine reloads: no slot raises (pytest-qt fails the test), no dialog, and once quiet no
    container is left on the engine and no example image unless the last build made one."""
    import random
    import time

    from PySide6.QtWidgets import QMessageBox

    window = engine_window
    kernel = window.kernel
    dialogs: list[str] = []
    original = QMessageBox.warning
    QMessageBox.warning = staticmethod(lambda *args, **kw: dialogs.append(str(args[1:3])))
    rng = random.Random(5)
    actions = [
        kernel.prove.click,
        kernel.contents.click,
        kernel.build.click,
        lambda: kernel.show_step(rng.randrange(8)),
        lambda: window.show_tab(rng.choice([0, 1])),
        window.controller.reload,
    ]
    try:
        deadline = time.monotonic() + 12
        while time.monotonic() < deadline:
            rng.choice(actions)()
            qtbot.wait(150)
        from PySide6.QtCore import QThreadPool

        assert QThreadPool.globalInstance().waitForDone(90_000)  # cancelled runs end too
        qtbot.wait(200)  # their last queued signals
    finally:
        QMessageBox.warning = original
    assert dialogs == []
    assert dockerd.docker("ps", "-a", "-q").split() == []  # every container removed
    with qtbot.waitSignal(window.arranged, timeout=60_000):
        window.files.remove_example()

"""The window on the real test engine: live labels, Prove it, and the FROM-scratch example
appearing in the tree as a child of scratch."""

from __future__ import annotations

import os
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from core.evidence import HELLO_TAG
from tests.integration.dockerd import Dockerd

pytestmark = pytest.mark.integration
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def test_live_evidence_from_the_window(qtbot: QtBot, dockerd: Dockerd, engine_window: Any) -> None:
    window = engine_window
    assert window.opened is not None and window.opened.kind == "engine"
    host = window.opened.inventory.engine.kernel_version
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
    kernel.contents.click()
    qtbot.waitUntil(lambda: "no kernel in this image" in kernel.result.text(), timeout=30_000)
    assert kernel.chart is not None and kernel.chart.labels
    with qtbot.waitSignal(window.arranged, timeout=60_000):
        kernel.build.click()  # builds, then the window reloads the engine
    qtbot.waitUntil(lambda: "Hello from scratch!" in kernel.result.text(), timeout=30_000)
    node = next(n for n, a in window.shown.nodes(data=True) if HELLO_TAG in a["tags"])
    assert list(window.shown.predecessors(node)) == ["scratch"]
    with qtbot.waitSignal(window.arranged, timeout=60_000):
        window.files.remove_example()
    assert not any(HELLO_TAG in a["tags"] for a in window.shown.nodes.values())

"""Live updates: a change on the engine shows in the open window without a reload."""

from __future__ import annotations

import os
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from tests.integration.dockerd import Dockerd

pytestmark = pytest.mark.integration
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def test_tag_and_remove_show_up_live(qtbot: QtBot, dockerd: Dockerd, engine_window: Any) -> None:
    window = engine_window
    assert window.source.text().endswith("· live")
    qtbot.waitUntil(lambda: window.live.active, timeout=5_000)

    def tags() -> set[str]:
        return {t for a in window.shown.nodes.values() for t in a["tags"]}

    seen: list[str] = []
    window.live.event_seen.connect(lambda kind, action: seen.append(f"{kind} {action}"))
    window.arranged.connect(lambda: seen.append("arranged"))
    dockerd.docker("tag", "zoo/base:bk", "zoo/live:1")
    qtbot.waitUntil(lambda: "zoo/live:1" in tags(), timeout=20_000)
    assert "image tag" in seen
    dockerd.docker("rmi", "zoo/live:1")
    qtbot.waitUntil(lambda: "zoo/live:1" not in tags(), timeout=20_000)
    window.close()
    assert not window.live.active  # the watcher thread ended with the window

"""Live updates (gui.window.live): a burst of container events gives one re-listing of the
containers, an image event one reload (which lists the containers too), exec and health
events nothing."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from fromscratch.gui.window.live import LiveUpdates


def test_events_are_routed_and_debounced(qtbot: QtBot) -> None:
    live = LiveUpdates()
    containers: list[bool] = []
    reloads: list[bool] = []
    live.containers_changed.connect(lambda: containers.append(True))
    live.reload_needed.connect(lambda: reloads.append(True))
    for action in ("kill", "die", "destroy"):  # `docker rm -f`
        live.event_seen.emit("container", action)
    qtbot.waitUntil(lambda: containers == [True], timeout=2_000)
    qtbot.wait(300)
    assert containers == [True] and reloads == []  # once, and no reload
    live.event_seen.emit("container", "exec_start: sh")
    live.event_seen.emit("container", "health_status: healthy")
    qtbot.wait(400)
    assert containers == [True] and reloads == []
    live.event_seen.emit("container", "start")
    live.event_seen.emit("image", "tag")  # the reload lists the containers too
    qtbot.waitUntil(lambda: reloads == [True], timeout=2_000)
    qtbot.wait(300)
    assert containers == [True]
    live.stop()

"""A task that ends after what it reports to was deleted (a closed window) calls nothing: its
callbacks run only while their owner lives."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject
from pytestqt.qtbot import QtBot
from shiboken6 import delete

from fromscratch.core.task import TaskContext
from fromscratch.gui import tasks


def test_callbacks_run_only_while_their_owner_lives(qtbot: QtBot) -> None:
    release = threading.Event()
    called: list[object] = []

    def work(_context: TaskContext) -> int:
        release.wait(5)
        return 7

    owner = QObject()
    gone = tasks.run(work, done=lambda out: called.append(("gone", out)), owner=owner)
    delete(owner)  # the window closed while the task ran
    alive = QObject()
    kept = tasks.run(work, done=lambda out: called.append(("kept", out)), owner=alive)
    release.set()
    qtbot.waitUntil(lambda: ("kept", 7) in called, timeout=5000)
    qtbot.wait(50)  # the other task's answer, queued too, has been delivered by now
    assert called == [("kept", 7)]
    assert gone is not kept


def test_a_task_cancelled_after_it_reported_delivers_nothing(qtbot: QtBot) -> None:
    """Its result already queued to the GUI thread when the GUI thread cancels it: stale, so
    never delivered (a search's tree was replaced by the older, unfiltered one)."""
    from PySide6.QtCore import QThreadPool

    called: list[str] = []
    stale = tasks.run(lambda _context: "old", done=called.append)
    fresh = tasks.run(lambda _context: "new", done=called.append)
    assert QThreadPool.globalInstance().waitForDone(5000)  # both reported, nothing delivered
    assert called == []
    stale.cancel()  # as a newer request does, on the GUI thread
    qtbot.waitUntil(lambda: called == ["new"], timeout=5000)
    qtbot.wait(50)
    assert called == ["new"]
    assert fresh is not stale

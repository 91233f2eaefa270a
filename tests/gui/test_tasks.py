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

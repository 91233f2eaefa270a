"""Running blocking core calls on the Qt thread pool; only immutable results cross threads."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)


class TaskSignals(QObject):
    """Queued to the GUI thread: progress (done, total), the result, or the failure."""

    progress = Signal(int, int)
    done = Signal(object)
    failed = Signal(object)


class Task(QRunnable):
    """`fn(*args, progress=..., cancel=...)` in a pool thread; cancel with :meth:`cancel`."""

    def __init__(self, fn: Callable[..., Any], *args: Any) -> None:
        super().__init__()
        self.signals = TaskSignals()
        self.cancel_event = threading.Event()
        self._fn, self._args = fn, args

    def cancel(self) -> None:
        self.cancel_event.set()

    def run(self) -> None:
        try:
            out = self._fn(
                *self._args, progress=self.signals.progress.emit, cancel=self.cancel_event
            )
        except Exception as exc:
            log.debug("task failed", exc_info=True)
            if not self.cancel_event.is_set():
                self.signals.failed.emit(exc)
        else:
            if not self.cancel_event.is_set():
                self.signals.done.emit(out)


def start(task: Task) -> Task:
    QThreadPool.globalInstance().start(task)
    return task


def shutdown(tasks: list[Task], msecs: int = 3000) -> bool:
    """Cancel and wait (on quit); False when some task is still running."""
    for task in tasks:
        task.cancel()
    return QThreadPool.globalInstance().waitForDone(msecs)

"""Running core tasks (core.task) on the Qt thread pool; only immutable results cross threads.

`run(task, done=..., failed=...)` is the one way the GUI starts blocking work: the task gets a
context whose progress is queued to the GUI thread and whose cancel flag the returned
:class:`Worker` sets.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from shiboken6 import isValid

from fromscratch.core.task import Task, TaskContext

log = logging.getLogger(__name__)
T = TypeVar("T")


class WorkerSignals(QObject):
    """Queued to the GUI thread: progress (done, total), the result, or the failure."""

    progress = Signal(int, int)
    done = Signal(object)
    failed = Signal(object)


class Worker(QRunnable):
    """One task in a pool thread; :meth:`cancel` asks it to stop, and a cancelled task reports
    nothing (its result would be stale)."""

    def __init__(self, task: Task[Any]) -> None:
        super().__init__()
        self.signals = WorkerSignals()
        self.cancel_event = threading.Event()
        self._task = task

    def cancel(self) -> None:
        self.cancel_event.set()

    def run(self) -> None:
        context = TaskContext(self.signals.progress.emit, self.cancel_event)
        try:
            out = self._task(context)
        except Exception as exc:
            log.debug("task failed", exc_info=True)
            if not self.cancel_event.is_set():
                self.signals.failed.emit(exc)
        else:
            if not self.cancel_event.is_set():
                self.signals.done.emit(out)


def _delivered(
    worker: Worker, owner: QObject | None, callback: Callable[..., object]
) -> Callable[..., None]:
    """`callback`, called on the GUI thread only while the task is not cancelled and `owner`
    lives. The worker checks its flag before it reports, but a task that ends just before
    the GUI thread cancels it has its report already queued: checked again here, on the
    thread that cancels, a stale result is never shown (the Files tab showed a search's
    unfiltered tree when the older tree arrived second). And a task that ends after its
    window was closed (a test's, or the user's) must not call into what was deleted: a
    closure has no receiver for Qt to disconnect when the owner goes."""

    def call(*args: object) -> None:
        if not worker.cancel_event.is_set() and (owner is None or isValid(owner)):
            callback(*args)

    return call


def run(
    task: Task[T],
    *,
    done: Callable[[T], object] | None = None,
    failed: Callable[[BaseException], object] | None = None,
    progress: Callable[[int, int], object] | None = None,
    owner: QObject | None = None,
) -> Worker:
    """Start `task` in the pool; `done`, `failed` and `progress` are called on the GUI thread,
    and only while `owner` (what they call into) is alive."""
    worker = Worker(task)
    if done is not None:
        worker.signals.done.connect(_delivered(worker, owner, done))
    if failed is not None:
        worker.signals.failed.connect(_delivered(worker, owner, failed))
    if progress is not None:
        worker.signals.progress.connect(_delivered(worker, owner, progress))
    QThreadPool.globalInstance().start(worker)
    return worker


def shutdown(workers: list[Worker], msecs: int = 3000) -> bool:
    """Cancel and wait (on quit); False when some task is still running."""
    for worker in workers:
        worker.cancel()
    return QThreadPool.globalInstance().waitForDone(msecs)

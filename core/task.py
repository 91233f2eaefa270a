"""Long-running work and whoever runs it: one context carrying progress and cancellation.

A task is any callable taking a :class:`TaskContext` (`Task[T]`): loading an engine, opening a
file, gathering evidence. The window runs tasks in a worker pool (gui.tasks); the CLI calls
them directly with a default context.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeAlias, TypeVar

T = TypeVar("T")

Progress = Callable[[int, int], None]
"""Called with (done, total) as work advances."""


class Cancelled(Exception):
    """The caller asked the work to stop (a newer reload, or the app is quitting)."""


def _no_progress(done: int, total: int) -> None:
    """The default: nobody is watching."""


class TaskContext:
    """What a task gets from whoever runs it: `progress(done, total)`, and `cancel`, which the
    runner sets to make the task stop at its next check."""

    __slots__ = ("cancel", "progress")

    def __init__(
        self, progress: Progress = _no_progress, cancel: threading.Event | None = None
    ) -> None:
        self.progress = progress
        self.cancel = cancel if cancel is not None else threading.Event()

    @property
    def cancelled(self) -> bool:
        return self.cancel.is_set()

    def check(self) -> None:
        """Raise :class:`Cancelled` when the runner asked the task to stop."""
        if self.cancel.is_set():
            raise Cancelled


Task: TypeAlias = Callable[[TaskContext], T]
"""Work that runs with a context and returns a T."""

"""The disk figures (core.disk.usage) of what is open, computed in a worker the first time
something needs them after a load (the details dock, the size mode), never at start-up: they
cost about what the lineage does."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from fromscratch.gui import tasks

if TYPE_CHECKING:
    from fromscratch.core.disk.usage import DiskUsage
    from fromscratch.core.graph.tree import Tree
    from fromscratch.core.task import TaskContext
    from fromscratch.gui.window.controller import Controller


class DiskFigures(QObject):
    """`ready` fires when the figures of the open data are in :attr:`usage`."""

    ready = Signal()

    def __init__(self, controller: Controller) -> None:
        super().__init__(controller)
        self.controller = controller
        self.usage: DiskUsage | None = None
        self._graph: Tree | None = None
        """The graph `usage` (or the running task) is for."""
        self._worker: tasks.Worker | None = None

    def current(self) -> DiskUsage | None:
        """The figures of what is open, if computed; else None (and they are asked for)."""
        opened = self.controller.opened
        if opened is None:
            return None
        if self._graph is opened.graph:
            return self.usage
        self.usage = None
        self._graph = graph = opened.graph
        if self._worker is not None:
            self._worker.cancel()

        def work(context: TaskContext) -> DiskUsage:
            from fromscratch.core.disk.usage import disk_usage

            return disk_usage(graph)

        self._worker = tasks.run(work, done=lambda usage: self._done(graph, usage), owner=self)
        return None

    def _done(self, graph: Tree, usage: DiskUsage) -> None:
        if graph is not self._graph:
            return  # figures of data no longer open
        self.usage = usage
        self._worker = None
        self.ready.emit()

    def stop(self) -> None:
        if self._worker is not None:
            self._worker.cancel()

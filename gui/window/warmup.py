"""What the first selection needs (pyqtgraph for the size chart, ~0.2 s), imported in a worker
once the first tree is on screen: the first click then answers like the next ones (measured
on the sample: 266 ms cold, 22 ms warm)."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from fromscratch.gui import tasks

if TYPE_CHECKING:
    from fromscratch.core.task import TaskContext

AFTER_MS = 400
"""After the first tree is on screen, this long."""
FIRST_SELECTION_MODULES = (
    "html",
    "fromscratch.core.graph.details",
    "fromscratch.gui.details.sizechart",
)


def warm_up() -> None:
    def work(_context: TaskContext) -> None:
        for name in FIRST_SELECTION_MODULES:
            importlib.import_module(name)

    tasks.run(work)  # closing the window waits for the pool, this one too

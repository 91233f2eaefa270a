"""A file the user chose: a snapshot, or `docker image inspect` output."""

from __future__ import annotations

from fromscratch.core.formats.inventory import Inventory
from fromscratch.core.formats.snapshot import ARCHIVE_SOURCE, load
from fromscratch.core.session.source import Loaded, SourceKind
from fromscratch.core.task import TaskContext


def describe_file(what: str, path: str, inventory: Inventory) -> str:
    """`snapshot PATH of ENGINE, captured WHEN — N images`, or `docker save archive PATH — N
    images`."""
    if inventory.source.startswith(ARCHIVE_SOURCE):
        return f"{inventory.source} — {inventory.counted()}"
    origin = f" of {inventory.source}" if inventory.source and inventory.source != path else ""
    when = f", captured {inventory.captured}" if inventory.captured else ""
    return f"{what} {path}{origin}{when} — {inventory.counted()}"


class FileSource:
    kind = SourceKind.SNAPSHOT
    live = False
    name = "a file"

    def __init__(self, path: str) -> None:
        self.path = path

    def loading(self) -> str:
        return f"opening {self.path}…"

    def describe(self, inventory: Inventory) -> str:
        return describe_file("snapshot", self.path, inventory)

    def load(self, context: TaskContext) -> Loaded:
        """Raises SnapshotError (one line naming the file) for anything it cannot read."""
        return Loaded(load(self.path))

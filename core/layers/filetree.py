"""An image's files as the Files view shows them: a tree of folders with their total sizes,
each entry with the layer and the image in the tree that wrote it, narrowed to what a filter
keeps (its own files, one layer's changes, the files written more than once) and a search,
with the folders that lead to what is kept. Made in a worker: the view only shows rows."""

from __future__ import annotations

import posixpath
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from fromscratch.core.layers.diff import Change, path_changes
from fromscratch.core.layers.entries import Entry, EntryType, opaque_folder, whiteout_of
from fromscratch.core.layers.merged import Placed, merge
from fromscratch.core.layers.tarindex import LayerIndex


class Shown(StrEnum):
    ALL = "all"
    """Every file of the image (its layers merged)."""
    OWN = "own"
    """The files its own layers wrote last."""
    LAYER = "layer"
    """One layer's entries: added, changed, removed, as its tar holds them."""
    WASTED = "wasted"
    """Paths written in more than one layer."""
    COMPARED = "compared"
    """What differs from its parent's files (or another image's): added, changed, removed."""


class Mark(StrEnum):
    ADDED = "added"
    CHANGED = "changed"
    REMOVED = "removed"
    EMPTIED = "emptied"
    """An opaque marker: the layers below lose what they held in this folder."""


COMPARED_MARKS = {
    Change.ADDED: Mark.ADDED,
    Change.CHANGED: Mark.CHANGED,
    Change.REMOVED: Mark.REMOVED,
}


@dataclass(slots=True)
class FileRow:
    name: str
    path: str
    parent: int
    """Row number of its folder; -1 at the top."""
    entry: Entry | None
    """None for a folder that is there only to hold what is shown (no entry of its own)."""
    layer: int
    """The layer that wrote it (0 = the bottom); -1 for a folder without an entry."""
    total: int = 0
    """A file's bytes; a folder's: the bytes of every file shown under it."""
    children: list[int] = field(default_factory=list)
    mark: Mark | None = None
    writes: int = 1
    """How many layers wrote this path."""

    @property
    def is_folder(self) -> bool:
        return self.entry is None or self.entry.type == EntryType.DIR


@dataclass(slots=True)
class FileTree:
    rows: list[FileRow]
    top: list[int]
    files: int
    folders: int
    bytes: int


def _changes(layers: Sequence[LayerIndex], number: int) -> dict[str, tuple[Entry, Mark]]:
    below = merge(layers[:number])
    out: dict[str, tuple[Entry, Mark]] = {}
    for entry in layers[number].entries:
        target = whiteout_of(entry.path)
        folder = opaque_folder(entry.path)
        if target is not None:
            gone = below.get(target)
            out[target] = (gone.entry if gone else entry, Mark.REMOVED)
        elif folder is not None:
            if folder:
                kept = below.get(folder)
                out[folder] = (kept.entry if kept else entry, Mark.EMPTIED)
        else:
            out[entry.path] = (entry, Mark.CHANGED if entry.path in below else Mark.ADDED)
    return out


def file_tree(
    layers: Sequence[LayerIndex],
    shown: Shown = Shown.ALL,
    *,
    own_from: int = 0,
    layer: int = 0,
    search: str = "",
    against: Sequence[LayerIndex] | None = None,
) -> FileTree:
    """The tree for `shown` (`layer` counts from 0 at the bottom, for LAYER; COMPARED with
    the layers below `own_from`, its parent's, or with another image's, `against`); `search`
    keeps the paths holding it (any case) and the folders that lead to them."""
    picked: dict[str, tuple[Entry, int, Mark | None, int]] = {}
    if shown == Shown.LAYER:
        for path, (entry, change) in _changes(layers, layer).items():
            picked[path] = (entry, layer, change, 1)
    elif shown == Shown.COMPARED:
        after = merge(layers)
        before = layers[:own_from] if against is None else against
        for item in path_changes(before, layers):
            kept = item.after or item.before
            assert kept is not None
            placed = after.get(item.path)
            number = placed.layer if placed else -1  # removed: no layer of this image
            picked[item.path] = (kept, number, COMPARED_MARKS[item.change], 1)
    else:
        merged: dict[str, Placed] = merge(layers)
        for path, placed in merged.items():
            writes = len(placed.earlier) + 1
            if shown == Shown.OWN and placed.layer < own_from:
                continue
            if shown == Shown.WASTED and (writes < 2 or placed.entry.type == EntryType.DIR):
                continue
            picked[path] = (placed.entry, placed.layer, None, writes)
    if search:
        needle = search.casefold()
        picked = {p: v for p, v in picked.items() if needle in p.casefold()}
    rows: list[FileRow] = []
    index: dict[str, int] = {}

    def row_of(path: str) -> int:
        """The path's row, made with the folders leading to it (iteratively: a path may
        have thousands of parts)."""
        missing = []
        while path and path not in index:
            missing.append(path)
            path = posixpath.dirname(path)
        parent = index[path] if path else -1
        for part in reversed(missing):
            index[part] = len(rows)
            rows.append(FileRow(posixpath.basename(part), part, parent, None, -1))
            if parent >= 0:
                rows[parent].children.append(index[part])
            parent = index[part]
        return parent

    for path in sorted(picked):
        found, number, marked, writes = picked[path]
        row = rows[row_of(path)]
        row.entry, row.layer, row.mark, row.writes = found, number, marked, writes
        if found.type != EntryType.DIR and marked != Mark.REMOVED:
            row.total = found.size
    for number in range(len(rows) - 1, -1, -1):  # children come after their folder
        parent = rows[number].parent
        if parent >= 0:
            rows[parent].total += rows[number].total
    for row in rows:  # folders first, then by name
        row.children.sort(key=lambda n: (not rows[n].is_folder, rows[n].name))
    top = sorted(
        (n for n, row in enumerate(rows) if row.parent < 0),
        key=lambda n: (not rows[n].is_folder, rows[n].name),
    )
    files = sum(1 for row in rows if not row.is_folder)
    return FileTree(rows, top, files, len(rows) - files, sum(rows[n].total for n in top))

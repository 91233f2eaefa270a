"""An image's filesystem: its layers applied bottom to top as the OCI image spec and the
engine apply them. A whiteout removes a path (and all under it) of the layers below; an opaque
marker hides what the layers below hold in its folder; a non-folder written over a folder
replaces it and everything in it. Each path keeps the layer that last wrote it and the
earlier layers that wrote it too (what dive calls duplicated)."""

from __future__ import annotations

import posixpath
from collections.abc import Sequence
from typing import NamedTuple

import msgspec

from fromscratch.core.layers.entries import Entry, EntryType, opaque_folder, whiteout_of
from fromscratch.core.layers.tarindex import LayerIndex


class Placed(NamedTuple):
    entry: Entry
    layer: int
    """The layer that last wrote it, 0 for the bottom one."""
    earlier: tuple[int, ...]
    """Lower layers that wrote this path too, bottom first (their copies are hidden)."""


def _under(path: str, gone: set[str]) -> bool:
    """Whether `path` or one of its folders is in `gone` ("" stands for the root)."""
    if "" in gone:
        return True
    while path:
        if path in gone:
            return True
        path = posixpath.dirname(path)
    return False


def _link_targets(layer: LayerIndex) -> dict[str, Entry]:
    """The files hard links of `layer` name (none looked up in a layer without links)."""
    targets = {e.link for e in layer.entries if e.type == EntryType.HARDLINK}
    if not targets:
        return {}
    return {e.path: e for e in layer.entries if e.path in targets and e.type == EntryType.FILE}


def merge(layers: Sequence[LayerIndex]) -> dict[str, Placed]:
    """Path -> what the image holds there, after every layer of `layers` (bottom first)."""
    merged: dict[str, Placed] = {}
    for number, layer in enumerate(layers):
        merged = apply(merged, number, layer)
    return merged


def apply(merged: dict[str, Placed], number: int, layer: LayerIndex) -> dict[str, Placed]:
    """`merged` with layer `number` applied on top (`merged` itself may be changed): for a
    reader that needs each step, as the waste figures do, without merging again each time."""
    removed: set[str] = set()
    emptied: set[str] = set()
    for entry in layer.entries:
        target = whiteout_of(entry.path)
        if target is not None:
            removed.add(target)
            continue
        folder = opaque_folder(entry.path)
        if folder is not None:
            emptied.add(folder)
            continue
        before = merged.get(entry.path)
        if before is not None and before.entry.type == EntryType.DIR != entry.type:
            removed.add(entry.path)  # a file over a folder: the folder goes whole
    if removed or emptied:
        merged = {
            path: placed
            for path, placed in merged.items()
            if not _under(path, removed)
            and not (path not in emptied and _under(posixpath.dirname(path), emptied))
        }
    files = _link_targets(layer)
    for entry in layer.entries:
        if whiteout_of(entry.path) is not None or opaque_folder(entry.path) is not None:
            continue
        if entry.type == EntryType.HARDLINK and entry.link in files:
            # A hard link holds its target's bytes as the layer wrote them (a later layer
            # that rewrites the target copies it up: the link keeps the old bytes).
            entry = msgspec.structs.replace(entry, size=files[entry.link].size)
        before = merged.get(entry.path)
        earlier = () if before is None else (*before.earlier, before.layer)
        merged[entry.path] = Placed(entry, number, earlier)
    return merged

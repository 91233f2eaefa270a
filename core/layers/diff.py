"""What differs between two images' filesystems: paths added, removed and changed (type, size,
mode, owner, link target, time written), the layers they share, and how their configs and
build steps differ. By default an image against its parent in the tree: what it added."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import NamedTuple

from fromscratch.core.formats.inventory import Image
from fromscratch.core.layers.entries import Entry
from fromscratch.core.layers.merged import merge
from fromscratch.core.layers.tarindex import LayerIndex


class Change(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"


class PathChange(NamedTuple):
    path: str
    change: Change
    before: Entry | None
    after: Entry | None
    what: tuple[str, ...]
    """For a changed path: which of type, size, mode, owner, link, mtime differ."""


class ImageDiff(NamedTuple):
    paths: tuple[PathChange, ...]
    shared_layers: int
    """Bottom layers both images hold (the same diff-IDs in the same places)."""
    config: tuple[tuple[str, str, str], ...]
    """(field, before, after) for each config field that differs."""
    steps: tuple[str, ...]
    """Build steps the second image has past the steps both share."""

    def bytes_added(self) -> int:
        return sum(c.after.size for c in self.paths if c.after and c.change == Change.ADDED)

    def count(self, change: Change) -> int:
        return sum(1 for c in self.paths if c.change == change)


def _differences(a: Entry, b: Entry) -> tuple[str, ...]:
    out = []
    if a.type != b.type:
        out.append("type")
    if a.size != b.size:
        out.append("size")
    if a.mode != b.mode:
        out.append("mode")
    if (a.uid, a.gid) != (b.uid, b.gid):
        out.append("owner")
    if a.link != b.link:
        out.append("link")
    if a.mtime != b.mtime:
        out.append("mtime")
    return tuple(out)


def path_changes(before: Sequence[LayerIndex], after: Sequence[LayerIndex]) -> list[PathChange]:
    shared = _shared(before, after)
    a, b = merge(before), merge(after)
    out = []
    for path in sorted(a.keys() | b.keys()):
        old, new = a.get(path), b.get(path)
        if old is None and new is not None:
            out.append(PathChange(path, Change.ADDED, None, new.entry, ()))
        elif new is None and old is not None:
            out.append(PathChange(path, Change.REMOVED, old.entry, None, ()))
        elif old is not None and new is not None:
            if old.layer == new.layer < shared:
                continue  # the same layer wrote it in both
            what = _differences(old.entry, new.entry)
            if what:
                out.append(PathChange(path, Change.CHANGED, old.entry, new.entry, what))
    return out


def _shared(before: Sequence[LayerIndex], after: Sequence[LayerIndex]) -> int:
    count = 0
    for x, y in zip(before, after, strict=False):
        if x.diff_id != y.diff_id:
            break
        count += 1
    return count


def _config(a: Image | None, b: Image | None) -> list[tuple[str, str, str]]:
    def fields(image: Image | None) -> dict[str, str]:
        if image is None:
            return {}
        out = {
            "cmd": " ".join(image.cmd or ()),
            "entrypoint": " ".join(image.entrypoint or ()),
            "platform": f"{image.os}/{image.architecture}".strip("/"),
        }
        out.update({f"env {e.split('=', 1)[0]}": e.partition("=")[2] for e in image.env})
        out.update({f"label {k}": v for k, v in image.labels.items()})
        return out

    x, y = fields(a), fields(b)
    return [
        (key, x.get(key, ""), y.get(key, ""))
        for key in sorted(x.keys() | y.keys())
        if x.get(key, "") != y.get(key, "")
    ]


def _steps(a: Image | None, b: Image | None) -> tuple[str, ...]:
    old = [s.created_by for s in (a.history or ())] if a else []
    new = [s.created_by for s in (b.history or ())] if b else []
    common = 0
    for x, y in zip(old, new, strict=False):
        if x != y:
            break
        common += 1
    return tuple(new[common:])


def image_diff(
    before: Sequence[LayerIndex],
    after: Sequence[LayerIndex],
    first: Image | None,
    second: Image | None,
) -> ImageDiff:
    """`second` against `first` (None: scratch, or an inferred base with no config)."""
    return ImageDiff(
        tuple(path_changes(before, after)),
        _shared(before, after),
        tuple(_config(first, second)),
        _steps(first, second),
    )

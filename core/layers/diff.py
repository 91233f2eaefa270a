"""What differs between two images' filesystems: paths added, removed and changed (type, size,
mode, owner, link target, time written, and content where digests were read), the layers they
share, and how their configs and build steps differ. By default an image against its parent in
the tree: what it added.

A file both images hold with the same size and metadata, written by different layers, may or
may not have new contents: headers cannot tell. Such files are counted (`unsure`) unless the
layers were read with their digests (:func:`same_size_files` names them; `diff --content`)."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import NamedTuple

from fromscratch.core.formats.inventory import Image
from fromscratch.core.layers.entries import Entry, EntryType
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
    """For a changed path: which of type, size, mode, owner, link, mtime, content differ."""


class ImageDiff(NamedTuple):
    paths: tuple[PathChange, ...]
    shared_layers: int
    """Bottom layers both images hold (the same diff-IDs in the same places)."""
    config: tuple[tuple[str, str, str], ...]
    """(field, before, after) for each config field that differs."""
    steps: tuple[str, ...]
    """Build steps the second image has past the steps both share."""
    compared: int = 0
    """Same-size files whose contents were compared by digest."""
    unsure: int = 0
    """Same-size files written again with nothing else changed, contents not compared: they
    may differ (`--content` compares them)."""

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


def _both_files(a: Entry, b: Entry) -> bool:
    return a.type == b.type == EntryType.FILE and a.size == b.size


def same_size_files(before: Sequence[LayerIndex], after: Sequence[LayerIndex]) -> set[str]:
    """Paths both hold as files of the same size, written by different layers: only their
    contents can tell whether they changed."""
    shared = _shared(before, after)
    a, b = merge(before), merge(after)
    return {
        path
        for path, new in b.items()
        if (old := a.get(path)) is not None
        and not (old.layer == new.layer < shared)
        and _both_files(old.entry, new.entry)
    }


class _Changes(NamedTuple):
    paths: list[PathChange]
    compared: int
    unsure: int


def _changes(before: Sequence[LayerIndex], after: Sequence[LayerIndex]) -> _Changes:
    shared = _shared(before, after)
    a, b = merge(before), merge(after)
    digests_a = [dict(layer.digests) for layer in before]
    digests_b = [dict(layer.digests) for layer in after]
    out = []
    compared = unsure = 0
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
            if _both_files(old.entry, new.entry):
                first = digests_a[old.layer].get(path)
                second = digests_b[new.layer].get(path)
                if first is not None and second is not None:
                    compared += 1
                    if first != second:
                        what += ("content",)
                elif not what:
                    unsure += 1
            if what:
                out.append(PathChange(path, Change.CHANGED, old.entry, new.entry, what))
    return _Changes(out, compared, unsure)


def path_changes(before: Sequence[LayerIndex], after: Sequence[LayerIndex]) -> list[PathChange]:
    return _changes(before, after).paths


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
    """`second` against `first` (None: scratch, or an inferred base with no config). Where
    the layers carry digests (read for :func:`same_size_files`), contents are compared."""
    changes = _changes(before, after)
    return ImageDiff(
        tuple(changes.paths),
        _shared(before, after),
        tuple(_config(first, second)),
        _steps(first, second),
        changes.compared,
        changes.unsure,
    )

"""Wasted bytes, with dive's definitions (so a dive user sees dive's numbers) and what a build
could really save. dive's figures (`dive/filetree/efficiency.go`, `dive/image/analysis.go`):

- each layer's *leaves* (entries with nothing under them in that layer; a whiteout counts,
  as the path it removes, with the bytes it hides if that was a folder, else 0) are met path
  by path across the layers;
- **efficiency** = the sum over paths of the smallest size met / the sum of every size met
  (1.0 when nothing was met);
- **wasted bytes** = for each path met in two or more layers, *every* size met, the copy that
  stays included (dive counts it: a 10 MB file written twice is 20 MB wasted);
- **user bytes** = the bytes of every layer's files but the bottom layer's; **wasted user
  percent** = wasted / user bytes.

**Reclaimable** is ours: for each path met more than once, what writing it once would save:
every size met less the copy that stays in the image (all of it for a path removed later).
dive stops reading a layer at a whiteout of a path the layers below do not hold; here that
whiteout counts 0 bytes and the layer is read on."""

from __future__ import annotations

import posixpath
from collections.abc import Sequence
from typing import NamedTuple

from fromscratch.core.layers.entries import EntryType, opaque_folder, whiteout_of
from fromscratch.core.layers.merged import Placed, apply
from fromscratch.core.layers.tarindex import LayerIndex


class Duplicated(NamedTuple):
    path: str
    layers: tuple[int, ...]
    """Layers (0 = the bottom) that wrote or removed it."""
    written: int
    """Every size met (dive's cumulative size: its wasted bytes for this path)."""
    smallest: int
    reclaimable: int


class Waste(NamedTuple):
    efficiency: float
    wasted_bytes: int
    user_bytes: int
    wasted_user_percent: float
    """A ratio (0.25 is 25 %), as dive's rule compares it; 0 when there are no user bytes
    and nothing wasted."""
    size_bytes: int
    reclaimable: int
    files: tuple[Duplicated, ...]
    """Paths met in two or more layers, most written first."""


def _leaves(layer: LayerIndex) -> list[tuple[str, int, bool]]:
    """(path, size, is a whiteout) for each leaf of the layer's own tree."""
    folders: set[str] = set()
    for entry in layer.entries:
        parent = posixpath.dirname(entry.path)
        while parent and parent not in folders:
            folders.add(parent)
            parent = posixpath.dirname(parent)
    out: dict[str, tuple[int, bool]] = {}  # a path written twice in one tar: the last
    for entry in layer.entries:
        if opaque_folder(entry.path) is not None:
            continue  # dive adds no node for an opaque marker
        target = whiteout_of(entry.path)
        if target is not None:
            out[target] = (0, True)
        elif entry.path not in folders:
            out[entry.path] = (entry.size, False)
    return [(path, size, whiteout) for path, (size, whiteout) in out.items()]


def _hidden_bytes(below: dict[str, Placed], path: str) -> int:
    """What a whiteout of `path` hides, as dive sizes it: a folder's files, else nothing."""
    placed = below.get(path)
    if placed is None or placed.entry.type != EntryType.DIR:
        return 0
    prefix = path + "/"
    return sum(p.entry.size for q, p in below.items() if q.startswith(prefix))


def waste(layers: Sequence[LayerIndex]) -> Waste:
    met: dict[str, list[tuple[int, int]]] = {}  # path -> (layer, size) each time met
    below: dict[str, Placed] = {}  # the layers under the current one, applied once each
    for number, layer in enumerate(layers):
        for path, size, whiteout in _leaves(layer):
            met.setdefault(path, []).append(
                (number, _hidden_bytes(below, path) if whiteout else size)
            )
        below = apply(below, number, layer)
    smallest = sum(min(size for _, size in seen) for seen in met.values())
    written = sum(size for seen in met.values() for _, size in seen)
    efficiency = smallest / written if written else 1.0
    final = below
    files = []
    for path, seen in met.items():
        if len(seen) < 2:
            continue
        total = sum(size for _, size in seen)
        stays = final[path].entry.size if path in final else 0
        files.append(
            Duplicated(
                path,
                tuple(number for number, _ in seen),
                total,
                min(size for _, size in seen),
                max(0, total - stays),
            )
        )
    files.sort(key=lambda d: (-d.written, d.path))
    wasted = sum(d.written for d in files)
    sizes = [sum(e.size for e in layer.entries) for layer in layers]
    user = sum(sizes[1:])
    percent = wasted / user if user else (0.0 if not wasted else float("inf"))
    return Waste(
        efficiency,
        wasted,
        user,
        percent,
        sum(sizes),
        sum(d.reclaimable for d in files),
        tuple(files),
    )

"""Which files `fromscratch files` and the window list: the merged filesystem, the files this
image's own layers wrote, or one layer's entries as its tar holds them."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from fromscratch.core.formats.parse import InputError
from fromscratch.core.graph.tree import Tree
from fromscratch.core.layers.entries import opaque_folder, whiteout_of
from fromscratch.core.layers.listing import Row
from fromscratch.core.layers.merged import merge
from fromscratch.core.layers.owners import layer_owners, own_from
from fromscratch.core.layers.tarindex import LayerIndex


class Which(StrEnum):
    MERGED = "merged"
    """What a container of the image starts with: every layer applied."""
    OWN = "own"
    """The merged files its own layers wrote last (not its parent's)."""
    LAYER = "layer"
    """One layer's entries, whiteouts shown as removals."""


def file_rows(
    tree: Tree, node: str, layers: Sequence[LayerIndex], which: Which, number: int = 0
) -> list[Row]:
    """The rows for `which`; `number` counts layers from 1 at the bottom (for LAYER)."""
    owners = layer_owners(tree, node)
    labels = [str(tree.nodes[owner]["label"]) for owner in owners]
    labels += [str(tree.nodes[node]["label"])] * (len(layers) - len(labels))
    if which == Which.LAYER:
        if not 1 <= number <= len(layers):
            raise InputError(
                f"--layer {number}: this image has {len(layers)}; choose 1 to {len(layers)}"
            )
        index = number - 1
        return [Row(e, number, labels[index], _change(e.path)) for e in layers[index].entries]
    start = own_from(tree, node) if which == Which.OWN else 0
    merged = merge(layers)
    return [
        Row(placed.entry, placed.layer + 1, labels[placed.layer])
        for path, placed in sorted(merged.items())
        if placed.layer >= start
    ]


def _change(path: str) -> str:
    if whiteout_of(path) is not None:
        return "removed"
    if opaque_folder(path) is not None:
        return "emptied"
    return ""

"""The disk by lineage as rings (a sunburst): scratch in the middle, each ring a generation,
each node a wedge whose angle is the bytes that removing it and everything above would free
(core.disk.usage `frees`). A node's children stand inside its angle; what is left of it is
the bytes only the node's own images hold. The whole circle is every distinct layer once.

Angles are fractions of the circle (0..1), in the tree's order (core.graph.layout.sort_key),
so the rings read like the tree turned around its root."""

from __future__ import annotations

from typing import NamedTuple

from fromscratch.core.disk.usage import DiskUsage
from fromscratch.core.graph.layout import sort_key
from fromscratch.core.graph.records import SCRATCH_ID, NodeKind
from fromscratch.core.graph.tree import Tree

MAX_RINGS = 12
"""Rings drawn at most; deeper generations are inside their ring-12 ancestor's wedge."""


class Wedge(NamedTuple):
    node: str
    ring: int
    """0 for scratch (the disc in the middle), 1 for the images on it, ..."""
    start: float
    span: float
    """Fractions of the circle."""
    bytes: int
    """What removing it (and everything above) frees: its angle."""


def wedges(tree: Tree, usage: DiskUsage, *, min_span: float = 0.0) -> list[Wedge]:
    """Every node's wedge, parents before children; wedges narrower than `min_span` (and
    what stands on them) are left out: they would be thinner than a pixel."""
    frees = {n.id: n.frees for n in usage.nodes}
    total = frees.get(SCRATCH_ID, 0)
    if SCRATCH_ID not in tree or total <= 0:
        return []
    out = [Wedge(SCRATCH_ID, 0, 0.0, 1.0, total)]
    stack = [(SCRATCH_ID, 0, 0.0)]
    succ = tree.child_map
    while stack:
        node, ring, start = stack.pop()
        if ring >= MAX_RINGS:
            continue
        kids = sorted(succ[node], key=lambda kid: sort_key(tree, kid))
        for kid in kids:
            span = frees.get(kid, 0) / total
            if span > 0 and span >= min_span:
                out.append(Wedge(kid, ring + 1, start, span, frees[kid]))
                stack.append((kid, ring + 1, start))
            start += span
    return out


def undrawn(tree: Tree, drawn: list[Wedge]) -> int:
    """Images of `tree` that have no wedge: they free nothing of their own, or too little to
    see (and what stands on them), so the caption can say they exist."""
    shown = {w.node for w in drawn}
    return sum(
        1
        for node, attrs in tree.node_records.items()
        if attrs["kind"] == NodeKind.IMAGE and node not in shown
    )

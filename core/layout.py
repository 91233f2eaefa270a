"""A tidy, deterministic tree layout in abstract units, shared by the GUI and the exporters.

`scratch` sits at the bottom (level 0), its children one level up, and so on, so the user's
own images end up on top. Leaves take consecutive slots left to right in sorted order and a
parent is centred over its children, so the cost is linear in the number of nodes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.model import SCRATCH_ID

if TYPE_CHECKING:
    import networkx as nx


@dataclass(frozen=True, slots=True)
class Position:
    """`x` in leaf slots (0 = leftmost), `level` in generations above scratch."""

    x: float
    level: int


def sort_key(graph: nx.DiGraph, node: str) -> tuple[int, str, str]:
    """Children order: real images before virtual ones, then by label, then id."""
    attrs = graph.nodes[node]
    return (1 if attrs["kind"] == "virtual" else 0, str(attrs["label"]).lower(), node)


def tidy_layout(graph: nx.DiGraph, root: str = SCRATCH_ID) -> dict[str, Position]:
    """Positions for every node reachable from `root` (iterative: deep chains are fine)."""
    succ = graph.succ
    order: list[tuple[str, int]] = []
    stack = [(root, 0)]
    while stack:  # pre-order, children in sort order
        node, level = stack.pop()
        order.append((node, level))
        kids = sorted(succ[node], key=lambda n: sort_key(graph, n), reverse=True)
        stack.extend((kid, level + 1) for kid in kids)
    xs: dict[str, float] = {}
    next_slot = 0.0
    for node, _level in order:  # leaves in pre-order are left to right
        if not succ[node]:
            xs[node] = next_slot
            next_slot += 1.0
    for node, _level in reversed(order):  # children before parents
        if node not in xs:
            kid_xs = [xs[k] for k in succ[node]]
            xs[node] = (min(kid_xs) + max(kid_xs)) / 2.0
    return {node: Position(xs[node], level) for node, level in order}

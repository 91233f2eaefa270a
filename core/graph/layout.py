"""A tidy, deterministic tree layout in abstract units, shared by the GUI and the exporters.

`scratch` sits at the bottom (level 0), its children one level up, and so on, so the user's
own images end up on top. Siblings keep a stable sorted order; subtrees are packed by their
contours and parents centred over their children.
"""

from __future__ import annotations

from dataclasses import dataclass

from fromscratch.core.graph.records import SCRATCH_ID, NodeKind
from fromscratch.core.graph.tree import Tree
from fromscratch.core.perf import no_gc


@dataclass(frozen=True, slots=True)
class Position:
    """`x` in node widths (0 = leftmost), `level` in generations above scratch."""

    x: float
    level: int


def sort_key(graph: Tree, node: str) -> tuple[int, str, str]:
    """Children order: real images before virtual ones, then by label, then id."""
    attrs = graph.nodes[node]
    return (1 if attrs["kind"] == NodeKind.VIRTUAL else 0, str(attrs["label"]).lower(), node)


def tidy_layout(graph: Tree, root: str = SCRATCH_ID) -> dict[str, Position]:
    """See :func:`_tidy_layout`; runs with the cyclic GC paused (it only builds records)."""
    with no_gc():
        return _tidy_layout(graph, root)


def _tidy_layout(graph: Tree, root: str) -> dict[str, Position]:
    """Positions for every node reachable from `root`, subtrees packed as tightly as their
    contours allow (Reingold-Tilford): nodes on a level are at least one unit apart, and each
    parent is centred over its first and last child. Iterative, so deep chains are fine.

    Contours are lists of the leftmost/rightmost x per level, deepest level first, plus an
    offset; merging two subtrees touches only the levels they share, which keeps the whole
    layout linear in the number of nodes."""
    succ = graph.child_map  # the plain dicts: the public views cost ~1 us per access
    attrs = graph.node_records

    def key(node: str) -> tuple[int, str, str]:
        a = attrs[node]
        return (1 if a["kind"] == NodeKind.VIRTUAL else 0, str(a["label"]).lower(), node)

    order: list[tuple[str, int]] = []
    kids_of: dict[str, list[str]] = {}
    stack = [(root, 0)]
    while stack:  # pre-order
        node, level = stack.pop()
        order.append((node, level))
        kids = list(succ[node])
        if len(kids) > 1:
            kids.sort(key=key)
            stack.extend([(kid, level + 1) for kid in reversed(kids)])
        elif kids:
            stack.append((kids[0], level + 1))
        kids_of[node] = kids
    rel: dict[str, float] = {}
    contours: dict[str, tuple[list[float], list[float], float]] = {}
    for node, _level in reversed(order):  # children before parents
        kids = kids_of[node]
        if not kids:
            contours[node] = ([0.0], [0.0], 0.0)
            continue
        left, right, off = contours.pop(kids[0])
        shifts = [0.0]
        for kid in kids[1:]:
            k_left, k_right, k_off = contours.pop(kid)
            common = min(len(right), len(k_left))
            shift = max(right[-i] + off - (k_left[-i] + k_off) + 1.0 for i in range(1, common + 1))
            shifts.append(shift)
            k_off += shift
            if len(k_left) > len(left):  # the new subtree is deeper: keep its lists
                for i in range(1, len(left) + 1):
                    k_left[-i] = left[-i] + off - k_off
                left, right, off = k_left, k_right, k_off
            else:
                for i in range(1, len(k_right) + 1):
                    right[-i] = k_right[-i] + k_off - off
        centre = (shifts[0] + shifts[-1]) / 2.0
        for kid, shift in zip(kids, shifts, strict=True):
            rel[kid] = shift - centre
        off -= centre
        left.append(-off)
        right.append(-off)
        contours[node] = (left, right, off)
    xs: dict[str, float] = {root: 0.0}
    for node, _level in order:  # parents before children
        for kid in kids_of[node]:
            xs[kid] = xs[node] + rel[kid]
    lowest = min(xs.values())
    return {node: Position(xs[node] - lowest, level) for node, level in order}

"""Moving the selection with the arrow keys, on the tree as it is drawn: scratch at the bottom,
children above their parent, siblings side by side.

- Down: the parent (towards scratch);
- Up: the child nearest above (by horizontal place), so Up, Down, Up returns where it was
  when the child is the one it came from;
- Left / Right: the nearest card on the same generation to that side (siblings first, then
  cousins), so a whole row can be walked.
"""

from __future__ import annotations

from enum import Enum

from fromscratch.core.graph.layout import Position
from fromscratch.core.graph.tree import Tree


class Direction(Enum):
    UP = "up"
    DOWN = "down"
    LEFT = "left"
    RIGHT = "right"


def neighbour(
    tree: Tree, positions: dict[str, Position], node: str, direction: Direction
) -> str | None:
    """The card the arrow key leads to from `node`, or None (nothing that way)."""
    here = positions.get(node)
    if here is None:
        return None
    if direction is Direction.DOWN:
        parents = [p for p in tree.predecessors(node) if p in positions]
        return parents[0] if parents else None
    if direction is Direction.UP:
        children = [c for c in tree.successors(node) if c in positions]
        if not children:
            return None
        return min(children, key=lambda c: (abs(positions[c].x - here.x), positions[c].x, c))
    side = 1 if direction is Direction.RIGHT else -1
    row = [
        (side * (p.x - here.x), other)
        for other, p in positions.items()
        if p.level == here.level and side * (p.x - here.x) > 0
    ]
    return min(row)[1] if row else None

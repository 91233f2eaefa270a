"""Arrow keys on the drawn tree: Down to the parent, Up to the nearest child, Left and Right
along the generation."""

from __future__ import annotations

from fromscratch.core.formats.sample import load_sample
from fromscratch.core.graph.layout import tidy_layout
from fromscratch.core.graph.lineage import build_tree
from fromscratch.core.graph.neighbours import Direction, neighbour
from fromscratch.core.graph.records import SCRATCH_ID


def test_walking_the_sample_tree() -> None:
    tree = build_tree(load_sample().images)
    positions = tidy_layout(tree)
    by_tag = {t: n for n, a in tree.nodes(data=True) for t in a["tags"]}
    python = by_tag["python:3-bookworm"]
    parent = next(iter(tree.predecessors(python)))
    assert neighbour(tree, positions, python, Direction.DOWN) == parent
    assert neighbour(tree, positions, SCRATCH_ID, Direction.DOWN) is None
    up = neighbour(tree, positions, parent, Direction.UP)
    assert up in set(tree.successors(parent))
    assert neighbour(tree, positions, up, Direction.DOWN) == parent
    # A whole generation can be walked left to right, one card at a time, in drawing order.
    level = positions[python].level
    row = sorted((p.x, n) for n, p in positions.items() if p.level == level)
    node = row[0][1]
    walked = [node]
    while (node := neighbour(tree, positions, node, Direction.RIGHT)) is not None:
        walked.append(node)
    assert walked == [n for _, n in row]
    assert neighbour(tree, positions, row[0][1], Direction.LEFT) is None
    leaf = next(n for n in tree if not list(tree.successors(n)) and n in positions)
    assert neighbour(tree, positions, leaf, Direction.UP) is None

"""The tidy layout: deterministic, scratch at the bottom, parents centred over children."""

from __future__ import annotations

import itertools

from fromscratch.core.formats.inventory import Image
from fromscratch.core.graph.layout import tidy_layout
from fromscratch.core.graph.lineage import build_tree
from fromscratch.core.graph.records import SCRATCH_ID
from tests.core.helpers import child_of, digest, image, step


def test_levels_follow_generations_and_parents_sit_over_children(
    official_images: list[Image],
) -> None:
    graph = build_tree(official_images)
    pos = tidy_layout(graph)
    assert set(pos) == set(graph)
    assert pos[SCRATCH_ID].level == 0
    for parent, child in graph.edges:
        assert pos[child].level == pos[parent].level + 1
    for node in graph:
        kids = list(graph.successors(node))
        if kids:
            xs = [pos[k].x for k in kids]
            assert pos[node].x == (min(xs) + max(xs)) / 2
    by_level: dict[int, list[float]] = {}
    for p in pos.values():
        by_level.setdefault(p.level, []).append(p.x)
    for xs in by_level.values():  # no two cards overlap on a level
        xs.sort()
        assert all(b - a >= 1.0 - 1e-9 for a, b in itertools.pairwise(xs))
    # Packed, not one column per leaf: busybox and hello-world need no column of their own.
    leaves = sum(1 for n in graph if not graph.succ[n])
    assert max(p.x for p in pos.values()) + 1 < leaves


def test_layout_is_deterministic_and_handles_deep_chains() -> None:
    base = image("b:0", [digest("b")], [step("ADD b", 1)])
    chain = [base]
    for i in range(1, 3000):  # deeper than Python's recursion limit
        chain.append(child_of(chain[-1], f"b:{i}", 1, when=i))
    graph = build_tree(reversed(chain))
    first = tidy_layout(graph)
    assert {p.x for p in first.values()} == {0.0}
    assert first == tidy_layout(graph.copy())
    assert first[chain[-1].id].level == 3000

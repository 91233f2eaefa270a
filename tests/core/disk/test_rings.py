"""The sunburst's wedges: nested in their parents, angles in proportion to the bytes freed,
the whole circle every distinct layer once."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given, settings

from fromscratch.core.disk.rings import undrawn, wedges
from fromscratch.core.disk.usage import disk_usage
from fromscratch.core.formats.sample import load_sample
from fromscratch.core.graph.lineage import build_tree
from fromscratch.core.graph.records import SCRATCH_ID
from tests.core.disk.test_usage import forests


def check(tree, usage) -> None:  # type: ignore[no-untyped-def]
    out = wedges(tree, usage)
    by = {w.node: w for w in out}
    assert by[SCRATCH_ID].span == 1.0
    total = usage.layers_bytes
    for wedge in out:
        assert abs(wedge.span - wedge.bytes / total) < 1e-9
        if wedge.node == SCRATCH_ID:
            continue
        (parent,) = tree.predecessors(wedge.node)
        outer = by[parent]
        assert wedge.ring == outer.ring + 1
        assert outer.start - 1e-9 <= wedge.start
        assert wedge.start + wedge.span <= outer.start + outer.span + 1e-9
    for node in by:  # siblings do not overlap
        kids = sorted((by[k] for k in tree.successors(node) if k in by), key=lambda w: w.start)
        for left, right in pairwise(kids):
            assert left.start + left.span <= right.start + 1e-9


def test_the_sample() -> None:
    tree = build_tree(load_sample().images)
    usage = disk_usage(tree)
    check(tree, usage)
    ring1 = [w for w in wedges(tree, usage) if w.ring == 1]
    assert abs(sum(w.span for w in ring1) - 1.0) < 1e-9  # bases hold every layer between them


@settings(max_examples=80, deadline=None)
@given(forests())
def test_nested_and_proportional(images) -> None:  # type: ignore[no-untyped-def]
    tree = build_tree(images)
    usage = disk_usage(tree)
    if usage.layers_bytes:
        check(tree, usage)


def test_hairlines_are_left_out() -> None:
    tree = build_tree(load_sample().images)
    usage = disk_usage(tree)
    narrow = wedges(tree, usage, min_span=0.01)
    assert len(narrow) < len(wedges(tree, usage))
    assert all(w.span >= 0.01 for w in narrow)


def test_images_left_out_are_counted() -> None:
    """The rings dropped the images that free nothing of their own without a word."""
    tree = build_tree(load_sample().images)
    usage = disk_usage(tree)
    every = wedges(tree, usage)
    narrow = wedges(tree, usage, min_span=0.01)
    images = {n for n, attrs in tree.nodes(data=True) if attrs["kind"] == "image"}
    assert undrawn(tree, every) == len(images - {w.node for w in every})
    assert undrawn(tree, narrow) == len(images - {w.node for w in narrow}) > undrawn(tree, every)

"""Removal plans: what goes (children first), what holds it, what it frees; the figure is the
one `df` gives for the same images."""

from __future__ import annotations

from dataclasses import replace

import pytest

from fromscratch.core.disk.removal import RemovalError, Target, describe, plan_removal
from fromscratch.core.disk.usage import disk_usage
from fromscratch.core.formats.inventory import Container
from fromscratch.core.formats.sample import load_sample
from fromscratch.core.graph.lineage import build_tree
from fromscratch.core.graph.records import NodeKind
from fromscratch.core.graph.tree import ancestry, find


def test_a_subtree_frees_what_df_says_removing_it_frees() -> None:
    tree = build_tree(load_sample().images)
    usage = disk_usage(tree)
    for node in usage.nodes:
        if tree.nodes[node.id]["kind"] != NodeKind.IMAGE:
            continue
        plan = plan_removal(tree, [], Target.SUBTREE, node.id)
        assert plan.frees == node.frees, tree.nodes[node.id]["label"]
        depths = [len(ancestry(tree, image.id)) for image in plan.images]
        assert depths == sorted(depths, reverse=True)  # every image before its base


def test_an_image_alone_frees_its_unique_bytes_and_one_with_images_on_it_is_refused() -> None:
    tree = build_tree(load_sample().images)
    usage = {i.id: i for i in disk_usage(tree).images}
    leaf = find(tree, "python:3-bookworm")
    assert leaf is not None
    assert plan_removal(tree, [], Target.IMAGE, leaf).frees == usage[leaf].unique
    with pytest.raises(RemovalError, match="images stand on it"):
        plan_removal(tree, [], Target.IMAGE, find(tree, "debian:12"))


def test_dangling_images_and_the_containers_that_hold_them() -> None:
    sample = load_sample()
    old = replace(sample.images[0], tags=(), id="sha256:" + "d" * 64)  # a rebuild left it
    tree = build_tree([*sample.images, old])
    holder = Container("c", ("keeps",), old.id, "base:old", "exited")
    plan = plan_removal(tree, [holder], Target.DANGLING)
    assert [i.id for i in plan.images] == [old.id] and plan.blocked
    assert "held by 1 container:" in describe(plan) and any("keeps" in x for x in describe(plan))
    with pytest.raises(RemovalError, match="no dangling images"):
        plan_removal(build_tree(sample.images), [], Target.DANGLING)


def test_unknown_sizes_are_said_not_counted_as_zero() -> None:
    sample = load_sample()
    images = [replace(i, layer_sizes=None) if "alpine:3.24" in i.tags else i for i in sample.images]
    tree = build_tree(images)
    plan = plan_removal(tree, [], Target.SUBTREE, find(tree, "alpine:3.24"))
    assert plan.frees is None and "frees: unknown" in "\n".join(describe(plan))

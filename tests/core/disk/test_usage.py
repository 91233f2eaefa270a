"""Disk figures on hand-built sets where every byte is known, and their laws (hypothesis)."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from fromscratch.core.disk.usage import DiskUsage, ImageUsage, NodeUsage, disk_usage
from fromscratch.core.formats.inventory import Image
from fromscratch.core.graph.lineage import build_tree
from fromscratch.core.graph.records import SCRATCH_ID
from tests.core.helpers import child_of, digest, image, step

MB = 1_000_000


def sized(img: Image, *sizes: int) -> Image:
    assert len(sizes) == len(img.layers)
    return replace(img, layer_sizes=sizes, size=sum(sizes))


def usage_of(*images: Image) -> tuple[DiskUsage, dict[str, ImageUsage], dict[str, NodeUsage]]:
    usage = disk_usage(build_tree(images))
    return usage, {u.id: u for u in usage.images}, {n.id: n for n in usage.nodes}


def test_a_shared_base_and_an_env_only_child() -> None:
    base = sized(image("debian:12", [digest("deb")], [step("ADD rootfs", 1)]), 50 * MB)
    app = sized(child_of(base, "app:1", 2), 50 * MB, 3 * MB, 4 * MB)
    env_only = sized(child_of(base, "app:env", 0, env_steps=1), 50 * MB)
    usage, by, node_of = usage_of(base, app, env_only)
    assert usage.layers_bytes == 57 * MB  # the base's layer counts once
    assert usage.images_bytes == (50 + 57 + 50) * MB  # what `docker images` adds up to
    a, e, b = by[app.id], by[env_only.id], by[base.id]
    assert (a.size, a.shared, a.unique) == (57 * MB, 50 * MB, 7 * MB)
    assert (e.size, e.shared, e.unique) == (50 * MB, 50 * MB, 0)  # full size, 0 new bytes
    assert (b.size, b.shared, b.unique) == (50 * MB, 50 * MB, 0)
    node = node_of[base.id]
    assert node.subtree_bytes == 57 * MB and node.frees == 57 * MB
    assert node.images == 2 and node.saved == (157 - 57) * MB
    app_node = node_of[app.id]
    assert app_node.frees == 7 * MB and app_node.images == 0 and app_node.saved == 0
    assert node_of[SCRATCH_ID].frees == 57 * MB and node_of[SCRATCH_ID].images == 3


def test_the_same_diff_on_another_base_is_another_layer() -> None:
    """Two unrelated images with one identical diff-ID (the same file ADDed) share no
    bytes: a layer is its whole chain."""
    one = sized(image("one:1", [digest("one"), digest("same")], [step("A", 1), step("B", 1)]), 5, 7)
    two = sized(image("two:1", [digest("two"), digest("same")], [step("C", 1), step("B", 1)]), 6, 7)
    usage, by, _ = usage_of(one, two)
    assert usage.layers_bytes == 25
    assert by[one.id].shared == 0 and by[two.id].shared == 0


def test_removing_a_node_frees_only_what_no_other_image_uses() -> None:
    base = sized(image("base:1", [digest("b")], [step("ADD b", 1)]), 100)
    mid = sized(child_of(base, "mid:1", 1), 100, 20)
    leaf = sized(child_of(mid, "leaf:1", 1), 100, 20, 3)
    other = sized(child_of(base, "other:1", 1), 100, 9)
    _, _, node_of = usage_of(base, mid, leaf, other)
    assert node_of[mid.id].frees == 23  # base's 100 is other's too
    assert node_of[base.id].frees == 132
    assert node_of[mid.id].subtree_bytes == 123


def test_an_inferred_base_holds_what_its_images_share() -> None:
    """Two images on a base that is not here: the virtual node frees the shared layer."""
    shared = [digest("s1"), digest("s2")]
    hist = [step("ADD s", 1), step("RUN s", 1)]
    a = sized(image("a:1", [*shared, digest("a")], [*hist, step("RUN a", 2)]), 10, 20, 1)
    b = sized(image("b:1", [*shared, digest("b")], [*hist, step("RUN b", 2)]), 10, 20, 2)
    usage, _, _ = usage_of(a, b)
    (virtual,) = [n for n in usage.nodes if n.kind == "virtual"]
    assert virtual.frees == 33 and virtual.images == 2 and virtual.saved == 30


def test_unknown_sizes_have_no_figures_and_are_listed() -> None:
    known = sized(image("known:1", [digest("k")], [step("ADD k", 1)]), 10)
    blind = image("blind:1", [digest("b")], None)
    usage, by, _ = usage_of(known, blind)
    assert usage.unknown == (blind.id,)
    assert by[blind.id].size is None and usage.layers_bytes == 10


@st.composite
def forests(draw: st.DrawFn) -> list[Image]:
    """Random forests: each image on scratch or on an earlier one, 0-2 new layers."""
    images: list[Image] = []
    count = draw(st.integers(1, 14))
    for n in range(count):
        parent = draw(st.one_of(st.none(), st.sampled_from(images))) if images else None
        new = draw(st.integers(0 if parent else 1, 2))
        new_sizes = tuple(draw(st.integers(0, 1000)) for _ in range(new))
        if parent is None:
            layers = [digest(f"r{n}", str(i)) for i in range(new)]
            made = image(f"i{n}:1", layers, [step(f"ADD {n} {i}", 1) for i in range(new)])
            images.append(sized(made, *new_sizes))
        else:
            made = child_of(parent, f"i{n}:1", new, env_steps=0 if new else 1)
            assert parent.layer_sizes is not None
            images.append(sized(made, *parent.layer_sizes, *new_sizes))
    return images


@settings(max_examples=150, deadline=None)
@given(forests())
def test_laws(images: list[Image]) -> None:
    tree = build_tree(images)
    usage = disk_usage(tree)
    for u in usage.images:
        assert u.unique is not None and u.size is not None and 0 <= u.unique <= u.size
    by_node = {n.id: n for n in usage.nodes}
    assert by_node[SCRATCH_ID].frees == usage.layers_bytes
    assert by_node[SCRATCH_ID].subtree_bytes == usage.layers_bytes
    for node in tree.successors(SCRATCH_ID):
        # removing a subtree's images lowers the total by exactly what it frees
        from fromscratch.core.graph.tree import descendants

        gone = {node} | descendants(tree, node)
        rest = [i for i in images if i.id not in gone]
        after = disk_usage(build_tree(rest)).layers_bytes if rest else 0
        assert usage.layers_bytes - after == by_node[node].frees
    # a partition of scratch's subtrees: what they free adds up to what they hold when no
    # layer is shared across them (layers never cross two bases: their chains differ)
    kids = list(tree.successors(SCRATCH_ID))
    assert sum(by_node[k].frees for k in kids) == usage.layers_bytes


def test_the_sample_by_hand() -> None:
    """python:3-bookworm and debian:12 in the bundled sample, from its layer sizes:

    debian:12                      48,497,362
    + buildpack-deps:bookworm-curl 24,056,247
    + buildpack-deps:bookworm-scm  64,413,065   (golang branches off here)
    + buildpack-deps:bookworm     211,662,335   (node, python, ruby stand on it)
    python:3-bookworm's own: 6,162,329 + 29,924,396 + 250 = 36,086,975, used by nothing else.
    debian:12 stands under 7 images (curl, scm, bookworm, golang, node, python, ruby); they
    add, each once: 24,056,247 + 64,413,065 + 211,662,335 + golang's 194,842,942
    + node's 64,157,665 + python's 36,086,975 + ruby's 49,118,421."""
    from fromscratch.core.formats.sample import load_sample
    from fromscratch.core.graph.tree import find

    tree = build_tree(load_sample().images)
    usage = disk_usage(tree)
    python = find(tree, "python:3-bookworm")
    debian = find(tree, "debian:12")
    (image,) = [u for u in usage.images if u.id == python]
    inherited = 48_497_362 + 24_056_247 + 64_413_065 + 211_662_335
    own = 6_162_329 + 29_924_396 + 250
    assert (image.size, image.shared, image.unique) == (inherited + own, inherited, own)
    (base,) = [n for n in usage.nodes if n.id == debian]
    above = 24_056_247 + 64_413_065 + 211_662_335 + 194_842_942 + 64_157_665 + own + 49_118_421
    assert base.images == 7
    assert base.subtree_bytes == 48_497_362 + above
    assert base.frees == base.subtree_bytes  # nothing else stands on debian:12's layer
    sizes = {
        "debian:12": 48_497_362,
        "buildpack-deps:bookworm-curl": 48_497_362 + 24_056_247,
        "buildpack-deps:bookworm-scm": 48_497_362 + 24_056_247 + 64_413_065,
        "buildpack-deps:bookworm": inherited,
        "golang:tip-bookworm": 48_497_362 + 24_056_247 + 64_413_065 + 194_842_942,
        "node:current-bookworm": inherited + 64_157_665,
        "python:3-bookworm": inherited + own,
        "ruby:4-bookworm": inherited + 49_118_421,
    }
    assert base.saved == sum(sizes.values()) - base.subtree_bytes


def test_a_dangling_image_counts_like_any_other() -> None:
    """An untagged image left by a rebuild still holds its layers: what only it uses is
    unique to it, and removing it frees exactly that."""
    base = sized(image("base:1", [digest("b")], [step("ADD b", 1)]), 100)
    old = child_of(base, "app:1", 1)
    old = sized(image(None, list(old.layers), list(old.history or ())), 100, 30)  # dangling
    new = sized(replace(child_of(base, "app:rebuilt", 1, when=3), tags=("app:1",)), 100, 40)
    usage, by, node_of = usage_of(base, old, new)
    assert usage.layers_bytes == 170
    assert (by[old.id].size, by[old.id].shared, by[old.id].unique) == (130, 100, 30)
    assert node_of[old.id].frees == 30 and node_of[base.id].frees == 170

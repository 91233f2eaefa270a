"""Lineage inference: real official images, synthetic scale data, recorded engine, edge cases."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from fromscratch.core.engine.gateway import EngineGateway
from fromscratch.core.formats.inventory import Image
from fromscratch.core.formats.parse import parse_image
from fromscratch.core.graph.lineage import build, infer_parents
from fromscratch.core.graph.records import SCRATCH_ID, EdgeMethod
from tests.core.conftest import DATA
from tests.core.helpers import child_of, digest, image, step
from tests.integration.scenarios import check_zoo
from tests.support.synthetic import write_synthetic


def parent_tag(graph: nx.DiGraph, image_id: str) -> str:
    (parent,) = graph.predecessors(image_id)
    attrs = graph.nodes[parent]
    return SCRATCH_ID if parent == SCRATCH_ID else (attrs["tags"] or (attrs["label"],))[0]


def by_tag(images: list[Image]) -> dict[str, str]:
    return {t: i.id for i in images for t in i.tags}


def assert_tree_invariants(graph: nx.DiGraph) -> None:
    assert nx.is_arborescence(graph)
    roots = [n for n, d in graph.in_degree() if d == 0]
    assert roots == [SCRATCH_ID]
    for parent, child in graph.edges:
        p_layers = _layers(graph, parent)
        c_layers = _layers(graph, child)
        assert c_layers[: len(p_layers)] == p_layers, (parent, child)


def _layers(graph: nx.DiGraph, node: str) -> tuple[str, ...]:
    attrs = graph.nodes[node]
    if attrs["kind"] == "scratch":
        return ()
    if attrs["kind"] == "virtual":
        return tuple(attrs["layers"])
    return attrs["image"].layers


def test_official_sample_gives_exactly_the_expected_edges(official_images: list[Image]) -> None:
    expected = json.loads((DATA / "official-images.expected-edges.json").read_text())
    graph = build(official_images)
    tags = by_tag(official_images)
    for child, parent in expected["edges"]:
        got = next(iter(graph.predecessors(tags[child])))
        want = SCRATCH_ID if parent == SCRATCH_ID else tags[parent]
        assert got == want, f"{child}: got {graph.nodes[got]['label']}, want {parent}"
    for a, b in expected["aliases"]:
        assert tags[a] == tags[b]
    assert graph.number_of_nodes() == len(official_images) + 1  # no virtual bases needed
    assert_tree_invariants(graph)


def test_synthetic_inspect_file_gives_its_edges(tmp_path: Path) -> None:
    out = tmp_path / "syn.json"
    edges = write_synthetic(out, bases=8, mids=4, apps=12, seed=7)
    raw = json.loads(out.read_text())
    images = [parse_image(obj, None, f"[{i}]") for i, obj in enumerate(raw)]
    graph = build(images)
    tags = by_tag(images)
    wrong = [
        (c, p)
        for c, p in edges
        if next(iter(graph.predecessors(tags[c]))) != (p if p == SCRATCH_ID else tags[p])
    ]
    assert wrong == []
    assert len(edges) == len(images) == 8 * (1 + 4 * 13)
    methods = {graph.edges[e]["method"] for e in graph.edges}
    assert EdgeMethod.HISTORY in methods  # the ENV-only mids: same layers, longer history
    assert_tree_invariants(graph)


def test_recorded_engine_zoo(recorded_gateway: EngineGateway, zoo_expected: dict[str, str]) -> None:
    images = list(recorded_gateway.load().images)
    graph = build(images)
    tags = by_tag(images)
    check_zoo(graph, zoo_expected)
    # Classic builds are linked by the Parent field through hidden intermediates.
    assert (
        graph.edges[tags["zoo/base:classic"], tags["zoo/meta:classic"]]["method"]
        == EdgeMethod.PARENT_FIELD
    )
    assert all(not graph.nodes[n]["intermediate"] for n in graph)
    assert_tree_invariants(graph)


def test_intermediates_can_be_shown(recorded_gateway: EngineGateway) -> None:
    images = list(recorded_gateway.load().images)
    hidden = build(images)
    shown = build(images, show_intermediates=True)
    extra = set(shown) - set(hidden)
    assert extra and all(shown.nodes[n]["intermediate"] for n in extra)
    assert_tree_invariants(shown)


def test_metadata_only_child_found_by_history() -> None:
    base = image("base:1", [digest("l1")], [step("ADD rootfs", 1), step("CMD sh", 1, empty=True)])
    env_child = image(
        "env:1", list(base.layers), [*(base.history or ()), step("ENV A=1", 2, empty=True)]
    )
    edges = infer_parents([env_child, base])
    assert edges[env_child.id].parent == base.id
    assert edges[env_child.id].method == EdgeMethod.HISTORY
    assert edges[base.id].parent == SCRATCH_ID and edges[base.id].method == EdgeMethod.BASE


def test_rebuilt_base_with_same_layers_is_not_a_parent() -> None:
    old = image("base:old", [digest("l1")], [step("COPY x /", 1)])
    rebuilt = image("base:new", [digest("l1")], [step("COPY x /", 5)])
    child = child_of(old, "app:1", 1)
    edges = infer_parents([rebuilt, child, old])
    assert edges[child.id].parent == old.id
    assert edges[rebuilt.id].parent == SCRATCH_ID  # not its same-layer sibling


def test_contradicting_candidate_is_skipped_for_a_deeper_match() -> None:
    base = image("base:1", [digest("b")], [step("ADD b", 1)])
    mid = child_of(base, "mid:1", 1)
    # Same layers as mid, but a different history: a coincidence, not an ancestor.
    impostor = image("impostor:1", list(mid.layers), [step("ADD b", 1), step("other", 9)])
    app = child_of(mid, "app:1", 2)
    edges = infer_parents([impostor, app, mid, base])
    assert edges[app.id].parent == mid.id


def test_without_history_the_edge_is_a_flagged_guess() -> None:
    base = image("base:1", [digest("b")], None, created="2026-01-01T00:00:00Z")
    app = image("app:1", [digest("b"), digest("a")], None, created="2026-02-01T00:00:00Z")
    edges = infer_parents([app, base])
    assert edges[app.id].parent == base.id
    assert edges[app.id].method == EdgeMethod.LAYERS_ONLY and edges[app.id].ambiguous


def test_identical_layers_without_history_never_form_a_cycle() -> None:
    images = [
        image(f"same:{i}", [digest("x")], None, created=f"2026-01-0{i + 1}T00:00:00Z")
        for i in range(4)
    ]
    graph = build(images)
    assert_tree_invariants(graph)


def test_zero_layer_images_are_linked_only_by_history() -> None:
    zero = image("zero:1", [], [step("ENV Z=1", 1, empty=True)], created="0001-01-01T00:00:00Z")
    child = image(
        "zero-child:1", [], [step("ENV Z=1", 1, empty=True), step("ENV C=1", 2, empty=True)]
    )
    other = image("unrelated:1", [], None)
    edges = infer_parents([child, zero, other])
    assert edges[child.id].parent == zero.id
    assert edges[other.id].parent == SCRATCH_ID  # the empty trie root is never a guess


def test_parent_field_through_hidden_intermediates() -> None:
    base = image("base:1", [digest("b")], [step("ADD b", 1)])
    inter1 = image(
        None,
        list(base.layers),
        [*(base.history or ()), step("ENV x", 2, empty=True)],
        parent=base.id,
    )
    inter2 = image(
        None,
        [*base.layers, digest("c")],
        [*(inter1.history or ()), step("RUN c", 3)],
        parent=inter1.id,
    )
    app = image(
        "app:1",
        list(inter2.layers),
        [*(inter2.history or ()), step("CMD", 4, empty=True)],
        parent=inter2.id,
    )
    graph = build([app, inter2, inter1, base])
    assert set(graph) == {SCRATCH_ID, base.id, app.id}
    assert graph.edges[base.id, app.id]["method"] == EdgeMethod.PARENT_FIELD


def test_dangling_images_are_kept_and_marked() -> None:
    base = image("base:1", [digest("b")], [step("ADD b", 1)])
    dangling = child_of(base, "x", 1)
    dangling = image(None, list(dangling.layers), list(dangling.history or ()))
    graph = build([base, dangling])
    assert graph.nodes[dangling.id]["dangling"]
    assert parent_tag(graph, dangling.id) == "base:1"


def test_shared_prefix_without_local_image_becomes_one_virtual_base() -> None:
    debian = image("debian:12", [digest("deb")], [step("RUN # debian.sh bookworm", 1)])
    curl = child_of(debian, "curl:1", 1)
    python = child_of(curl, "python:3", 2)
    node = child_of(curl, "node:22", 3)
    ubuntu_app = child_of(image("u", [digest("ub")], [step("ADD ubuntu", 1)]), "uapp:1", 1)
    graph = build([python, node, ubuntu_app])  # neither debian nor curl is present
    virtual = [n for n in graph if graph.nodes[n]["kind"] == "virtual"]
    assert len(virtual) == 1
    (base,) = virtual
    assert graph.nodes[base]["layers"] == curl.layers
    assert "build curl:1" in graph.nodes[base]["created_by"]
    assert parent_tag(graph, python.id) == graph.nodes[base]["label"]
    assert graph.edges[base, python.id]["method"] == EdgeMethod.SHARED_LAYERS
    assert list(graph.predecessors(base)) == [SCRATCH_ID]
    assert parent_tag(graph, ubuntu_app.id) == SCRATCH_ID  # alone: no sharing, no virtual
    assert_tree_invariants(graph)


def test_coincidental_shared_layer_makes_no_virtual_base() -> None:
    # Two unrelated builds copying the same file: same digest, different steps.
    a = image("a:1", [digest("busybox"), digest("a")], [step("COPY busybox /", 1), step("A", 1)])
    b = image("b:1", [digest("busybox"), digest("b")], [step("COPY busybox /", 2), step("B", 2)])
    graph = build([a, b])
    assert all(graph.nodes[n]["kind"] != "virtual" for n in graph)


def test_own_size_counts_only_the_images_own_layers(official_images: list[Image]) -> None:
    graph = build(official_images)
    tags = by_tag(official_images)
    node = graph.nodes[tags["nginx:stable-alpine"]]
    parent = graph.nodes[tags["nginx:stable-alpine-slim"]]
    image_ = node["image"]
    assert node["own_size"] == sum(image_.layer_sizes[len(parent["image"].layers) :])
    assert 0 < node["own_size"] < node["size"]


# ---- properties --------------------------------------------------------------------------


@st.composite
def forests(draw: Any) -> tuple[list[Image], dict[str, str]]:
    """Random build forests: each image adds 0-3 layers and 0-2 metadata steps to a random
    earlier image (or to scratch); returns images and each one's true parent."""
    count = draw(st.integers(1, 30))
    images: list[Image] = []
    truth: dict[str, str] = {}
    for i in range(count):
        parent_index = draw(st.integers(-1, len(images) - 1))
        new_layers = draw(st.integers(0, 3))
        env_steps = draw(st.integers(0 if new_layers else 1, 2))
        when = 100 + i
        if parent_index < 0:
            layers = [digest(f"img{i}", str(k)) for k in range(max(new_layers, 1))]
            hist = [step(f"ADD root{i} {k}", when) for k in range(len(layers))]
            img = image(f"img{i}:latest", layers, hist)
            truth[img.id] = SCRATCH_ID
        else:
            parent = images[parent_index]
            img = child_of(parent, f"img{i}:latest", new_layers, env_steps, when)
            truth[img.id] = parent.id
        images.append(img)
    return images, truth


@settings(max_examples=150, deadline=None)
@given(forests(), st.randoms(use_true_random=False))
def test_property_random_forests_are_recovered_exactly(
    forest: tuple[list[Image], dict[str, str]], rnd: random.Random
) -> None:
    images, truth = forest
    shuffled = list(images)
    rnd.shuffle(shuffled)
    graph = build(shuffled)
    assert_tree_invariants(graph)
    for image_id, parent in truth.items():
        (got,) = graph.predecessors(image_id)
        assert got == parent
    assert nx.utils.graphs_equal(graph, build(images))  # independent of input order


@settings(max_examples=100, deadline=None)
@given(forests(), st.randoms(use_true_random=False), st.data())
def test_property_missing_history_and_missing_bases_still_give_a_tree(
    forest: tuple[list[Image], dict[str, str]], rnd: random.Random, data: Any
) -> None:
    images, _truth = forest
    drop = data.draw(st.sets(st.integers(0, len(images) - 1)))
    no_history = data.draw(st.sets(st.integers(0, len(images) - 1)))
    kept = [
        Image(i.id, i.tags, i.layers, None if n in no_history else i.history, created=i.created)
        for n, i in enumerate(images)
        if n not in drop
    ]
    shuffled = list(kept)
    rnd.shuffle(shuffled)
    graph = build(shuffled)
    assert_tree_invariants(graph)
    assert set(graph) >= {i.id for i in kept}
    first, second = build(kept), graph
    assert sorted(first.edges) == sorted(second.edges)


def test_same_layer_made_by_different_steps_splits_into_groups() -> None:
    # BuildKit reused its cached `COPY busybox` step for two FROM-scratch builds; the classic
    # builder made the same layer with a different step: only the first two share a base.
    layer = digest("busybox")
    bk_step = step("COPY busybox /bin/busybox # buildkit", 5)
    a = image("a:bk", [layer, digest("a")], [bk_step, step("COPY a", 6)])
    b = image("b:bk", [layer, digest("b")], [bk_step, step("COPY b", 7)])
    c = image(
        "c:classic",
        [layer, digest("c")],
        [step("COPY file:x in /bin/busybox", 4), step("COPY c", 4)],
    )
    graph = build([a, b, c])
    (base,) = (n for n in graph if graph.nodes[n]["kind"] == "virtual")
    assert sorted(graph.successors(base)) == sorted([a.id, b.id])
    assert parent_tag(graph, c.id) == SCRATCH_ID
    assert graph.nodes[base]["created_by"] == bk_step.created_by
    assert_tree_invariants(graph)

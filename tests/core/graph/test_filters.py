"""Filters keep a tree: hidden dangling images lift their children, collapse counts, focus."""

from __future__ import annotations

import networkx as nx

from fromscratch.core.formats.inventory import Image
from fromscratch.core.graph.filters import MORE_PREFIX, TreeFilter, apply
from fromscratch.core.graph.lineage import build_tree
from fromscratch.core.graph.records import NodeKind
from fromscratch.core.graph.tree import Tree
from tests.core.helpers import child_of, digest, image, step


def forest() -> tuple[Tree, dict[str, Image]]:
    base = image("base:1", [digest("b")], [step("ADD b", 1)])
    old = child_of(base, "old", 1)
    old = image(None, list(old.layers), list(old.history or ()))  # dangling
    app = child_of(old, "app:1", 1)
    other = child_of(base, "other:1", 2)
    images = {"base": base, "old": old, "app": app, "other": other}
    return build_tree(images.values()), images


def test_default_filter_shows_everything() -> None:
    graph, _ = forest()
    shown = apply(graph, TreeFilter())
    assert sorted(shown.edges) == sorted(graph.edges)


def test_hiding_dangling_lifts_children_to_the_next_shown_ancestor() -> None:
    graph, img = forest()
    shown = apply(graph, TreeFilter(hide_dangling=True))
    assert img["old"].id not in shown
    assert list(shown.predecessors(img["app"].id)) == [img["base"].id]
    assert shown.edges[img["base"].id, img["app"].id]["ambiguous"]  # drawn dashed: a jump
    assert nx.is_arborescence(shown.to_networkx())


def test_collapse_hides_the_subtree_and_counts_it() -> None:
    graph, img = forest()
    shown = apply(graph, TreeFilter().toggled(img["base"].id))
    assert set(shown) == {"scratch", img["base"].id}
    assert shown.nodes[img["base"].id]["hidden"] == 3
    assert (
        apply(graph, TreeFilter().toggled(img["base"].id).toggled(img["base"].id)).number_of_nodes()
        == 5
    )


def test_focus_shows_only_the_ancestry() -> None:
    graph, img = forest()
    shown = apply(graph, TreeFilter(focus=img["app"].id))
    assert set(shown) == {"scratch", img["base"].id, img["old"].id, img["app"].id}
    assert nx.is_arborescence(shown.to_networkx())


def test_a_presented_chain_stands_its_other_images_as_one_more_card_per_level() -> None:
    graph, img = forest()
    chain = ("scratch", img["base"].id, img["old"].id)
    shown = apply(graph, TreeFilter(hide_dangling=True, chain=chain))  # the chain wins
    assert set(chain) <= set(shown)
    more = {n: a for n, a in shown.nodes(data=True) if a["kind"] == NodeKind.MORE}
    # base: "other" is off the chain; old: "app" is; scratch: nothing else stands there
    assert {n: a["label"] for n, a in more.items()} == {
        MORE_PREFIX + img["base"].id: "+1 more",
        MORE_PREFIX + img["old"].id: "+1 more",
    }
    assert nx.is_arborescence(shown.to_networkx())
    assert len(shown) == len(chain) + 2


def test_the_more_card_counts_everything_above_the_level() -> None:
    graph, img = forest()
    shown = apply(graph, TreeFilter(chain=("scratch", img["base"].id)))
    (card,) = [a for a in shown.nodes.values() if a["kind"] == NodeKind.MORE]
    assert card["hidden"] == 3 and card["label"] == "+3 more"  # old, app, other


def test_collapsed_base_chains_fold_single_child_images_into_the_next() -> None:
    from fromscratch.core.formats.sample import load_sample
    from fromscratch.core.graph.tree import find

    graph = build_tree(load_sample().images)
    shown = apply(graph, TreeFilter(fold_chains=True))
    debian, curl, scm = (
        find(graph, ref)
        for ref in ("debian:12", "buildpack-deps:bookworm-curl", "buildpack-deps:bookworm-scm")
    )
    assert debian not in shown and curl not in shown  # one image on each: folded
    assert list(shown.predecessors(scm)) == ["scratch"]
    assert shown.nodes[scm]["folded"] == 2 and shown.edges["scratch", scm]["ambiguous"]
    leaves = {n for n in graph if not graph.child_map[n]}
    assert leaves <= set(shown)  # every image nothing stands on stays
    assert nx.is_arborescence(shown.to_networkx())
    kept = set(shown)
    assert sum(a.get("folded", 0) for a in shown.nodes.values()) == len(graph) - len(kept)


def test_revealing_an_image_opens_only_its_path() -> None:
    from fromscratch.core.formats.sample import load_sample
    from fromscratch.core.graph.filters import TreeFilter, apply, revealing
    from fromscratch.core.graph.lineage import build_tree
    from fromscratch.core.graph.tree import ancestry, find

    tree = build_tree(load_sample().images)
    target = find(tree, "python:3-bookworm")
    other = find(tree, "alpine:3.24")
    assert target is not None and other is not None
    path = ancestry(tree, target)
    hidden = TreeFilter(hide_dangling=True, collapsed=frozenset({path[1], other}))
    assert target not in apply(tree, hidden)
    shown = revealing(tree, hidden, target)
    assert target in apply(tree, shown)
    assert other in shown.collapsed and shown.hide_dangling  # the rest stays as it was

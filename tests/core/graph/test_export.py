"""Graph exports: one registry of formats, and one rule for which edges are drawn dashed."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest

from fromscratch.core.graph.export import (
    CLI_FORMATS,
    GRAPH_FORMATS,
    export_graph,
    file_filters,
    format_for,
    to_dot,
)
from fromscratch.core.graph.lineage import build_tree
from fromscratch.core.graph.records import EdgeMethod, is_uncertain
from fromscratch.core.graph.tree import Tree
from tests.core.helpers import child_of, digest, image, step


def shared_base_forest() -> Tree:
    """python and node share Debian's and curl's layers, but neither image is local: they hang
    from an inferred base; an ubuntu app stands alone; one image has no history (a guess)."""
    debian = image("debian:12", [digest("deb")], [step("RUN # debian.sh bookworm", 1)])
    curl = child_of(debian, "curl:1", 1)
    python = child_of(curl, "python:3", 2)
    node = child_of(curl, "node:22", 3)
    ubuntu = image("ubuntu:24.04", [digest("ub")], [step("ADD ubuntu", 1)])
    app = child_of(ubuntu, "uapp:1", 1)
    guess = image("guess:1", [*ubuntu.layers, digest("g")], None)
    return build_tree([python, node, ubuntu, app, guess])


def test_dot_dashes_exactly_the_edges_the_view_dashes() -> None:
    graph = shared_base_forest()
    dot = to_dot(graph).splitlines()
    methods = set()
    for parent, child, edge in graph.edges(data=True):
        (line,) = [x for x in dot if x.startswith(f'  "{child}" -> "{parent}"')]
        assert ("style=dashed" in line) == is_uncertain(edge), line
        methods.add((edge["method"], is_uncertain(edge)))
    # every kind of dashing is exercised: a shared-layers edge (dashed although not
    # ambiguous), a virtual base's own edge, a layers-only guess, and solid edges
    assert (EdgeMethod.SHARED_LAYERS, True) in methods
    assert (EdgeMethod.VIRTUAL, True) in methods
    assert (EdgeMethod.LAYERS_ONLY, True) in methods
    assert (EdgeMethod.LAYERS_AND_HISTORY, False) in methods


def test_json_carries_the_documented_strings(tmp_path: Path) -> None:
    graph = shared_base_forest()
    out = export_graph(graph, tmp_path / "tree.json")
    data = json.loads(out.read_text())
    assert {n["kind"] for n in data["nodes"]} == {"scratch", "image", "virtual"}
    assert {"shared-layers", "virtual", "base", "layers"} <= {e["method"] for e in data["edges"]}
    virtual = next(n for n in data["nodes"] if n["kind"] == "virtual")
    assert "build curl:1" in virtual["created_by"]


def test_formats_come_from_one_registry(tmp_path: Path) -> None:
    graph = shared_base_forest()
    assert CLI_FORMATS == ("text", "json", "dot", "graphml")
    assert file_filters() == "JSON (*.json);;Graphviz DOT (*.dot);;GraphML (*.graphml)"
    for fmt in GRAPH_FORMATS:
        path = export_graph(graph, tmp_path / f"TREE{fmt.suffix.upper()}")
        assert format_for(path) is fmt
        assert path.read_text() == fmt.write(graph)
    back = nx.read_graphml(tmp_path / "TREE.GRAPHML")
    assert set(back.nodes) == set(graph)
    assert back.nodes["scratch"]["kind"] == "scratch"
    with pytest.raises(ValueError, match=r"use \.json, \.dot or \.graphml"):
        format_for(tmp_path / "tree.txt")

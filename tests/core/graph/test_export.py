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


HOSTILE_TAGS = (
    "evil:1\n└─ fake:line",  # a newline that would draw a tree line of its own
    "title:\x1b]0;pwned\x07",  # OSC: retitles the terminal
    "clear:\x1b[2J",
    "nul:\x00bel\x07\x01",
    'quote:"];\nx -> y',  # would close a DOT string and start statements
    "bidi:\u202eexe.txt",  # shows as "txt.exe": a right-to-left override
    "back:a\\b\r\n\tc",  # backslash, CR, LF, tab: XML carries them, a terminal must not
)


def hostile_tree() -> Tree:
    base = image("base:1", [digest("b")], [step("ADD b", 1)])
    kids = [child_of(base, tag, 1) for tag in HOSTILE_TAGS]
    return build_tree([base, *kids])


def test_text_exports_write_control_characters_out() -> None:
    from fromscratch.core.graph.export import render

    text = render(hostile_tree(), "text")
    assert "\x1b" not in text and "\x00" not in text and "\x07" not in text
    lines = text.splitlines()
    assert len(lines) == 2 + len(HOSTILE_TAGS)  # scratch, base, one line per image: no fakes
    assert any("evil:1\\x0a└─ fake:line" in line for line in lines)
    assert "\u202e" not in text and "bidi:\\u202eexe.txt" in text
    assert "back:a\\\\b\\x0d\\x0a\\x09c" in text  # a backslash doubles: nothing ambiguous


def test_graphml_of_hostile_tags_is_well_formed_xml(tmp_path: Path) -> None:
    import xml.etree.ElementTree as ET

    path = export_graph(hostile_tree(), tmp_path / "t.graphml")
    root = ET.parse(path).getroot()  # raises on characters XML cannot hold
    assert len(root.findall(".//{http://graphml.graphdrawing.org/xmlns}node")) == 2 + len(
        HOSTILE_TAGS
    )


def test_graphml_reads_back_what_xml_can_hold_exactly(tmp_path: Path) -> None:
    """Backslashes, LF, CR and tab in ids and values come back as they were (they used to be
    written out as `\\x0a`); only what XML 1.0 forbids (ESC, NUL, BEL ...) is written out."""
    import networkx as nx

    graph = hostile_tree()
    odd_id = "sha256:odd\nid\r\\x"
    base = next(n for n in graph if graph.nodes[n]["tags"] == ("base:1",))
    nx.relabel_nodes(graph.to_networkx(), {base: odd_id}, copy=False)
    back = nx.read_graphml(export_graph(graph, tmp_path / "t.graphml"))
    wanted = {t for t in HOSTILE_TAGS if not any(c in t for c in "\x1b\x00\x07\x01")}
    assert wanted <= {back.nodes[n]["tags"] for n in back}
    assert "title:\\x1b]0;pwned\\x07" in {back.nodes[n]["tags"] for n in back}
    assert odd_id in back and set(back) == set(graph)
    assert back.nodes["scratch"]["dangling"] is False and back.nodes["scratch"]["size"] == 0


def test_dot_of_hostile_tags_keeps_one_statement_per_node(tmp_path: Path) -> None:
    graph = hostile_tree()
    dot = export_graph(graph, tmp_path / "t.dot").read_text()
    assert "\x00" not in dot and "\x1b" not in dot
    statements = [line for line in dot.splitlines() if line.startswith('  "')]
    assert len(statements) == len(graph) + len(list(graph.edges))


@pytest.mark.system
def test_graphviz_draws_the_dot_of_hostile_tags(tmp_path: Path) -> None:
    import subprocess

    from tests.support.tools import need

    graph = hostile_tree()
    export_graph(graph, tmp_path / "t.dot")
    done = subprocess.run([need("dot"), "-Tsvg", str(tmp_path / "t.dot")], capture_output=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count(b'class="node"') == len(graph)

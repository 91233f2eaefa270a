"""The lineage tree as text (like dockviz), JSON, DOT and GraphML; used by the CLI and the GUI.

The file formats are a registry (:data:`GRAPH_FORMATS`): the CLI's `--format` choices, the
export dialog's filters and the suffix a saved file is written in all come from it.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fromscratch.core.files import atomic_write
from fromscratch.core.formats.inventory import SizeBasis
from fromscratch.core.formats.names import main_tag
from fromscratch.core.graph.layout import Position, sort_key, tidy_layout
from fromscratch.core.graph.look import Line, edge_line, look_of
from fromscratch.core.graph.records import SCRATCH_ID, NodeKind, is_uncertain, stand_in
from fromscratch.core.graph.tree import Tree, ancestry
from fromscratch.core.text import format_size, printable


def ancestry_subgraph(graph: Tree, node: str) -> Tree:
    """Only the chain from `node` down to scratch (for `--image`)."""
    return graph.subgraph(ancestry(graph, node)).copy()


def _node_line(graph: Tree, node: str, *, mixed_sizes: bool = False) -> str:
    attrs = graph.nodes[node]
    kind = attrs["kind"]
    if kind == NodeKind.SCRATCH:
        return "scratch (empty: no files, no kernel)"
    what = stand_in(attrs)
    parts = [f"[{what}] {attrs['label']}" if what else attrs["label"]]
    tags = attrs["tags"]
    extra = [t for t in tags if t != main_tag(tags)] if tags else []
    if extra:
        parts.append("(" + ", ".join(extra) + ")")
    image = attrs["image"]
    if image is not None:
        parts.append(image.short_id)
    if attrs["size"] is not None:
        own = attrs["own_size"]
        size = format_size(attrs["size"]) + (f" (+{format_size(own)})" if own else "")
        if image is not None and image.size_basis is SizeBasis.COMPRESSED and mixed_sizes:
            size += " compressed"
        parts.append(size)
    if attrs["dangling"]:
        parts.append("[dangling]")
    preds = list(graph.predecessors(node))
    if preds and graph.edges[preds[0], node]["ambiguous"]:
        parts.append("[parent uncertain]")
    return printable("  ".join(parts))  # a tag's newline or escape must not draw or act


MAX_INDENT = 40
"""Generations drawn in full; deeper lines keep the last 40 and start with `⋯` (a 50,000-deep
chain indented in full is ~3.75 GB of spaces)."""


def _bounded(prefix: str) -> str:
    width = 3 * MAX_INDENT
    return prefix if len(prefix) <= width else "⋯" + prefix[-(width - 1) :]


def to_text(graph: Tree, root: str = SCRATCH_ID) -> str:
    """An indented tree from `root` up, children sorted as in the layout."""
    out = io.StringIO()
    bases = size_bases(graph)
    mixed = len(bases) > 1
    stack: list[tuple[str, str, bool, bool]] = [(root, "", True, True)]
    while stack:
        node, prefix, last, top = stack.pop()
        branch = "" if top else ("└─ " if last else "├─ ")
        out.write(prefix + branch + _node_line(graph, node, mixed_sizes=mixed) + "\n")
        kids = sorted(graph.successors(node), key=lambda n: sort_key(graph, n))
        child_prefix = prefix if top else _bounded(prefix + ("   " if last else "│  "))
        for i, kid in reversed(list(enumerate(kids))):
            stack.append((kid, child_prefix, i == len(kids) - 1, False))
    out.write(size_legend(bases))
    return out.getvalue()


def size_bases(graph: Tree) -> set[SizeBasis]:
    """What the images' sizes count, over the graph."""
    return {
        attrs["image"].size_basis
        for _, attrs in graph.nodes(data=True)
        if attrs["image"] is not None
    }


def size_legend(bases: set[SizeBasis]) -> str:
    """A closing line saying what the sizes count, when it is not plain layer bytes (the
    containerd image store's sizes are unpacked disk blocks, or compressed content)."""
    if not bases - {SizeBasis.LAYER_BYTES}:
        return ""
    mixed = len(bases) > 1
    told = " and ".join(
        f"{basis.value} (marked “compressed”)"
        if basis is SizeBasis.COMPRESSED and mixed
        else basis.value
        for basis in sorted(bases, key=list(SizeBasis).index)
    )
    hint = "; compressed sizes are in --format json" if SizeBasis.UNPACKED_BLOCKS in bases else ""
    return f"sizes: {told}{hint}\n"


def chain_text(graph: Tree, node: str) -> str:
    """One image's ancestry, from the image down to scratch, with how each step was found."""
    lines = []
    chain = ancestry(graph, node)
    bases = size_bases(graph.subgraph(chain))
    for depth, current in enumerate(chain):
        indent = _bounded("   " * min(depth - 1, MAX_INDENT + 1)) + "└─ " if depth else ""
        line = indent + _node_line(graph, current, mixed_sizes=len(bases) > 1)
        if depth + 1 < len(chain):
            edge = graph.edges[chain[depth + 1], current]
            line += f"   <- {edge['method']} ({edge['confidence']:.2f})"
        lines.append(line)
    return "\n".join(lines) + "\n" + size_legend(bases)


def node_record(graph: Tree, node: str, position: Position | None = None) -> dict[str, Any]:
    """The JSON view of one node (documented in the README)."""
    attrs = graph.nodes[node]
    image = attrs["image"]
    record: dict[str, Any] = {
        "id": node,
        "tags": list(attrs["tags"]),
        "kind": attrs["kind"],
        "label": attrs["label"],
        "size": attrs["size"],
        "own_size": attrs["own_size"],
        "layers": attrs["layer_count"],
        "dangling": attrs["dangling"],
        "intermediate": attrs["intermediate"],
    }
    if image is not None:
        record["created"] = image.created
        record["size_basis"] = image.size_basis.name.lower()
        if image.content_size is not None:
            record["content_size"] = image.content_size
        if image.aliases:
            record["aliases"] = list(image.aliases)
    if "created_by" in attrs:
        record["created_by"] = attrs["created_by"]
    if "local_id" in attrs:
        record["local_id"] = attrs["local_id"]
    if position is not None:
        record["x"], record["level"] = position.x, position.level
    return record


def to_json_data(graph: Tree) -> dict[str, Any]:
    """`{"nodes": [...], "edges": [...]}` with layout positions, nodes in layout order."""
    root = SCRATCH_ID if SCRATCH_ID in graph else next(iter(graph))
    positions = tidy_layout(graph, root)
    return {
        "nodes": [node_record(graph, n, positions.get(n)) for n in positions],
        "edges": [
            {
                "child": c,
                "parent": p,
                "method": a["method"],
                "confidence": a["confidence"],
                "ambiguous": a["ambiguous"],
            }
            for p, c, a in graph.edges(data=True)
        ],
    }


def to_json(graph: Tree) -> str:
    """Encoded by msgspec: 10,250 images spent 0.9 s of 2.2 s in the standard json module."""
    import msgspec

    return msgspec.json.format(msgspec.json.encode(to_json_data(graph)), indent=1).decode() + "\n"


def _dot_quote(text: str) -> str:
    """A DOT string of `text` whose control characters are written out (Graphviz refuses NUL,
    and a raw newline in an id would start another statement)."""
    return '"' + printable(text).replace('"', '\\"') + '"'


def to_dot(graph: Tree) -> str:
    """Graphviz DOT, scratch at the bottom (`rankdir=BT`); needs no Graphviz to write."""
    lines = ["digraph lineage {", "  rankdir=BT;", '  node [shape=box, fontname="sans-serif"];']
    for node, attrs in graph.nodes(data=True):
        label = _dot_quote(attrs["label"])
        if attrs["size"]:
            label = label[:-1] + "\\n" + format_size(attrs["size"]) + '"'  # DOT's line break
        look = look_of(attrs["kind"], dangling=attrs["dangling"])
        rounded = "rounded," if attrs["kind"] == NodeKind.SCRATCH else ""
        style = f'style="{rounded}{look.line}"' + (", color=gray" if look.opacity < 1 else "")
        lines.append(f"  {_dot_quote(node)} [label={label}, {style}];")
    for parent, child, edge in graph.edges(data=True):
        line = edge_line(uncertain=is_uncertain(edge))
        style = f", style={line}" if line != Line.SOLID else ""
        lines.append(
            f"  {_dot_quote(child)} -> {_dot_quote(parent)} "
            f"[tooltip={_dot_quote(edge['method'])}{style}];"
        )
    lines.append("}")
    return "\n".join(lines) + "\n"


_GRAPHML_HEAD = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
    'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">'
)
_XML_ESCAPES = {ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;", ord('"'): "&quot;"}
# Characters XML 1.0 carries, but a parser would change if written as they are: CR (read as
# LF), and in attributes LF and tab (read as spaces).
_XML_ESCAPES |= {ord("\r"): "&#13;", ord("\n"): "&#10;", ord("\t"): "&#9;"}
_XML_FORBIDDEN = {
    c: f"\\x{c:02x}" for c in (*range(0x20), 0xFFFE, 0xFFFF) if c not in (0x09, 0x0A, 0x0D)
}


def _xml(text: str) -> str:
    """`text` as XML 1.0 text or attribute value that reads back as exactly `text`, except
    for what XML 1.0 cannot hold at all (C0 controls but tab, LF and CR; U+FFFE, U+FFFF;
    lone surrogates), which is written out as `\\xNN` (`\\udNNN`)."""
    text = text.translate(_XML_FORBIDDEN)
    if any("\ud800" <= ch <= "\udfff" for ch in text):
        text = "".join(f"\\u{ord(ch):04x}" if "\ud800" <= ch <= "\udfff" else ch for ch in text)
    return text.translate(_XML_ESCAPES)


def _graphml_value(value: Any) -> tuple[str, str]:
    """(GraphML attr.type, the value as text) of one attribute value."""
    if isinstance(value, bool):
        return "boolean", "true" if value else "false"
    if isinstance(value, int):
        return "long", str(value)
    if isinstance(value, float):
        return "double", repr(value)
    if isinstance(value, list | tuple):
        return "string", ",".join(str(v) for v in value)
    return "string", "" if value is None else str(value)


def to_graphml(graph: Tree) -> str:
    """GraphML (Gephi, yEd, networkx.read_graphml): every node's JSON record and every edge's
    method, confidence and ambiguity. Ids and values read back exactly (newlines, CR,
    backslashes and all), but for characters XML 1.0 cannot hold."""
    nodes = [(n, node_record(graph, n)) for n in graph]
    edges = [
        (
            p,
            c,
            {
                "method": str(a["method"]),
                "confidence": a["confidence"],
                "ambiguous": a["ambiguous"],
            },
        )
        for p, c, a in graph.edges(data=True)
    ]
    keys: dict[tuple[str, str], str] = {}  # (domain, name) -> attr.type; string when mixed
    for domain, records in (("node", [r for _, r in nodes]), ("edge", [a for _, _, a in edges])):
        for record in records:
            for name, value in record.items():
                if name == "id":
                    continue
                kind = _graphml_value(value)[0]
                if keys.setdefault((domain, name), kind) != kind:
                    keys[(domain, name)] = "string"
    ids = {key: f"d{number}" for number, key in enumerate(keys)}
    lines = [_GRAPHML_HEAD]
    for (domain, name), kind in keys.items():
        lines.append(
            f'  <key id="{ids[domain, name]}" for="{domain}" attr.name="{_xml(name)}" '
            f'attr.type="{kind}"/>'
        )
    lines.append('  <graph edgedefault="directed">')

    def data(domain: str, record: dict[str, Any]) -> None:
        for name, value in record.items():
            if name != "id":
                lines.append(
                    f'      <data key="{ids[domain, name]}">{_xml(_graphml_value(value)[1])}</data>'
                )

    for node, record in nodes:
        lines.append(f'    <node id="{_xml(node)}">')
        data("node", record)
        lines.append("    </node>")
    for parent, child, record in edges:
        lines.append(f'    <edge source="{_xml(parent)}" target="{_xml(child)}">')
        data("edge", record)
        lines.append("    </edge>")
    lines += ["  </graph>", "</graphml>"]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True, slots=True)
class GraphFormat:
    """A file format the graph can be written in."""

    name: str
    """As the CLI's `--format` takes it."""
    title: str
    """As a file dialog's filter names it."""
    suffix: str
    write: Callable[[Tree], str]


GRAPH_FORMATS: tuple[GraphFormat, ...] = (
    GraphFormat("json", "JSON", ".json", to_json),
    GraphFormat("dot", "Graphviz DOT", ".dot", to_dot),
    GraphFormat("graphml", "GraphML", ".graphml", to_graphml),
)
TEXT = "text"
"""The CLI's own format: the indented tree, for reading in a terminal."""
CLI_FORMATS = (TEXT, *(f.name for f in GRAPH_FORMATS))


def file_filters() -> str:
    """`JSON (*.json);;Graphviz DOT (*.dot);;GraphML (*.graphml)`, for a save dialog."""
    return ";;".join(f"{f.title} (*{f.suffix})" for f in GRAPH_FORMATS)


def format_named(name: str) -> GraphFormat:
    for fmt in GRAPH_FORMATS:
        if fmt.name == name:
            return fmt
    raise ValueError(f"unknown format {name!r}; choose one of {', '.join(CLI_FORMATS)}")


def format_for(path: Path) -> GraphFormat:
    """The format a file name asks for, by its suffix."""
    for fmt in GRAPH_FORMATS:
        if path.suffix.lower() == fmt.suffix:
            return fmt
    *first, last = (f.suffix for f in GRAPH_FORMATS)
    raise ValueError(f"{path.name}: use {', '.join(first)} or {last}")


def render(graph: Tree, fmt: str, image: str | None = None) -> str:
    """Any of :data:`CLI_FORMATS`; with `image`, only that image's ancestry."""
    if fmt == TEXT:
        return chain_text(graph, image) if image is not None else to_text(graph)
    writer = format_named(fmt).write
    return writer(ancestry_subgraph(graph, image) if image is not None else graph)


def export_graph(graph: Tree, path: str | Path) -> Path:
    """Write `graph` in the format the file name asks for, atomically."""
    target = Path(path)
    atomic_write(target, format_for(target).write(graph).encode())
    return target

"""What the details panel shows for one node: facts, and each build step with the ancestor it
was inherited from, so "how much of my image is debian?" has an answer.

A step (or layer) belongs to the lowest ancestor on the chain to scratch that already had it:
ancestors' histories and layer lists are prefixes of the image's, so ownership is a count.
"""

from __future__ import annotations

from dataclasses import dataclass

from fromscratch.core.formats.inventory import Image, SizeBasis
from fromscratch.core.graph.records import METHOD_TEXT, SCRATCH_ID, EdgeMethod, NodeKind
from fromscratch.core.graph.tree import Tree, ancestry
from fromscratch.core.text import shorten

OWN = "own"
_UNTOLD_BASE = (
    "the data cannot tell its base (no layers or history, or Parent fields that loop): "
    "shown under scratch"
)


@dataclass(frozen=True, slots=True)
class StepRow:
    """One history step (or, without history, one layer) of the image."""

    index: int
    instruction: str
    """The full `CreatedBy` text (the panel shortens it and shows it whole on hover)."""
    size: int | None
    empty: bool
    """A metadata-only step (ENV, CMD ...): no layer."""
    owner: str
    """Node id of the ancestor it was inherited from, or :data:`OWN`."""
    owner_label: str
    layer: int | None
    """Index into the image's layer list, None for empty steps."""


@dataclass(frozen=True, slots=True)
class Share:
    """Bytes contributed by one ancestor (or the image itself) to the image's size."""

    owner: str
    label: str
    size: int


@dataclass(frozen=True, slots=True)
class Details:
    """Everything the panel needs for one node, computed when it is selected (on the GUI
    thread: ~20 ms on the sample; `gui.window.mainwindow` loads this module after the first
    paint)."""

    node: str
    kind: str
    facts: tuple[tuple[str, str], ...]
    rows: tuple[StepRow, ...]
    shares: tuple[Share, ...]
    """Per owner, bottom (scratch side) first; sums to the image's layer bytes."""


def _label(graph: Tree, node: str) -> str:
    return str(graph.nodes[node]["label"])


def _chain_counts(graph: Tree, chain: list[str], image: Image) -> list[tuple[str, int, int]]:
    """(ancestor, layers it has, history steps it has), from scratch upwards, without the image."""
    steps = image.history or ()
    layer_step = [i for i, s in enumerate(steps) if not s.empty_layer]
    out = []
    for node in reversed(chain[1:]):
        attrs = graph.nodes[node]
        if node == SCRATCH_ID:
            continue
        layers = int(attrs["layer_count"])
        owner_image: Image | None = attrs["image"]
        if owner_image is not None and owner_image.history is not None:
            hist = len(owner_image.history)
        elif attrs.get("steps"):  # an inferred base: its layers' steps and the metadata after
            hist = int(attrs.get("steps", 0))
        elif 0 < layers <= len(layer_step):
            hist = layer_step[layers - 1] + 1  # up to the step of its last layer
        else:
            hist = 0
        out.append((node, layers, hist))
    return out


def _owner(counts: list[tuple[str, int, int]], index: int, *, by_layers: bool) -> str:
    for node, layers, hist in counts:
        if index < (layers if by_layers else hist):
            return node
    return OWN


def step_rows(graph: Tree, node: str) -> tuple[StepRow, ...]:
    """The image's steps, oldest first, each with the ancestor it came from."""
    image: Image | None = graph.nodes[node]["image"]
    if image is None:
        return ()
    counts = _chain_counts(graph, ancestry(graph, node), image)
    sizes = image.layer_sizes
    rows: list[StepRow] = []
    if image.history is not None and sum(not s.empty_layer for s in image.history) == len(
        image.layers
    ):
        layer = 0
        for i, step in enumerate(image.history):
            owner = _owner(counts, i, by_layers=False)
            if step.empty_layer:
                rows.append(StepRow(i, step.created_by, 0, True, owner, _name(graph, owner), None))
                continue
            size = sizes[layer] if sizes is not None else step.size
            owner = _owner(counts, layer, by_layers=True)
            rows.append(StepRow(i, step.created_by, size, False, owner, _name(graph, owner), layer))
            layer += 1
        return tuple(rows)
    for layer, digest in enumerate(image.layers):  # no usable history: one row per layer
        owner = _owner(counts, layer, by_layers=True)
        size = sizes[layer] if sizes is not None else None
        rows.append(
            StepRow(layer, f"layer {digest[:19]}", size, False, owner, _name(graph, owner), layer)
        )
    return tuple(rows)


def _name(graph: Tree, owner: str) -> str:
    return "own" if owner == OWN else _label(graph, owner)


def shares(rows: tuple[StepRow, ...]) -> tuple[Share, ...]:
    """Bytes per owner, in the order owners first appear (scratch side first)."""
    totals: dict[str, Share] = {}
    for row in rows:
        if row.empty or row.size is None:
            continue
        old = totals.get(row.owner)
        totals[row.owner] = Share(row.owner, row.owner_label, (old.size if old else 0) + row.size)
    return tuple(totals.values())


def facts(graph: Tree, node: str) -> tuple[tuple[str, str], ...]:
    """Label/value pairs for the facts section."""
    from fromscratch.core.text import format_size

    attrs = graph.nodes[node]
    if attrs["kind"] == NodeKind.SCRATCH:
        return (
            ("image", "scratch"),
            (
                "what",
                "the empty image: no files, no libc, no shell and no kernel. Every chain "
                "of images ends here; `FROM scratch` starts from nothing.",
            ),
        )
    preds = list(graph.predecessors(node))
    edge = graph.edges[preds[0], node] if preds else None
    found = ""
    if edge is not None:
        text = METHOD_TEXT[edge["method"]]
        if edge["method"] == EdgeMethod.BASE and edge["ambiguous"]:
            text = _UNTOLD_BASE
        found = f"{text} (confidence {edge['confidence']:.2f})"
        if edge["ambiguous"]:
            found += "; uncertain"
    parent = _label(graph, preds[0]) if preds else ""
    image = attrs["image"]
    if image is None and attrs.get("local_id"):  # a hidden build step holds these layers
        return (
            (
                "image",
                "a build step the classic builder kept: a local, untagged image, hidden "
                "with the other build steps (Filters > Show build intermediates shows it)",
            ),
            ("id", str(attrs.get("local_id", ""))),
            ("made by", shorten(attrs.get("created_by", ""), 200)),
            ("layers", str(attrs["layer_count"])),
            ("size", format_size(attrs["size"])),
            ("parent", parent),
            ("why", found),
        )
    if image is None:  # an inferred base
        return (
            ("image", "inferred base (not present locally)"),
            ("made by", shorten(attrs.get("created_by", ""), 200)),
            ("layers", str(attrs["layer_count"])),
            ("size", format_size(attrs["size"])),
            ("parent", parent),
            ("why", found),
        )
    rows = [
        ("id", image.id),
        (
            "tags",
            ", ".join(image.tags) or "none (dangling)"
            if not attrs["intermediate"]
            else "none (build intermediate)",
        ),
        ("created", image.created),
        ("platform", "/".join(p for p in (image.os, image.architecture) if p) or "?"),
        ("size", _size_text(image, attrs["own_size"])),
        ("layers", str(len(image.layers))),
        ("cmd", " ".join(image.cmd) if image.cmd else "—"),
        ("entrypoint", " ".join(image.entrypoint) if image.entrypoint else "—"),
        ("parent", parent),
        ("how found", found),
    ]
    if image.content_size is not None:
        rows.insert(5, ("compressed", f"{format_size(image.content_size)} (content in the store)"))
    if image.digests:
        rows.insert(2, ("digests", ", ".join(image.digests)))
    if image.aliases:
        rows.insert(1, ("also id", ", ".join(image.aliases)))
    return tuple(rows)


def _size_text(image: Image, own: int | None) -> str:
    """The image's size with what it counts, when that is not plain layer bytes."""
    from fromscratch.core.text import format_size

    text = format_size(image.size)
    if image.size_basis is not SizeBasis.LAYER_BYTES:
        text += f", {image.size_basis.value}"
    added = f" (layers it added to its parent's: {format_size(own)})" if own is not None else ""
    return text + added


def details(graph: Tree, node: str) -> Details:
    """All of the panel's content for `node`."""
    rows = step_rows(graph, node)
    return Details(node, str(graph.nodes[node]["kind"]), facts(graph, node), rows, shares(rows))

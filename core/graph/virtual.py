"""Inferred bases: layer prefixes that several images share but no local image holds.

`docker pull python:3` brings python's layers, which start with Debian's, without a local
`debian` image: the images built on it still belong together, under a base the tree names
after the step that made its last layer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from fromscratch.core.formats.inventory import Image
from fromscratch.core.graph.records import SCRATCH_ID, Edge, EdgeMethod
from fromscratch.core.graph.trie import ROOT_NODE
from fromscratch.core.text import shorten

if TYPE_CHECKING:
    from fromscratch.core.graph.lineage import LineageBuilder


@dataclass(slots=True)
class VirtualBase:
    """A layer prefix that several images share but no image shown holds."""

    id: str
    layers: tuple[str, ...]
    label: str
    created_by: str
    size: int | None
    steps: int
    """How many history steps it holds: through its last layer's step and the metadata steps
    (LABEL, CMD ...) after it that every image on it shares; 0 when history is unknown."""
    local_id: str = ""
    """A local image that holds exactly these layers but is hidden: a classic builder's
    build-step image (shown with Filters > Show build intermediates)."""
    shared: tuple[Signature, ...] = ()
    """The signatures of the `steps` steps, to narrow them as more images join."""


def _virtual_id(layers: Sequence[str]) -> str:
    import hashlib

    return "virtual:" + hashlib.sha256("\n".join(layers).encode()).hexdigest()[:16]


Signature = tuple[str, int | float | str, str]


def _layer_signatures(image: Image) -> list[Signature | None]:
    """Per layer, the signature of the step that created it (None when history is unknown or
    does not line up with the layers)."""
    if image.history is None:
        return [None] * len(image.layers)
    sigs: list[Signature | None] = [s.signature() for s in image.history if not s.empty_layer]
    return sigs if len(sigs) == len(image.layers) else [None] * len(image.layers)


def add_virtual_bases(
    builder: LineageBuilder, edges: dict[str, Edge]
) -> tuple[dict[str, Edge], list[VirtualBase]]:
    """Turn shared, unpopulated layer prefixes into virtual bases; returns new edges and bases.

    A trie node below a parent becomes a virtual base when children of that parent branch
    through it *and* agree on the history step (text and time) that made its last layer: two
    unrelated `COPY busybox` builds share a layer digest but not the step. Children that share
    the node with different steps form different groups, each its own virtual base."""
    groups: dict[str, list[str]] = {}
    for child, edge in edges.items():
        groups.setdefault(edge.parent, []).append(child)
    out = dict(edges)
    bases: dict[str, VirtualBase] = {}
    for parent, children in groups.items():
        if parent != SCRATCH_ID and parent not in builder.by_id:
            continue  # an absent parent: its layers are unknown, so nothing forks below it
        start = 0 if parent == SCRATCH_ID else len(builder.by_id[parent].layers)
        parent_leaf = ROOT_NODE if parent == SCRATCH_ID else builder.leaf(parent)
        by_first: dict[int, list[str]] = {}
        for child in children:  # only children sharing their first own layer can fork
            path = builder.paths[child]
            if len(path) <= start + 1 or (start and path[start - 1] != parent_leaf):
                continue
            by_first.setdefault(path[start], []).append(child)
        below = [c for group in by_first.values() if len(group) > 1 for c in group]
        fanout: dict[int, set[int]] = {}
        for child in below:  # which trie nodes do they branch at?
            path = builder.paths[child]
            for k in range(start, len(path) - 1):
                fanout.setdefault(path[k], set()).add(path[k + 1])
        forks = {node for node, nxt in fanout.items() if len(nxt) > 1}
        if not forks:
            continue
        keyed: list[tuple[str, list[tuple[int, Signature | None]]]] = []
        branches: dict[tuple[int, Signature | None], set[int]] = {}
        for child in below:  # second pass, only where a fork exists: group by the step
            path = builder.paths[child]
            sigs = _layer_signatures(builder.by_id[child])
            keys = []
            for k in range(start, len(path) - 1):
                if path[k] in forks:
                    key = (path[k], sigs[k])
                    keys.append(key)
                    branches.setdefault(key, set()).add(path[k + 1])
            keyed.append((child, keys))
        shared = {key for key, nxt in branches.items() if len(nxt) > 1}
        if not shared:
            continue
        for child, keys in keyed:
            last = parent
            for key in keys:
                if key in shared:
                    base = _make_base(builder, child, key, parent, bases)
                    out.setdefault(base.id, Edge(last, EdgeMethod.VIRTUAL, 0.8))
                    last = base.id
            if last != parent:
                ambiguous = out[child].ambiguous
                out[child] = Edge(last, EdgeMethod.SHARED_LAYERS, 0.8, ambiguous=ambiguous)
    return out, list(bases.values())


def _make_base(
    builder: LineageBuilder,
    child: str,
    key: tuple[int, Signature | None],
    parent: str,
    bases: dict[str, VirtualBase],
) -> VirtualBase:
    node, signature = key
    depth = builder.trie.depth[node]
    image = builder.by_id[child]
    layers = image.layers[:depth]
    base_id = _virtual_id([*layers, repr(signature)])
    steps = _steps_through_layer(image, depth)
    history = image.history or ()
    base = bases.get(base_id)
    if base is None:
        step = signature[0] if signature is not None else ""
        size = sum(image.layer_sizes[:depth]) if image.layer_sizes is not None else None
        label = shorten(step, 40) if step else f"{depth} shared layers"
        base = VirtualBase(
            base_id, layers, label, step, size, steps, _hidden_holder(builder, layers)
        )
        base.shared = tuple(s.signature() for s in history[:steps])
        bases[base_id] = base
    elif base.steps:  # what every image on it shares: the common run of steps
        floor = _steps_through_layer(image, depth - 1) + 1 if steps else 0
        agreed = 0
        for mine, theirs in zip(history[: base.steps], base.shared, strict=False):
            if mine.signature() != theirs:
                break
            agreed += 1
        base.steps = max(min(agreed, steps), floor) if steps else 0
        base.shared = base.shared[: base.steps]
    return base


def _steps_through_layer(image: Image, depth: int) -> int:
    """History steps up to the one that made layer `depth`, then the metadata steps after it
    (until the next layer's step); 0 when the history does not line up with the layers."""
    history = image.history
    if history is None or depth == 0:
        return 0
    seen = 0
    for index, step in enumerate(history):
        if not step.empty_layer:
            seen += 1
            if seen > depth:
                return index
    return len(history) if seen >= depth else 0


def _hidden_holder(builder: LineageBuilder, layers: tuple[str, ...]) -> str:
    """The hidden local image (a classic build's intermediate) holding exactly `layers`: of
    several (metadata steps add images with the same layers), the one with most history."""
    holders = builder.hidden_by_layers().get(layers, ())
    return max(holders, key=lambda i: (len(builder.by_id[i].history or ()), i), default="")

"""Which image each image was built FROM: one rule for every builder and every source.

The engine's `Parent` field is only set by the classic builder, so the signal is the layer list
plus the history (see the project's docker-ancestry notes):

1. `Parent`, followed through hidden classic-builder intermediates, when it reaches a shown image.
2. Otherwise the nearest image whose layers are a prefix of this one's *and* whose history is a
   strict prefix of this one's (equal layers allowed: a child adding only ENV/CMD adds no layer),
   found on a trie of layer digests. Candidates that contradict the history are skipped; a
   candidate of unknown history stops the walk and makes the edge ambiguous.
3. Otherwise `scratch`.

Layer prefixes shared by several children but held by no local image become *virtual* bases.
The result is a networkx tree rooted at ``scratch`` with edges parent -> child.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fromscratch.core.formats.inventory import SCRATCH_ID, Image
from fromscratch.core.formats.parse import InputError, epoch_seconds
from fromscratch.core.graph.tree import Tree
from fromscratch.core.perf import no_gc

if TYPE_CHECKING:
    import networkx as nx

ROOT_NODE = 0
"""Trie node of the empty layer list."""


@dataclass(frozen=True, slots=True)
class Edge:
    """How a parent was found; `confidence` is in [0, 1], `ambiguous` makes the GUI dash it."""

    parent: str
    method: str
    confidence: float
    ambiguous: bool = False


# Methods, strongest first. Kept as names so exporters and the GUI can explain them.
PARENT_FIELD = "parent-field"
LAYERS_AND_HISTORY = "layers+history"
HISTORY = "history"
LAYERS_ONLY = "layers"
SHARED_LAYERS = "shared-layers"
VIRTUAL = "virtual"
BASE = "base"

METHOD_TEXT = {
    PARENT_FIELD: "the engine's Parent field (classic builder)",
    LAYERS_AND_HISTORY: "its layers and build history start with the parent's",
    HISTORY: "same layers; its build history extends the parent's (metadata-only steps)",
    LAYERS_ONLY: "its layers start with the parent's; no history to confirm (a guess)",
    SHARED_LAYERS: "it shares these layers with other images; the base is not present locally",
    VIRTUAL: "inferred base, not present locally",
    BASE: "no local image lies below it: it was built FROM scratch, or its base is absent",
}


class _Trie:
    """Layer-digest trie with integer nodes; a node's parent always has a smaller id."""

    def __init__(self) -> None:
        self.children: list[dict[str, int]] = [{}]
        self.parent: list[int] = [ROOT_NODE]
        self.depth: list[int] = [0]
        self.members: dict[int, list[str]] = {}

    def insert(self, layers: Sequence[str]) -> list[int]:
        """The node path of `layers` (path[k] is the node after k+1 layers)."""
        node, path = ROOT_NODE, []
        children, parent, depth = self.children, self.parent, self.depth
        for digest in layers:
            nxt = children[node].get(digest)
            if nxt is None:
                nxt = len(parent)
                children[node][digest] = nxt
                children.append({})
                parent.append(node)
                depth.append(depth[node] + 1)
            node = nxt
            path.append(node)
        return path

    def nearest_populated(self) -> list[int]:
        """up[n]: the nearest strict ancestor holding an image (never the root; -1 if none)."""
        up = [-1] * len(self.parent)
        members = self.members
        for node in range(1, len(self.parent)):
            par = self.parent[node]
            up[node] = par if par != ROOT_NODE and par in members else up[par]
        return up


def _strict_prefix(parent: Image, child: Image) -> bool | None:
    """True/False when both histories are known, None when either is not. Whole steps are
    compared first (one C-level comparison); signatures only when that fails."""
    p, c = parent.history, child.history
    if p is None or c is None:
        return None
    n = len(p)
    if n >= len(c):
        return False
    if n == 0 or c[:n] == p:
        return True
    return c[n - 1].signature() == p[-1].signature() and all(
        a.signature() == b.signature() for a, b in zip(c, p, strict=False)
    )


def _created(image: Image) -> int:
    try:
        return epoch_seconds(image.created, "Created")
    except InputError:
        return 0


class LineageBuilder:
    """Runs the inference once over a set of images; use :func:`infer_parents` or :func:`build`."""

    def __init__(self, images: Iterable[Image], *, show_intermediates: bool = False) -> None:
        by_id: dict[str, Image] = {}
        for image in images:
            by_id.setdefault(image.id, image)
        self.by_id = by_id
        parents = {i.parent for i in by_id.values() if i.parent}
        self.intermediates = {i.id for i in by_id.values() if not i.tags and i.id in parents}
        hidden = set() if show_intermediates else self.intermediates
        self.visible = sorted(i for i in by_id if i not in hidden)
        self.trie = _Trie()
        self.paths: dict[str, list[int]] = {}
        insert, members = self.trie.insert, self.trie.members
        for image_id in self.visible:
            path = insert(by_id[image_id].layers)
            self.paths[image_id] = path
            members.setdefault(path[-1] if path else ROOT_NODE, []).append(image_id)
        self.up = self.trie.nearest_populated()
        self._ranks: dict[str, tuple[int, int, str]] = {}

    def rank(self, image_id: str) -> tuple[int, int, str]:
        """Total order used for ties and to keep same-layer guesses acyclic:
        (history length, created, id). Computed lazily: most images never need it."""
        rank = self._ranks.get(image_id)
        if rank is None:
            image = self.by_id[image_id]
            rank = (len(image.history or ()), _created(image), image_id)
            self._ranks[image_id] = rank
        return rank

    def leaf(self, image_id: str) -> int:
        path = self.paths[image_id]
        return path[-1] if path else ROOT_NODE

    def infer(self) -> dict[str, Edge]:
        """Parent of every shown image (`scratch` when none)."""
        return {i: self._parent_of(i) for i in self.visible}

    def _parent_of(self, image_id: str) -> Edge:
        via_field = self._via_parent_field(image_id)
        if via_field is not None:
            return via_field
        node = self.leaf(image_id)
        found = self._pick(image_id, self.trie.members.get(node, ()), same_node=True)
        if found is not None:
            return found
        if node != ROOT_NODE:
            node = self.up[node]
            while node > ROOT_NODE:
                found = self._pick(image_id, self.trie.members[node], same_node=False)
                if found is not None:
                    return found
                node = self.up[node]
        return Edge(SCRATCH_ID, BASE, 1.0)

    def _via_parent_field(self, image_id: str) -> Edge | None:
        current = self.by_id[image_id].parent
        if not current:
            return None
        seen = {image_id}
        while current and current in self.by_id and current not in seen:
            if current in self.paths:
                return Edge(current, PARENT_FIELD, 1.0)
            seen.add(current)
            current = self.by_id[current].parent
        return None

    def _pick(self, image_id: str, members: Sequence[str], *, same_node: bool) -> Edge | None:
        consistent: list[str] = []
        unknown: list[str] = []
        image, by_id, rank = self.by_id[image_id], self.by_id, self.rank
        for other in members:
            if other == image_id:
                continue
            relation = _strict_prefix(by_id[other], image)
            if relation:
                consistent.append(other)
            elif relation is None and (not same_node or rank(other) < rank(image_id)):
                unknown.append(other)
        if len(consistent) == 1:
            method = HISTORY if same_node else LAYERS_AND_HISTORY
            return Edge(consistent[0], method, 0.9 if same_node else 0.95)
        if consistent:
            best = min(consistent, key=lambda o: (-rank(o)[0], rank(o)[1], o))
            tie = sum(rank(o)[0] == rank(best)[0] for o in consistent) > 1
            method = HISTORY if same_node else LAYERS_AND_HISTORY
            return Edge(best, method, 0.9 if same_node else 0.95, tie)
        if unknown and not (same_node and self.leaf(image_id) == ROOT_NODE):
            best = min(unknown, key=lambda o: (rank(o)[1], o))
            return Edge(best, LAYERS_ONLY, 0.5, True)
        return None


@dataclass(frozen=True, slots=True)
class VirtualBase:
    """A layer prefix that several images share but no local image holds."""

    id: str
    layers: tuple[str, ...]
    label: str
    created_by: str
    size: int | None


def _virtual_id(layers: Sequence[str]) -> str:
    import hashlib

    return "virtual:" + hashlib.sha256("\n".join(layers).encode()).hexdigest()[:16]


def shorten(text: str, limit: int = 48) -> str:
    """One line of at most `limit` characters, for labels."""
    line = " ".join(text.replace("/bin/sh -c #(nop) ", "").split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


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
                    out.setdefault(base.id, Edge(last, VIRTUAL, 0.8))
                    last = base.id
            if last != parent:
                out[child] = Edge(last, SHARED_LAYERS, 0.8, out[child].ambiguous)
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
    if base_id not in bases:
        step = signature[0] if signature is not None else ""
        size = sum(image.layer_sizes[:depth]) if image.layer_sizes is not None else None
        label = shorten(step, 40) if step else f"{depth} shared layers"
        bases[base_id] = VirtualBase(base_id, layers, label, step, size)
    return bases[base_id]


def infer_parents(images: Iterable[Image], *, show_intermediates: bool = False) -> dict[str, Edge]:
    """Parent edge of every shown image, without virtual bases (for tests and scripts)."""
    return LineageBuilder(images, show_intermediates=show_intermediates).infer()


def build(images: Iterable[Image], *, show_intermediates: bool = False) -> nx.DiGraph:
    """The lineage tree as a ``networkx.DiGraph`` (see :func:`build_tree` for the contents)."""
    return build_tree(images, show_intermediates=show_intermediates).to_networkx()


def build_tree(images: Iterable[Image], *, show_intermediates: bool = False) -> Tree:
    """The lineage tree: nodes are image ids, virtual ids and ``scratch``; edges parent -> child.

    Node attributes: ``kind`` (scratch|image|virtual), ``image`` (:class:`Image` or None),
    ``label``, ``tags``, ``size``, ``own_size``, ``layer_count``, ``dangling``,
    ``intermediate``. Edge attributes: ``method``, ``confidence``, ``ambiguous``.
    A :class:`~fromscratch.core.graph.tree.Tree`, so the app need not import networkx to show it.
    """
    with no_gc():
        builder = LineageBuilder(images, show_intermediates=show_intermediates)
        edges, bases = add_virtual_bases(builder, builder.infer())
        tree = Tree()
        tree.add_node(SCRATCH_ID, _scratch_attrs())
        for base in bases:
            tree.add_node(base.id, _virtual_attrs(base))
        for image_id in builder.visible:
            image = builder.by_id[image_id]
            tree.add_node(image_id, _image_attrs(image, image_id in builder.intermediates))
        node = tree.nodes
        for child, e in edges.items():
            attrs = {"method": e.method, "confidence": e.confidence, "ambiguous": e.ambiguous}
            tree.add_edge(e.parent, child, attrs)
            node[child]["own_size"] = _own_size(node[child], node[e.parent])
        return tree


def _scratch_attrs() -> dict[str, Any]:
    return {
        "kind": "scratch",
        "image": None,
        "label": "scratch",
        "tags": (),
        "size": 0,
        "own_size": 0,
        "layer_count": 0,
        "dangling": False,
        "intermediate": False,
    }


def _virtual_attrs(base: VirtualBase) -> dict[str, Any]:
    return {
        "kind": "virtual",
        "image": None,
        "label": base.label,
        "tags": (),
        "size": base.size,
        "own_size": None,
        "layer_count": len(base.layers),
        "dangling": False,
        "intermediate": False,
        "created_by": base.created_by,
        "layers": base.layers,
    }


def _image_attrs(image: Image, intermediate: bool) -> dict[str, Any]:
    return {
        "kind": "image",
        "image": image,
        "label": image.name,
        "tags": image.tags,
        "size": image.size,
        "own_size": None,
        "layer_count": len(image.layers),
        "dangling": not image.tags and not intermediate,
        "intermediate": intermediate,
    }


def _own_size(attrs: dict[str, Any], pattrs: dict[str, Any]) -> int | None:
    """Bytes a node adds on top of its parent: its own layers, not the inherited ones."""
    image: Image | None = attrs["image"]
    if image is not None and image.layer_sizes is not None:
        return sum(image.layer_sizes[pattrs["layer_count"] :])
    size, parent_size = attrs["size"], pattrs["size"]
    if size is None or parent_size is None:
        return None
    return max(0, int(size) - int(parent_size))

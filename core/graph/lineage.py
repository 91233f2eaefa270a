"""Which image each image was built FROM: one rule for every builder and every source.

The engine's `Parent` field is only set by the classic builder, so the signal is the layer list
plus the history (see the project's docker-ancestry notes):

1. `Parent`, followed through hidden classic-builder intermediates, when it reaches a shown image.
2. Otherwise the nearest image whose layers are a prefix of this one's *and* whose history is a
   strict prefix of this one's (equal layers allowed: a child adding only ENV/CMD adds no layer),
   found on a trie of layer digests. Candidates that contradict the history are skipped; a
   candidate of unknown history stops the walk and makes the edge ambiguous.
3. Otherwise `scratch`.

Layer prefixes shared by several children but held by no local image become inferred bases
(core.graph.virtual). The result is a :class:`~core.graph.tree.Tree` rooted at ``scratch``
with edges parent -> child.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from fromscratch.core.formats.inventory import Image, build_steps
from fromscratch.core.formats.names import short_name
from fromscratch.core.formats.parents import contradicts, nodes_on_cycles
from fromscratch.core.formats.parse import InputError, epoch_seconds
from fromscratch.core.graph.records import (
    SCRATCH_ID,
    Edge,
    EdgeMethod,
    NodeAttrs,
    NodeKind,
    imageless,
)
from fromscratch.core.graph.tree import Tree
from fromscratch.core.graph.trie import ROOT_NODE, LayerTrie
from fromscratch.core.graph.virtual import VirtualBase, add_virtual_bases
from fromscratch.core.perf import no_gc

if TYPE_CHECKING:
    import networkx as nx

ABSENT_PREFIX = "absent:"
"""Node id of a parent named by the Parent field but not in the data: `absent:sha256:...`."""


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
        self.intermediates = build_steps(by_id.values())
        hidden = set() if show_intermediates else self.intermediates
        self.visible = sorted(i for i in by_id if i not in hidden)
        self.trie = LayerTrie()
        self.paths: dict[str, list[int]] = {}
        insert, members = self.trie.insert, self.trie.members
        for image_id in self.visible:
            path = insert(by_id[image_id].layers)
            self.paths[image_id] = path
            members.setdefault(path[-1] if path else ROOT_NODE, []).append(image_id)
        self.up = self.trie.nearest_populated()
        self._ranks: dict[str, tuple[int, int, str]] = {}
        self._hidden_by_layers: dict[tuple[str, ...], list[str]] | None = None

    def hidden_by_layers(self) -> dict[tuple[str, ...], list[str]]:
        """The hidden intermediates by their layers (made on first need)."""
        if self._hidden_by_layers is None:
            found: dict[tuple[str, ...], list[str]] = {}
            for image_id in self.intermediates.difference(self.paths):
                found.setdefault(self.by_id[image_id].layers, []).append(image_id)
            self._hidden_by_layers = found
        return self._hidden_by_layers

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
        """Parent of every shown image (`scratch` when none). Parent fields that point in a
        circle (A's Parent is B, B's is A: a damaged or hand-made file) are not believed: those
        images are placed by their layers and history instead, and what still loops goes
        under scratch, flagged uncertain. Layer and history guesses cannot loop (`rank`)."""
        edges = {i: self._parent_of(i) for i in self.visible}
        looped = nodes_on_cycles({child: edge.parent for child, edge in edges.items()})
        for image_id in looped:
            edges[image_id] = self._parent_of(image_id, use_field=False)
        for image_id in nodes_on_cycles({c: e.parent for c, e in edges.items()}):
            edges[image_id] = Edge(SCRATCH_ID, EdgeMethod.BASE, 0.0, ambiguous=True)
        return edges

    def _parent_of(self, image_id: str, *, use_field: bool = True) -> Edge:
        via_field = self._via_parent_field(image_id) if use_field else None
        if via_field is not None:
            return via_field
        edge = self._inferred(image_id)
        named = self.by_id.get(self.by_id[image_id].parent)
        if named is not None and contradicts(named, self.by_id[image_id]):
            # The engine's Parent names an image its layers rule out (a damaged store):
            # placed by its layers, said to be uncertain, never silently.
            return Edge(edge.parent, edge.method, min(edge.confidence, 0.5), ambiguous=True)
        return edge

    def _inferred(self, image_id: str) -> Edge:
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
        absent = self._absent_parent(image_id)
        if absent is not None:  # the engine names a parent this data does not hold
            return Edge(ABSENT_PREFIX + absent, EdgeMethod.PARENT_FIELD, 1.0)
        image = self.by_id[image_id]
        if not image.layers and image.history is None:
            # Nothing to tell its base by (an image listing without ParentId, an old inspect
            # without RootFS): under scratch, but said to be a guess, never a confident base.
            return Edge(SCRATCH_ID, EdgeMethod.BASE, 0.0, ambiguous=True)
        return Edge(SCRATCH_ID, EdgeMethod.BASE, 1.0)

    def _absent_parent(self, image_id: str) -> str | None:
        """The first id on the image's Parent chain that this data does not hold, if any."""
        current, seen = self.by_id[image_id].parent, {image_id}
        while current and current in self.by_id and current not in seen:
            seen.add(current)
            current = self.by_id[current].parent
        return current if current and current not in self.by_id else None

    def _via_parent_field(self, image_id: str) -> Edge | None:
        current = self.by_id[image_id].parent
        if not current:
            return None
        seen = {image_id}
        while current and current in self.by_id and current not in seen:
            if contradicts(self.by_id[current], self.by_id[image_id]):
                return None  # its layers say it is no ancestor
            if current in self.paths:
                return Edge(current, EdgeMethod.PARENT_FIELD, 1.0)
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
            method = EdgeMethod.HISTORY if same_node else EdgeMethod.LAYERS_AND_HISTORY
            return Edge(consistent[0], method, 0.9 if same_node else 0.95)
        if consistent:
            best = min(consistent, key=lambda o: (-rank(o)[0], rank(o)[1], o))
            tie = sum(rank(o)[0] == rank(best)[0] for o in consistent) > 1
            method = EdgeMethod.HISTORY if same_node else EdgeMethod.LAYERS_AND_HISTORY
            return Edge(best, method, 0.9 if same_node else 0.95, ambiguous=tie)
        if unknown and not (same_node and self.leaf(image_id) == ROOT_NODE):
            best = min(unknown, key=lambda o: (rank(o)[1], o))
            return Edge(best, EdgeMethod.LAYERS_ONLY, 0.5, ambiguous=True)
        return None


def infer_parents(images: Iterable[Image], *, show_intermediates: bool = False) -> dict[str, Edge]:
    """Parent edge of every shown image, without virtual bases (for tests and scripts)."""
    return LineageBuilder(images, show_intermediates=show_intermediates).infer()


def build(images: Iterable[Image], *, show_intermediates: bool = False) -> nx.DiGraph:
    """The lineage tree as a ``networkx.DiGraph`` (see :func:`build_tree` for the contents)."""
    return build_tree(images, show_intermediates=show_intermediates).to_networkx()


def build_tree(images: Iterable[Image], *, show_intermediates: bool = False) -> Tree:
    """The lineage tree: nodes are image ids, virtual ids and ``scratch``; edges parent -> child,
    with the records of core.graph.records. A :class:`~core.graph.tree.Tree`, so the app need
    not import networkx to show it.
    """
    with no_gc():
        builder = LineageBuilder(images, show_intermediates=show_intermediates)
        edges, bases = add_virtual_bases(builder, builder.infer())
        tree = Tree()
        tree.add_node(SCRATCH_ID, _scratch_attrs())
        for base in bases:
            tree.add_node(base.id, _virtual_attrs(base))
        for absent in sorted(
            {e.parent for e in edges.values() if e.parent.startswith(ABSENT_PREFIX)}
        ):
            tree.add_node(absent, _absent_attrs(absent))
            tree.add_edge(SCRATCH_ID, absent, Edge(SCRATCH_ID, EdgeMethod.VIRTUAL, 0.5).attrs())
        for image_id in builder.visible:
            image = builder.by_id[image_id]
            tree.add_node(
                image_id, _image_attrs(image, intermediate=image_id in builder.intermediates)
            )
        node = tree.nodes
        for child, edge in edges.items():
            tree.add_edge(edge.parent, child, edge.attrs())
            node[child]["own_size"] = _own_size(node[child], node[edge.parent])
        return tree


def _scratch_attrs() -> NodeAttrs:
    return imageless(NodeKind.SCRATCH, "scratch", size=0)


def _virtual_attrs(base: VirtualBase) -> NodeAttrs:
    attrs = imageless(NodeKind.VIRTUAL, base.label, size=base.size, layer_count=len(base.layers))
    attrs["created_by"] = base.created_by
    attrs["layers"] = base.layers
    attrs["steps"] = base.steps
    if base.local_id:
        attrs["local_id"] = base.local_id
    return attrs


def _absent_attrs(node: str) -> NodeAttrs:
    """A parent the engine names but the data does not hold: shown as such, never as a
    confident FROM scratch."""
    parent = node.removeprefix(ABSENT_PREFIX)
    attrs = imageless(NodeKind.VIRTUAL, f"<absent>@{parent.removeprefix('sha256:')[:12]}")
    attrs["created_by"] = f"the Parent field names {parent}, which this data does not hold"
    attrs["layers"] = ()
    return attrs


def _image_attrs(image: Image, *, intermediate: bool) -> NodeAttrs:
    return {
        "kind": NodeKind.IMAGE,
        "image": image,
        "label": short_name(image.name),  # Podman's `docker.io/…` on every card says little
        "tags": image.tags,
        "size": image.size,
        "own_size": None,
        "layer_count": len(image.layers),
        "dangling": image.tags_known and not image.tags and not intermediate,
        "intermediate": intermediate,
    }


def _own_size(attrs: NodeAttrs, pattrs: NodeAttrs) -> int | None:
    """Bytes a node adds on top of its parent: its own layers, not the inherited ones."""
    image = attrs["image"]
    if image is not None and image.layer_sizes is not None:
        return sum(image.layer_sizes[pattrs["layer_count"] :])
    size, parent_size = attrs["size"], pattrs["size"]
    if size is None or parent_size is None:
        return None
    parent_image = pattrs["image"]
    if (
        image is not None
        and parent_image is not None
        and image.size_basis is not parent_image.size_basis
    ):
        return None  # compressed minus unpacked is no size at all
    return max(0, size - parent_size)

"""A lean directed tree that reads like, and converts in O(1) to, a networkx DiGraph.

Why: importing networkx costs ~0.1 s, half of the window's whole launch budget, and the app only
needs a tree's adjacency. :class:`Tree` keeps exactly networkx's internal layout (`_node`: node
-> attribute dict; `_succ` / `_pred`: node -> neighbour -> shared edge-attribute dict) and the
part of its reading API that core and the GUI use, so the same code accepts either, and
:meth:`Tree.to_networkx` hands scripts a real ``networkx.DiGraph`` sharing the same dicts.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Literal, overload

from fromscratch.core.formats.inventory import Image
from fromscratch.core.formats.names import short_name
from fromscratch.core.graph.records import SCRATCH_ID, EdgeAttrs, NodeAttrs

if TYPE_CHECKING:
    import networkx as nx


class NodeView(Mapping[str, NodeAttrs]):
    """`tree.nodes[n]` -> attributes; `tree.nodes(data=True)` -> (node, attributes) pairs."""

    __slots__ = ("_node",)

    def __init__(self, node: dict[str, NodeAttrs]) -> None:
        self._node = node

    def __getitem__(self, node: str) -> NodeAttrs:
        return self._node[node]

    def __iter__(self) -> Iterator[str]:
        return iter(self._node)

    def __len__(self) -> int:
        return len(self._node)

    @overload
    def __call__(self, *, data: Literal[True]) -> Iterable[tuple[str, NodeAttrs]]: ...
    @overload
    def __call__(self, *, data: Literal[False] = False) -> Iterable[str]: ...
    def __call__(self, *, data: bool = False) -> Iterable[tuple[str, NodeAttrs]] | Iterable[str]:
        return self._node.items() if data else self._node.keys()


class EdgeView:
    """`tree.edges[u, v]` -> attributes; iteration gives (parent, child); `edges(data=True)`."""

    __slots__ = ("_succ",)

    def __init__(self, succ: dict[str, dict[str, EdgeAttrs]]) -> None:
        self._succ = succ

    def __getitem__(self, edge: tuple[str, str]) -> EdgeAttrs:
        return self._succ[edge[0]][edge[1]]

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return ((u, v) for u, kids in self._succ.items() for v in kids)

    def __len__(self) -> int:
        return sum(len(kids) for kids in self._succ.values())

    def __contains__(self, edge: object) -> bool:
        if not isinstance(edge, tuple) or len(edge) != 2:
            return False
        return edge[1] in self._succ.get(edge[0], {})

    @overload
    def __call__(self, *, data: Literal[True]) -> Iterator[tuple[str, str, EdgeAttrs]]: ...
    @overload
    def __call__(self, *, data: Literal[False] = False) -> Iterator[tuple[str, str]]: ...
    def __call__(
        self, *, data: bool = False
    ) -> Iterator[tuple[str, str, EdgeAttrs]] | Iterator[tuple[str, str]]:
        if not data:
            return iter(self)
        return ((u, v, a) for u, kids in self._succ.items() for v, a in kids.items())


class Tree:
    """Nodes with attribute dicts and parent -> child edges with attribute dicts."""

    __slots__ = ("_node", "_pred", "_succ")

    def __init__(self) -> None:
        self._node: dict[str, NodeAttrs] = {}
        self._succ: dict[str, dict[str, EdgeAttrs]] = {}
        self._pred: dict[str, dict[str, EdgeAttrs]] = {}

    def add_node(self, node: str, attrs: NodeAttrs) -> None:
        """Add `node` with `attrs` (the dict is kept, not copied)."""
        self._node[node] = attrs
        self._succ.setdefault(node, {})
        self._pred.setdefault(node, {})

    def add_edge(self, parent: str, child: str, attrs: EdgeAttrs) -> None:
        """Add parent -> child; both nodes must exist. One dict serves both directions."""
        self._succ[parent][child] = attrs
        self._pred[child][parent] = attrs

    @property
    def nodes(self) -> NodeView:
        return NodeView(self._node)

    @property
    def edges(self) -> EdgeView:
        return EdgeView(self._succ)

    @property
    def succ(self) -> Mapping[str, Mapping[str, EdgeAttrs]]:
        return self._succ

    @property
    def pred(self) -> Mapping[str, Mapping[str, EdgeAttrs]]:
        return self._pred

    @property
    def node_records(self) -> dict[str, NodeAttrs]:
        """The node -> attributes dict itself, for bulk passes where the views' ~1 us per
        access adds up (layout of 10,000 nodes)."""
        return self._node

    @property
    def child_map(self) -> dict[str, dict[str, EdgeAttrs]]:
        """The parent -> child -> edge dict itself, for bulk passes (see node_records)."""
        return self._succ

    def predecessors(self, node: str) -> Iterator[str]:
        return iter(self._pred[node])

    def successors(self, node: str) -> Iterator[str]:
        return iter(self._succ[node])

    def __iter__(self) -> Iterator[str]:
        return iter(self._node)

    def __contains__(self, node: object) -> bool:
        return node in self._node

    def __len__(self) -> int:
        return len(self._node)

    def number_of_nodes(self) -> int:
        return len(self._node)

    def subgraph(self, nodes: Iterable[str]) -> Tree:
        """A new tree of `nodes` and the edges between them (attribute dicts shared)."""
        keep = set(nodes)
        out = Tree()
        for node in keep:
            out.add_node(node, self._node[node])
        for node in keep:
            for child, attrs in self._succ[node].items():
                if child in keep:
                    out.add_edge(node, child, attrs)
        return out

    def copy(self) -> Tree:
        return self.subgraph(self._node)

    def to_networkx(self) -> nx.DiGraph:
        """A ``networkx.DiGraph`` over the same dicts (no copy: edits show in both)."""
        import networkx as nx

        graph = nx.DiGraph()
        graph._node = self._node
        graph._adj = graph._succ = self._succ
        graph._pred = self._pred
        return graph


def descendants(graph: Tree, node: str) -> set[str]:
    """Every node below `node`."""
    succ = graph.child_map
    found: set[str] = set()
    stack = list(succ[node])
    while stack:
        current = stack.pop()
        found.add(current)
        stack.extend(succ[current])
    return found


def ancestry(graph: Tree, node: str) -> list[str]:
    """`node`, its parent, ... down to scratch (or to where the chain stops or would loop:
    lineage never makes a loop, and this never follows one)."""
    chain = [node]
    seen = {node}
    while chain[-1] != SCRATCH_ID:
        preds = graph.pred[chain[-1]]
        if not preds:
            break
        parent = next(iter(preds))
        if parent in seen:
            break
        seen.add(parent)
        chain.append(parent)
    return chain


def generations(graph: Tree) -> dict[str, tuple[int, str]]:
    """For every node below scratch: (its depth, its base: the child of scratch it stands on),
    in one pass from the root. Asking `ancestry` of every node instead is quadratic on a deep
    chain (8,000 generations took 26 s)."""
    out: dict[str, tuple[int, str]] = {}
    succ = graph.child_map
    if SCRATCH_ID not in succ:
        return out
    stack = [(kid, 1, kid) for kid in succ[SCRATCH_ID]]
    while stack:
        node, depth, base = stack.pop()
        if node in out:
            continue
        out[node] = (depth, base)
        stack.extend((kid, depth + 1, base) for kid in succ[node])
    return out


def _other_ids(image: Image | None) -> tuple[str, ...]:
    """Other ids the image goes by: aliases (core.formats.identity) and its platform
    manifest's digest (the containerd store's id for a classic build)."""
    if image is None:
        return ()
    return (*image.aliases, image.manifest) if image.manifest else image.aliases


def find(graph: Tree, ref: str) -> str | None:
    """Node id for a tag (`:latest` implied), a full or short id, an id prefix, or the label
    `tree` prints for an untagged image (`<none>@1eb489aef010`)."""
    if ref.startswith("<") and "@" in ref:
        ref = ref.rsplit("@", 1)[1]
    want = ref if ":" in ref.split("/")[-1] or ref.startswith("sha256:") else f"{ref}:latest"
    if ref == SCRATCH_ID:
        return SCRATCH_ID
    for node, attrs in graph.nodes(data=True):
        if want in attrs["tags"] or ref in attrs["tags"]:
            return str(node)
    for node, attrs in graph.nodes(data=True):  # Podman names `docker.io/…`, `localhost/…`
        if any(want == short_name(tag) for tag in attrs["tags"]):
            return str(node)
    bare = ref.removeprefix("sha256:").lower()
    if len(bare) >= 4:
        hits = {
            node
            for node, attrs in graph.nodes(data=True)
            for name in (node, *_other_ids(attrs["image"]))
            if str(name).removeprefix("sha256:").startswith(bare)
        }
        if len(hits) == 1:
            return str(hits.pop())
    return None

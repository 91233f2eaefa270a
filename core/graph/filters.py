"""Which part of the lineage tree is shown: filters as data, applied without Qt.

Hiding never breaks the tree: a hidden dangling image's children hang from its parent instead,
and a collapsed node keeps a count of what it hides.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from fromscratch.core.graph.layout import Position, tidy_layout
from fromscratch.core.graph.records import SCRATCH_ID, NodeKind, imageless
from fromscratch.core.graph.tree import Tree, ancestry, descendants


@dataclass(frozen=True, slots=True)
class TreeFilter:
    """What to hide. The default shows everything the lineage holds."""

    hide_dangling: bool = False
    collapsed: frozenset[str] = field(default_factory=frozenset)
    focus: str | None = None
    """Show only this node's ancestry down to scratch."""
    chain: tuple[str, ...] = ()
    """Presenting (core.story.walk): only this chain, each level's other children standing
    as one "+N more" card. It overrides the other fields."""
    fold_chains: bool = False
    """Collapse base chains: an image with exactly one image on it is folded into that one
    (which counts them as `folded`), so the bases under the user's images take one card."""

    def toggled(self, node: str) -> TreeFilter:
        """The same filter with `node` collapsed or expanded."""
        collapsed = self.collapsed ^ {node}
        return TreeFilter(
            self.hide_dangling, frozenset(collapsed), self.focus, self.chain, self.fold_chains
        )


def apply(graph: Tree, tree_filter: TreeFilter) -> Tree:
    """A new tree holding what the filter shows; node and edge attributes are shared, plus
    ``hidden`` (how many descendants a collapsed node hides)."""
    if tree_filter.chain:
        return presented(graph, tree_filter.chain)
    keep: set[str]
    if tree_filter.focus is not None and tree_filter.focus in graph:
        keep = set(ancestry(graph, tree_filter.focus))
    else:
        keep = set(graph)
    if tree_filter.hide_dangling:
        keep = {n for n in keep if not graph.nodes[n]["dangling"]}
    hidden_under: dict[str, int] = {}
    for node in tree_filter.collapsed:
        if node in keep:
            below = descendants(graph, node) & keep
            hidden_under[node] = len(below)
            keep -= below
    out = Tree()
    for node in keep:
        out.add_node(node, {**graph.nodes[node], "hidden": hidden_under.get(node, 0)})
    for node in keep:
        if node == SCRATCH_ID:
            continue
        parent, via = _shown_parent(graph, node, keep)
        edge = graph.edges[via, node]
        out.add_edge(parent, node, edge if via == parent else {**edge, "ambiguous": True})
    return fold_chains(out) if tree_filter.fold_chains else out


def fold_chains(tree: Tree) -> Tree:
    """Every node but scratch with exactly one child goes; its child hangs from the next
    node below that stays (the edge drawn dashed) and counts the nodes folded under it."""
    succ = tree.child_map
    folded = {n for n in tree if n != SCRATCH_ID and len(succ[n]) == 1}
    if not folded:
        return tree
    out = Tree()
    for node in tree:
        if node not in folded:
            out.add_node(node, {**tree.nodes[node]})
    for node in list(out):
        if node == SCRATCH_ID:
            continue
        (direct,) = tree.predecessors(node)
        parent, count = direct, 0
        while parent in folded:
            (parent,) = tree.predecessors(parent)
            count += 1
        out.nodes[node]["folded"] = count
        edge = tree.edges[direct, node]
        out.add_edge(parent, node, edge if count == 0 else {**edge, "ambiguous": True})
    return out


MORE_PREFIX = "more:"


def presented(graph: Tree, chain: tuple[str, ...]) -> Tree:
    """The chain alone, and beside each of its nodes one card "+N more" for the images above
    it off the chain (N counts them all, their descendants too). A room sees the story's
    chain at a legible size; the count says nothing was thrown away."""
    keep = [node for node in chain if node in graph]
    on_chain = set(keep)
    out = Tree()
    for node in keep:
        out.add_node(node, {**graph.nodes[node], "hidden": 0})
    for child in keep:
        for parent in graph.predecessors(child):
            if parent in on_chain:
                out.add_edge(parent, child, graph.edges[parent, child])
    for node in keep:
        off = [kid for kid in graph.successors(node) if kid not in on_chain]
        if not off:
            continue
        count = sum(1 + len(descendants(graph, kid)) for kid in off)
        more = MORE_PREFIX + node
        attrs = imageless(NodeKind.MORE, f"+{count} more")
        attrs["hidden"] = count
        out.add_node(more, attrs)
        out.add_edge(node, more, graph.edges[node, off[0]])
    return out


def _shown_parent(graph: Tree, node: str, keep: set[str]) -> tuple[str, str]:
    """The nearest kept ancestor, and the node's direct parent (to copy its edge from)."""
    (direct,) = graph.predecessors(node)
    parent = direct
    while parent not in keep:
        (parent,) = graph.predecessors(parent)
    return parent, direct


def arrange(graph: Tree, tree_filter: TreeFilter) -> tuple[Tree, dict[str, Position]]:
    """The shown tree and its layout (run in a worker: ~50 ms for 10,000 images)."""
    shown = graph if tree_filter == TreeFilter() else apply(graph, tree_filter)
    return shown, tidy_layout(shown)


def revealing(graph: Tree, tree_filter: TreeFilter, node: str) -> TreeFilter:
    """The least change to `tree_filter` that shows `node`: its collapsed ancestors opened,
    and only the filters that hide it lifted (a search used to lift every filter, which
    undid an overview of hundreds of images)."""
    path = ancestry(graph, node)
    opened = [n for n in path[1:] if n in tree_filter.collapsed]  # it shows, folded or not
    collapsed = tree_filter.collapsed - set(path[1:])
    if opened:
        # What a collapsed card held stays folded, but for the path: opening forest-1 for
        # forest-1-5-0 showed its 110 images side by side (a 3 px strip once fitted).
        inside = path[1 : path.index(opened[-1]) + 1]
        succ = graph.child_map
        collapsed |= {
            kid for above in inside for kid in succ[above] if kid not in path and succ[kid]
        }
    focus = tree_filter.focus
    if focus is not None and focus in graph and node not in ancestry(graph, focus):
        focus = None
    revealed = replace(
        tree_filter,
        collapsed=frozenset(collapsed),
        focus=focus,
        hide_dangling=tree_filter.hide_dangling and not graph.nodes[node]["dangling"],
    )
    if revealed.fold_chains and node not in apply(graph, revealed):
        revealed = replace(revealed, fold_chains=False)
    return revealed if node in apply(graph, revealed) else TreeFilter()

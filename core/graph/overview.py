"""An overview of a tree too wide to read when fitted: collapse it to its first generations.

A host with hundreds of images fitted whole draws them as a strip of 3 px cards. The
overview keeps every generation from scratch up to the deepest one whose cards still fit the
screen's width side by side, and collapses the nodes there: each shows how many images it
hides, and expanding one (or Filters > Expand all) brings them back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fromscratch.core.graph.records import SCRATCH_ID
from fromscratch.core.graph.tree import Tree

if TYPE_CHECKING:
    from fromscratch.core.graph.filters import TreeFilter


def columns_by_depth(graph: Tree) -> list[int]:
    """For each depth d (0 = scratch), how many cards stand side by side when the tree is cut
    after generation d: the nodes at depth d plus the leaves above it."""
    succ = graph.child_map
    if SCRATCH_ID not in succ:
        return []
    widths: list[int] = []
    leaves_above = 0
    level = [SCRATCH_ID]
    while level:
        widths.append(leaves_above + len(level))
        following = [kid for node in level for kid in succ[node]]
        leaves_above += sum(1 for node in level if not succ[node])
        level = following
    return widths


def overview_collapse(graph: Tree, columns: int, *, beyond: int | None = None) -> frozenset[str]:
    """The nodes to collapse so that at most `columns` cards stand side by side. Nothing when
    the whole tree is at most `beyond` cards wide (default: `columns`; a window asks for a
    roomy overview only of a tree it could not draw legibly at all), or when not even
    scratch's children fit (collapsing scratch would show one card)."""
    widths = columns_by_depth(graph)
    if not widths or widths[-1] <= (columns if beyond is None else beyond):
        return frozenset()
    keep = 0
    for depth, width in enumerate(widths):
        if width > columns:
            break
        keep = depth
    if keep == 0:
        return frozenset()
    succ = graph.child_map
    level = [SCRATCH_ID]
    for _ in range(keep):
        level = [kid for node in level for kid in succ[node]]
    return frozenset(node for node in level if succ[node])


def overview_filter(
    graph: Tree, tree_filter: TreeFilter, columns: int, selected: str | None
) -> TreeFilter:
    """`tree_filter` collapsed to the overview (at most `columns` cards side by side), with
    the selection's path left open when the cards still fit with it."""
    from dataclasses import replace

    from fromscratch.core.graph.filters import apply
    from fromscratch.core.graph.tree import ancestry

    collapsed = overview_collapse(graph, columns, beyond=0)
    if selected is not None and selected in graph:
        opened = collapsed - set(ancestry(graph, selected))
        shown = apply(graph, replace(tree_filter, collapsed=opened))
        if sum(1 for node in shown if not shown.child_map[node]) <= columns:
            collapsed = opened
    return replace(tree_filter, collapsed=collapsed, focus=None)


def overview_notice(graph: Tree, collapsed: frozenset[str]) -> str:
    """What the status bar says when a tree opens as an overview."""
    from fromscratch.core.formats.inventory import plural

    images = sum(1 for _, attrs in graph.nodes(data=True) if attrs["image"] is not None)
    return (
        f"Overview: {plural(images, 'image')} are too many to read side by side; "
        f"{plural(len(collapsed), 'card')} hold the rest (double-click one, or Filters > "
        "Expand all)."
    )

"""The Filters menu's commands on the controller's tree filter (core.graph.filters): each
sets the filter, says so, and lays the tree out again. Part of the controller
(gui.window.controller), kept apart as its own concern."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance

    from fromscratch.core.graph.filters import TreeFilter
    from fromscratch.core.session.opening import Opened


class FilterCommands:
    """What the controller provides to these commands."""

    tree_filter: TreeFilter
    focus_ancestry: bool
    opened: Opened | None
    selected: str | None
    columns_fit: Callable[[float], int] | None
    filter_changed: SignalInstance

    def arrange(self, *, fit: bool) -> None:
        raise NotImplementedError

    def set_hide_dangling(self, *, on: bool) -> None:
        self.tree_filter = replace(self.tree_filter, hide_dangling=on)
        self.filter_changed.emit(self.tree_filter)
        self.arrange(fit=False)

    def set_focus_ancestry(self, *, on: bool) -> None:
        self.focus_ancestry = on
        self.filter_changed.emit(self.tree_filter)
        self.arrange(fit=True)

    def toggle_collapse(self, node: str) -> None:
        """Collapse `node`'s subtree into a count, or expand it again."""
        self.tree_filter = self.tree_filter.toggled(node)
        self.arrange(fit=False)

    def set_fold_chains(self, *, on: bool) -> None:
        """Filters > Collapse base chains (core.graph.filters.fold_chains)."""
        self.tree_filter = replace(self.tree_filter, fold_chains=on)
        self.arrange(fit=True)

    def present_chain(self, chain: tuple[str, ...]) -> None:
        """Presenting: only this chain and "+N more" cards (core.graph.filters); () ends it."""
        if chain != self.tree_filter.chain:
            self.tree_filter = replace(self.tree_filter, chain=chain)
            self.arrange(fit=True)

    def collapse_to_overview(self) -> None:
        """Filters > Collapse to overview (and F on a tree too wide to read)."""
        opened = self.opened
        if opened is None or self.columns_fit is None:
            return
        from fromscratch.core.graph.overview import overview_filter
        from fromscratch.gui.tree.items import DETAIL_LOD

        columns = self.columns_fit(DETAIL_LOD)
        self.tree_filter = overview_filter(opened.graph, self.tree_filter, columns, self.selected)
        self.filter_changed.emit(self.tree_filter)
        self.arrange(fit=True)

    def expand_all(self) -> None:
        self.tree_filter = replace(self.tree_filter, collapsed=frozenset(), focus=None)
        self.arrange(fit=False)

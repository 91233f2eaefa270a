"""Filters > Focus on the selected base: what one base contributes, everywhere. The tree
lights the base and every image standing on it, each of them saying how many of its bytes
are the base's (with a bar for the share); the steps table of any image shows the layers
the base contributed in bold, and so does the Files tab the files of those layers. It stays
while the user selects other images, until turned off (Scout shows this online; dive and
dockviz users ask for it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal

from fromscratch.core.graph.tree import ancestry, descendants
from fromscratch.core.text import format_size

if TYPE_CHECKING:
    from fromscratch.gui.details.panel import DetailsPanel
    from fromscratch.gui.window.context import Context


class BaseFocus(QObject):
    lit = Signal(frozenset)
    """The images whose layers are the focused base's (the base and those below it), as a
    frozenset of nodes; empty when the focus ends."""

    def __init__(self, context: Context, panel: DetailsPanel) -> None:
        super().__init__(context.window)
        self.context, self.panel = context, panel
        # queued: after the window has lit the new selection's path, which this replaces
        context.controller.selection_changed.connect(
            lambda _node: self.apply(), Qt.ConnectionType.QueuedConnection
        )
        context.arranged.connect(self.apply)

    @property
    def base(self) -> str | None:
        """The focused base (the view state's)."""
        return self.context.state.focused

    def set_on(self, *, on: bool) -> None:
        context = self.context
        if not on:
            context.state.set_focused(None)  # the size shading puts the cards' figures back
            self.panel.set_focus(set())
            self.lit.emit(frozenset())
            context.show_selection()
            return
        node, shown = context.controller.selected, context.controller.shown
        if node is None or shown is None or node not in shown or not shown.succ[node]:
            context.action("base-focus").setChecked(False)
            context.say(
                "Select a base first: an image others stand on (a card with cards above it).",
                8000,
            )
            return
        context.state.set_focused(node)
        self.apply()

    def apply(self) -> None:
        """Light the base and what stands on it; say each image's share; bold its layers."""
        context, base = self.context, self.base
        shown = context.controller.shown
        if base is None or shown is None:
            return
        if base not in shown:  # a reload without it: the focus ends
            context.action("base-focus").setChecked(False)
            self.set_on(on=False)
            return
        above = descendants(shown, base)
        context.tree.highlight({*ancestry(shown, base), *above})
        size = shown.nodes[base]["size"]
        label = str(shown.nodes[base]["label"])
        figures: dict[str, tuple[str, float]] = {}
        for node in above:
            total = shown.nodes[node]["size"]
            if size is not None and total:
                figures[node] = (f"{format_size(size)} from {label}", size / total)
        context.tree.show_figures(figures)
        self.panel.set_focus(set(ancestry(shown, base)))
        self.lit.emit(frozenset(ancestry(shown, base)))

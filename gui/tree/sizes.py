"""What the cards' size line says (View menu): the image's size (the default), the bytes of
its own layers, or what removing it and everything above would free (core.disk.usage), with
a bar along the card for its share of the largest figure shown."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from fromscratch.core.text import format_size

if TYPE_CHECKING:
    from fromscratch.gui.window.context import Context

MODES = ("off", "own", "frees")


class SizeShading(QObject):
    def __init__(self, context: Context) -> None:
        super().__init__(context.window)
        self.context = context
        self.mode = "off"
        self._applied = False
        context.arranged.connect(self.apply)
        context.disk.ready.connect(self.apply)
        context.state.focus_changed.connect(self._focus_changed)

    def _focus_changed(self, base: str | None) -> None:
        if base is None:
            self.apply(force=True)  # the cards' figures as they were before the focus

    def choose(self, mode: str, *, on: bool) -> None:
        """A View menu entry: its mode, or back to sizes when the checked one is unchecked."""
        self.mode = mode if on else "off"
        for key in MODES:
            self.context.action(f"sizes-{key}").setChecked(key == self.mode)
        self.apply()

    def figures(self) -> dict[str, tuple[str, float]] | None:
        """Each shown card's figure and share of the largest; None while they are counted."""
        shown = self.context.controller.shown
        if self.mode == "off" or shown is None:
            return {}
        values: dict[str, int] = {}
        if self.mode == "own":
            for node, attrs in shown.nodes(data=True):
                if attrs["own_size"] is not None and attrs["kind"] != "scratch":
                    values[node] = int(attrs["own_size"])
            label = "+{} own layers"
        else:
            usage = self.context.disk.current()
            if usage is None:
                return None
            values = {n.id: n.frees for n in usage.nodes if n.id in shown}
            label = "frees {}"
        top = max(values.values(), default=0) or 1
        return {node: (label.format(format_size(v)), v / top) for node, v in values.items()}

    def apply(self, *, force: bool = False) -> None:
        if self.context.state.focused is not None:
            return  # a focused base's figures are on the cards (gui.tree.focus)
        if self.mode == "off" and not self._applied and not force:
            return  # nothing to take back: no walk over 10,000 cards per reload
        self._applied = self.mode != "off"
        figures = self.figures()
        if figures is None:
            self.context.say("counting every layer once…", 3000)
            return  # the figures' `ready` applies them
        self.context.tree.show_figures(figures)
        if self.mode == "frees":
            self.context.window.statusBar().clearMessage()  # "counting…" is over

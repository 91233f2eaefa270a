"""When the details dock shows: not on a first run (the tree gets the width) until the first
selection brings it in; hidden beside the story's picture and back on the tree; and, across
launches, open if the user left it open, even when the story's tab had hidden it then."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow

from fromscratch.gui.window import settings as remembered


class DockShown:
    def __init__(self, window: QMainWindow, dock: QDockWidget, settings: QSettings) -> None:
        self.window, self.dock, self.settings = window, dock, settings
        self.hidden_by_tab = False
        """Open when a tab hid it: it comes back with the tree."""
        self.reveal = False
        """A first run: the first selection brings it in."""

    def restored(self, *, state_restored: bool) -> None:
        """After the window's state was restored (or not: a first run)."""
        if not state_restored:
            self.reveal = True
            self.dock.hide()
        elif remembered.DETAILS_OPEN.read(self.settings):
            self.dock.show()  # saved hidden by the story's tab, left open by the user

    def tab_shown(self, *, tree_side: bool) -> None:
        """The dock belongs to the tree: hidden beside the story's picture, back after."""
        if not tree_side:
            self.hidden_by_tab = self.dock.isVisible() or self.hidden_by_tab
            self.dock.hide()
        elif self.hidden_by_tab:
            self.dock.show()
            self.hidden_by_tab = False

    def selected(self, *, allowed: bool) -> None:
        """A selection: on a first run it brings the dock in, once (`allowed`: on the tree's
        tab, not presenting)."""
        if not self.reveal or not allowed:
            return
        self.reveal = False
        if self.dock.isVisible():  # the user opened it already, at a width of their choosing
            return
        self.dock.show()
        width = max(320, min(560, int(self.window.width() * 0.32)))
        self.window.resizeDocks([self.dock], [width], Qt.Orientation.Horizontal)

    def closing(self) -> None:
        remembered.DETAILS_OPEN.write(self.settings, self.dock.isVisible() or self.hidden_by_tab)

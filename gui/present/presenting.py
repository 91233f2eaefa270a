"""Presentation mode, for a projector and a clicker: full screen, nothing but the picture,
applied to both views whichever tab it starts on; B or `.` blanks the screen (and again
brings it back), as presentation programs do; F5 (what many clickers send for "start the
slideshow") reloads nothing while presenting; a held left button shows a spotlight
(gui.present.spotlight); F11 or Esc leaves."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeySequence, QPainter, QPaintEvent, QShortcut
from PySide6.QtWidgets import QToolBar, QWidget

from fromscratch.gui.present.spotlight import SpotlightHolder
from fromscratch.gui.tree.items import NodeItem
from fromscratch.gui.window.placement import place
from fromscratch.gui.window.tabs import TREE_TAB

if TYPE_CHECKING:
    from fromscratch.gui.details.panel import DetailsPanel
    from fromscratch.gui.present.storyline import Storyline
    from fromscratch.gui.window.banner import Banner
    from fromscratch.gui.window.context import Context
    from fromscratch.gui.window.tabs import ViewTabs

BLANK_KEYS = ("B", ".")


class Blackout(QWidget):
    """A black cover over the whole window; any blank key or Esc takes it away."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        # Painted, not styled: a plain QWidget ignores a style sheet's background, and its
        # auto-filled palette is the theme's (the cover came out white in the projector theme).
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        window.installEventFilter(self)  # it covers the window at every size
        self.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and isinstance(watched, QWidget):
            self.setGeometry(watched.rect())
        return False

    def paintEvent(self, event: QPaintEvent) -> None:
        QPainter(self).fillRect(self.rect(), Qt.GlobalColor.black)

    def cover(self) -> None:
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self.show()
        self.raise_()
        self.setFocus()


@dataclass(frozen=True, slots=True)
class Stage:
    """The parts of the window that presentation mode changes, besides its bars."""

    tabs: ViewTabs
    panel: DetailsPanel
    banner: Banner
    storyline: Storyline
    theme_choice: Callable[[], str]
    """The theme the user chose ("system" unless one was picked)."""
    set_theme: Callable[..., None]
    """The window's `set_theme(choice, remember=, by_user=)`."""


class Presenter(QObject):
    """Owns presentation mode for the context's window."""

    def __init__(self, context: Context, stage: Stage) -> None:
        window = context.window
        super().__init__(window)
        self.context, self.stage, self.window = context, stage, window
        self.dock_was_visible = True
        self.blackout = Blackout(window)
        self.spotlight = SpotlightHolder(window)
        self.text_px = 0
        """While presenting, the least text height: 1/30 of the window's (the screen's)."""
        window.installEventFilter(self)
        for key in BLANK_KEYS:
            shortcut = QShortcut(QKeySequence(key), window)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(self.toggle_blank)

    @property
    def on(self) -> bool:
        return self.context.state.presenting

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and self.on:
            self.apply_text_px()
        return False

    def apply_text_px(self) -> None:
        """Every text the room sees at least 1/30 of the screen's height: the story, the
        picture's labels, the tree's cards and its caption, the disk rings' labels (0 when not
        presenting)."""
        stage = self.stage
        pixels = math.ceil(self.window.height() / 30) if self.on else 0
        if pixels == self.text_px:
            return
        self.text_px = pixels
        NodeItem.min_px = pixels
        self.context.tree.update()
        stage.storyline.set_text_px(pixels)
        if stage.tabs.built_kernel is not None:
            stage.tabs.built_kernel.set_text_px(pixels)
        if stage.tabs.built_disk is not None:
            stage.tabs.built_disk.set_text_px(pixels)

    def toggle_blank(self) -> None:
        """B or `.`: blank the screen while presenting, and back."""
        if self.blackout.isVisible():
            self.blackout.hide()
            self.focus_view()
        elif self.on:
            self.blackout.cover()

    def focus_view(self) -> None:
        tabs = self.stage.tabs
        tabs.view_at(tabs.currentIndex()).setFocus()

    def set_presenting(self, *, on: bool, full_screen: bool = True) -> None:
        """`full_screen=False` keeps the window's size (`--screenshot --size` of a
        presentation layout)."""
        context, stage, window = self.context, self.stage, self.window
        context.action("present").setChecked(on)
        context.state.set_presenting(on=on)
        context.action("reload").setEnabled(not on)  # a clicker's F5 must not reload
        # Home is the story's first step while presenting, not the tree's scratch
        context.action("home").setEnabled(not on and stage.tabs.currentIndex() == TREE_TAB)
        for bar in (window.menuBar(), window.statusBar(), *window.findChildren(QToolBar)):
            bar.setVisible(not on)
        stage.tabs.tabBar().setVisible(not on)
        stage.banner.quiet = on
        if on:
            self.dock_was_visible = stage.panel.isVisible()
            stage.panel.hide()
            stage.banner.hide()
            if full_screen:
                window.showFullScreen()
        else:
            self.blackout.hide()
            window.showNormal()
            place(window, restored=True)  # back to a window that fits the screen it is on
            on_tree = stage.tabs.currentIndex() == TREE_TAB
            stage.panel.setVisible(self.dock_was_visible and on_tree)
        stage.storyline.set_presenting(on=on)
        self.spotlight.set_on(on=on)
        self._theme(on=on)  # a theme re-polishes the widgets: the sizes come after it
        self.apply_text_px()
        self.focus_view()

    def _theme(self, *, on: bool) -> None:
        """The projector theme while presenting, unless the user picked a theme."""
        if self.stage.theme_choice() != "system":
            return
        self.stage.set_theme("projector" if on else "system", remember=False, by_user=False)

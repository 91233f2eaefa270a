"""What a feature of the window is given instead of the window: the controller, the view state,
and the few services features use (git-cola's `ApplicationContext`; napari hands its parts by
type). No feature module imports the main window (an import-linter contract holds it): what a
feature may use of the window is what :class:`Context` names, and features reach each other
through the view state's signals, not through the window."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from PySide6.QtCore import QSettings, SignalInstance
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QMainWindow

    from fromscratch.gui.disk.figures import DiskFigures
    from fromscratch.gui.tree.scene import TreeScene
    from fromscratch.gui.window.controller import Controller


class ViewState(QObject):
    """How the window shows things, one place each, with a signal when it changes: whether it
    is presenting, whether motion is reduced, which base is in focus. The window sets them;
    features read and follow them (presenting was a menu action's check state, read in eight
    places)."""

    presenting_changed = Signal(bool)
    reduced_motion_changed = Signal(bool)
    focus_changed = Signal(object)
    """The focused base's node, or None when the focus ends."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.presenting = False
        self.reduced_motion = False
        self.focused: str | None = None

    def set_presenting(self, *, on: bool) -> None:
        if on != self.presenting:
            self.presenting = on
            self.presenting_changed.emit(on)

    def set_reduced_motion(self, *, on: bool) -> None:
        if on != self.reduced_motion:
            self.reduced_motion = on
            self.reduced_motion_changed.emit(on)

    def set_focused(self, node: str | None) -> None:
        if node != self.focused:
            self.focused = node
            self.focus_changed.emit(node)


@dataclass(frozen=True, slots=True)
class Context:
    """The parts of the window a feature may use."""

    controller: Controller
    """What is open, shown and selected (gui.window.controller)."""
    state: ViewState
    settings: QSettings
    window: QMainWindow
    """As a plain Qt main window: the parent of dialogs and docks, and its status bar."""
    tree: TreeScene
    disk: DiskFigures
    arranged: SignalInstance
    """The tree is on screen after a load or a change of filter."""
    action: Callable[[str], QAction]
    """A named action of the menu table (gui.window.menus)."""
    select_node: Callable[[str | None], None]
    show_selection: Callable[[], None]
    show_tab: Callable[[int], None]

    def say(self, text: str, ms: int = 0) -> None:
        """A message in the status bar, for `ms` milliseconds (0: until the next one)."""
        self.window.statusBar().showMessage(text, ms)

"""Containers on the tree: a badge on each card whose image has containers (core.graph.badges),
kept up to date with every load (a live engine reloads on container events)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from fromscratch.core.graph.badges import badges

if TYPE_CHECKING:
    from fromscratch.gui.mainwindow import MainWindow


class ContainerBadges(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        window.arranged.connect(self.apply)

    def apply(self) -> None:
        opened = self.window.session.opened
        found = badges(opened.inventory.containers) if opened is not None else {}
        self.window.view.tree.show_badges(found)

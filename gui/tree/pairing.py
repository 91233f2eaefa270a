"""Selecting cards in the tree: a click selects one; Ctrl+click on a second compares the
selection with it (the Files tab's Compared, both cards and their paths lit); a third
Ctrl+click takes the second's place, a plain click ends the comparison."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QStatusBar
from shiboken6 import isValid

from fromscratch.core.text import printable
from fromscratch.gui.tree.items import NodeItem

if TYPE_CHECKING:
    from fromscratch.gui.tree.scene import TreeScene
    from fromscratch.gui.window.controller import Controller

SAID_FOR_MS = 15000


class CardPairing(QObject):
    def __init__(self, scene: TreeScene, controller: Controller, status: QStatusBar) -> None:
        super().__init__(scene)
        self.scene, self.controller, self.status = scene, controller, status
        scene.selectionChanged.connect(self._selected)
        controller.compared_changed.connect(self._compared)

    def _selected(self) -> None:
        if not isValid(self.scene):
            return  # the scene, being deleted, deselects its items
        items = [i for i in self.scene.selectedItems() if isinstance(i, NodeItem)]
        nodes = [i.node_id for i in items]
        controller = self.controller
        if len(nodes) >= 2 and controller.selected in nodes:
            others = [n for n in nodes if n not in (controller.selected, controller.compared)]
            other = others[0] if others else next(n for n in nodes if n != controller.selected)
            self.scene.blockSignals(True)  # two cards stay selected: the selection, the other
            for item in items:
                item.setSelected(item.node_id in (controller.selected, other))
            self.scene.blockSignals(False)
            controller.compare_with(other)
            return
        controller.compare_with(None)
        controller.select(nodes[0] if nodes else None)

    def _compared(self, other: str) -> None:
        """Light both paths; say which is compared with which."""
        controller = self.controller
        self.scene.highlight(set(controller.path_to_scratch()) or None)
        opened, node = controller.opened, controller.selected
        if not other or opened is None or node is None:
            return
        first, second = (printable(str(opened.graph.nodes[n]["label"])) for n in (node, other))
        self.status.showMessage(
            f"Comparing {first} with {second}: the Files tab (Ctrl+5) shows what differs",
            SAID_FOR_MS,
        )

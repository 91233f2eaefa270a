"""The inheritance tree: a QGraphicsView over core's layout, scratch at the bottom."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QKeyEvent, QPainter, QPen, QWheelEvent
from PySide6.QtWidgets import QGraphicsPathItem, QGraphicsScene, QGraphicsView, QWidget

from core.layout import Position, tidy_layout
from core.model import SCRATCH_ID
from gui import palette
from gui.treeitems import NODE_H, NODE_W, NodeItem, edge_path

if TYPE_CHECKING:
    import networkx as nx

X_GAP, Y_GAP = NODE_W + 28.0, NODE_H + 70.0


def scene_xy(position: Position) -> tuple[float, float]:
    """Scene coordinates of a layout position: generations go up the screen."""
    return position.x * X_GAP, -position.level * Y_GAP


class TreeScene(QGraphicsScene):
    """Items for one lineage graph, indexed by node id."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Measured: automatic BSP depth took 5-9 s to first paint 10k nodes; fixed depth 0.1 s.
        self.setBspTreeDepth(10)
        self.nodes: dict[str, NodeItem] = {}

    def show_graph(self, graph: nx.DiGraph, positions: dict[str, Position]) -> None:
        self.clear()
        self.nodes = {}
        pen = QPen(palette.EDGE, 1.4)
        pen.setCosmetic(True)
        dashed = QPen(pen)
        dashed.setStyle(Qt.PenStyle.DashLine)
        for node, pos in positions.items():
            attrs = graph.nodes[node]
            is_base = SCRATCH_ID in graph.pred[node]
            item = NodeItem(node, attrs, is_base)
            item.setPos(*scene_xy(pos))
            self.addItem(item)
            self.nodes[node] = item
        for parent, child, attrs in graph.edges(data=True):
            if parent not in positions or child not in positions:
                continue
            cx, cy = scene_xy(positions[child])
            px, py = scene_xy(positions[parent])
            edge = QGraphicsPathItem(edge_path(cx, cy + NODE_H / 2, px, py - NODE_H / 2))
            uncertain = attrs["ambiguous"] or attrs["method"] in ("virtual", "shared-layers")
            edge.setPen(dashed if uncertain else pen)
            edge.setZValue(0)
            self.addItem(edge)
        bounds = self.itemsBoundingRect()
        self.setSceneRect(bounds.adjusted(-80, -80, 80, 80))


class TreeView(QGraphicsView):
    """Wheel zoom around the cursor, drag to pan, F to fit, Home to scratch, +/- to zoom."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tree = TreeScene(self)
        self.setScene(self.tree)
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.MinimalViewportUpdate)
        self.setBackgroundBrush(palette.BACKGROUND)

    def show_graph(self, graph: nx.DiGraph) -> None:
        self.tree.show_graph(graph, tidy_layout(graph))
        self.fit()

    def fit(self) -> None:
        rect: QRectF = self.tree.sceneRect()
        self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
        if self.transform().m11() > 1.0:  # never blow small trees up past 100 %
            self.resetTransform()
            self.centerOn(rect.center())

    def zoom(self, factor: float) -> None:
        scale = self.transform().m11() * factor
        if 0.02 <= scale <= 4.0:
            self.scale(factor, factor)

    def wheelEvent(self, event: QWheelEvent) -> None:
        self.zoom(1.0015 ** event.angleDelta().y())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key == Qt.Key.Key_F:
            self.fit()
        elif key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom(1.25)
        elif key == Qt.Key.Key_Minus:
            self.zoom(0.8)
        elif key == Qt.Key.Key_Home and SCRATCH_ID in self.tree.nodes:
            self.centerOn(self.tree.nodes[SCRATCH_ID])
        else:
            super().keyPressEvent(event)

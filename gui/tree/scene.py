"""The inheritance tree's scene: cards and edges placed from core's layout, scratch at the
bottom; filters hide and show items rather than rebuild them."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QPen,
)
from PySide6.QtWidgets import (
    QGraphicsPathItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QWidget,
)

from fromscratch.core.graph.badges import Badge
from fromscratch.core.graph.layout import Position
from fromscratch.core.graph.records import SCRATCH_ID, is_uncertain
from fromscratch.core.graph.tree import Tree
from fromscratch.gui import palette
from fromscratch.gui.tree.items import NODE_H, NODE_W, NodeItem, edge_path

X_GAP, Y_GAP = NODE_W + 28.0, NODE_H + 70.0
DIM = 0.22
"""How much of a card shows through the veil while a path is highlighted."""
EDGE_Z, NODE_Z, VEIL_Z = 0.0, 1.0, 2.0
MARGIN = 120.0
"""Scene room around the cards, so that the edge cards can be scrolled to the middle."""


def scene_xy(position: Position) -> tuple[float, float]:
    """Scene coordinates of a layout position: generations go up the screen."""
    return position.x * X_GAP, -position.level * Y_GAP


class TreeScene(QGraphicsScene):
    """Items for one lineage graph, kept in an id -> item map and updated by diffing."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Measured: automatic BSP depth took 5-9 s to first paint 10k nodes; fixed depth 0.1 s.
        self.setBspTreeDepth(10)
        self.nodes: dict[str, NodeItem] = {}
        self.edges: dict[tuple[str, str], QGraphicsPathItem] = {}
        self._spare_nodes: dict[str, NodeItem] = {}
        self._spare_edges: dict[tuple[str, str], QGraphicsPathItem] = {}
        self._cards = QRectF()
        self.graph: Tree | None = None
        self.positions: dict[str, Position] = {}
        self._lit: tuple[list[NodeItem], list[QGraphicsPathItem]] = ([], [])
        self._veil = self._make_veil()
        self._pens()

    def _make_veil(self) -> QGraphicsRectItem:
        """A translucent sheet between the tree and a highlighted path: dimming 10,000 items
        one by one took ~100 ms a selection; raising a path of ten above one sheet takes none."""
        veil = QGraphicsRectItem()
        veil.setPen(Qt.PenStyle.NoPen)
        veil.setZValue(VEIL_Z)
        veil.setAcceptedMouseButtons(Qt.MouseButton.NoButton)  # clicks reach the cards below
        veil.hide()
        self.addItem(veil)
        return veil

    def _pens(self) -> None:
        shade = QColor(palette.BACKGROUND)
        shade.setAlphaF(1.0 - DIM)
        self._veil.setBrush(shade)
        self._pen = QPen(palette.EDGE, 1.4 * palette.STROKE)
        self._pen.setCosmetic(True)
        self._dashed = QPen(self._pen)
        self._dashed.setStyle(Qt.PenStyle.DashLine)

    def restyle(self) -> None:
        """Every card, edge and the veil in the current theme's colours, in place: nothing is
        rebuilt, so selection and highlight stay (rebuilding 30,000 items took ~0.5 s)."""
        self._pens()
        for item in (*self.nodes.values(), *self._spare_nodes.values()):
            item.restyle()
        for edge in (*self.edges.values(), *self._spare_edges.values()):
            edge.setPen(self._dashed if edge.data(1) else self._pen)

    def show_graph(
        self, graph: Tree, positions: dict[str, Position], source: Tree | None = None
    ) -> None:
        """Show `graph`: items of nodes that stay are reused and moved, not rebuilt; items
        filtered out are hidden and kept while `source` (the unfiltered graph `graph` was
        made from) still has them, so a filter switched back costs a show, not 10,000 new
        items (measured: 0.5 s to leave "only the ancestry" on 10,250 images)."""
        # Replacing a selected card (a tag added) must not read as the user clearing the
        # selection: the window selects it again from the controller afterwards.
        blocked = self.blockSignals(True)
        try:
            self._show_graph(graph, positions, source)
        finally:
            self.blockSignals(blocked)

    def _show_graph(self, graph: Tree, positions: dict[str, Position], source: Tree | None) -> None:
        self.highlight(None)  # the window lights the selection's path again afterwards
        self.graph, self.positions = graph, positions
        source = source if source is not None else graph
        for node in [n for n in self.nodes if n not in positions]:
            hidden = self.nodes.pop(node)
            hidden.hide()
            self._spare_nodes[node] = hidden
        for node in [n for n in self._spare_nodes if n not in source]:  # gone for good
            self.removeItem(self._spare_nodes.pop(node))
        for node, pos in positions.items():
            attrs = graph.nodes[node]
            item: NodeItem | None = self.nodes.get(node) or self._spare_nodes.pop(node, None)
            if item is not None and item.attrs is not attrs and item.stale(attrs):
                self.removeItem(item)
                item = None
            if item is None:
                item = NodeItem(node, attrs, is_base=SCRATCH_ID in graph.pred[node])
                self.addItem(item)
            elif not item.isVisible():
                item.show()
            self.nodes[node] = item
            item.attrs = attrs
            item.set_hidden_count(int(attrs.get("hidden", 0)), int(attrs.get("folded", 0)))
            item.setPos(*scene_xy(pos))
        self._draw_edges(graph, positions, source)
        xs = [scene_xy(p)[0] for p in positions.values()] or [0.0]
        ys = [scene_xy(p)[1] for p in positions.values()] or [0.0]
        centres = QRectF(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))
        self._cards = centres.adjusted(-NODE_W / 2, -NODE_H / 2, NODE_W / 2, NODE_H / 2)
        self.setSceneRect(self._cards.adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN))
        self._veil.setRect(self._cards.adjusted(-8, -8, 8, 8))

    def tree_rect(self) -> QRectF:
        """The cards shown (what "fit" frames and "export whole tree" draws). Not the scene
        rect, which the view grows to centre a card near the edge; nor itemsBoundingRect,
        which counts the hidden cards kept for filters."""
        return QRectF(self._cards)

    def _draw_edges(self, graph: Tree, positions: dict[str, Position], source: Tree) -> None:
        edges = graph.edges
        wanted = {(p, c) for p, c in edges if p in positions and c in positions}
        for key in [k for k in self.edges if k not in wanted]:
            gone = self.edges.pop(key)
            gone.hide()
            self._spare_edges[key] = gone
        known = source.edges
        for key in [k for k in self._spare_edges if k not in known]:
            self.removeItem(self._spare_edges.pop(key))
        for parent, child in wanted:
            attrs = edges[parent, child]
            ends = (*scene_xy(positions[child]), *scene_xy(positions[parent]))
            edge: QGraphicsPathItem | None = self.edges.get(
                (parent, child)
            ) or self._spare_edges.pop((parent, child), None)
            if edge is None:
                edge = QGraphicsPathItem()
                edge.setZValue(EDGE_Z)
                self.addItem(edge)
            elif not edge.isVisible():
                edge.show()
            self.edges[parent, child] = edge
            if edge.data(0) != ends:  # a path is rebuilt only when a card moved
                cx, cy, px, py = ends
                edge.setPath(edge_path(cx, cy + NODE_H / 2, px, py - NODE_H / 2))
                edge.setData(0, ends)
            uncertain = is_uncertain(attrs)
            edge.setData(1, uncertain)
            edge.setPen(self._dashed if uncertain else self._pen)

    def show_badges(self, found: dict[str, Badge]) -> None:
        """Each card's containers (gui.containers); cards not named have none."""
        for node, item in self.nodes.items():
            item.set_badge(found.get(node))

    def show_figures(self, figures: dict[str, tuple[str, float]]) -> None:
        """Size mode (gui.tree.sizes): each card's figure and its share of the largest; cards
        not named show their size again."""
        for node, item in self.nodes.items():
            item.set_figure(*figures.get(node, ("", 0.0)))

    def highlight(self, path: set[str] | None) -> None:
        """Dim everything but `path` (a node's ancestry); None shows everything plainly."""
        nodes, edges = self._lit
        for item in nodes:
            item.setZValue(NODE_Z)
        for edge in edges:
            edge.setZValue(EDGE_Z)
        if path is None:
            self._lit = ([], [])
            self._veil.hide()
            return
        lit_nodes = [self.nodes[n] for n in path if n in self.nodes]
        pred = self.graph.pred if self.graph is not None else {}
        lit_edges = [
            self.edges[p, c]
            for c in path
            for p in pred.get(c, ())
            if p in path and (p, c) in self.edges
        ]
        for item in lit_nodes:
            item.setZValue(VEIL_Z + 2)
        for edge in lit_edges:
            edge.setZValue(VEIL_Z + 1)
        self._lit = (lit_nodes, lit_edges)
        self._veil.show()

    def show_selection(self, node: str | None, path: list[str]) -> bool:
        """Select `node`'s card alone and light `path` (its ancestry); False when it has no
        card here (then nothing is lit)."""
        if node is None or not path or node not in self.nodes:
            self.highlight(None)
            return False
        item = self.nodes[node]
        if not item.isSelected():
            self.blockSignals(True)  # one selectionChanged, not two: one highlight, one details
            self.clearSelection()
            item.setSelected(True)
            self.blockSignals(False)
        self.highlight(set(path))
        return True

    def dimmed(self, node: str) -> bool:
        """Whether `node` is under the veil (for tests and the presenter's eye)."""
        return self._veil.isVisible() and self.nodes[node].zValue() < VEIL_Z

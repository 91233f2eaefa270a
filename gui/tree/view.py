"""The inheritance tree: a QGraphicsView over core's layout, scratch at the bottom."""

from __future__ import annotations

from PySide6.QtCore import QEasingCurve, QPointF, QRectF, Qt, QVariantAnimation, Signal
from PySide6.QtGui import (
    QColor,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPen,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QGraphicsPathItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsView,
    QWidget,
)

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
        self._pen = QPen(palette.EDGE, 1.4)
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
        # selection: the window selects it again from the session afterwards.
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
            item.set_hidden_count(int(attrs.get("hidden", 0)))
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


class TreeView(QGraphicsView):
    """Wheel zoom around the cursor, drag to pan, arrows, +/- to zoom, F to fit, Home to
    scratch; fits and jumps are animated unless reduced motion is on."""

    node_activated = Signal(str)
    """Double-click on a node (the window collapses or expands it)."""

    MIN_SCALE, MAX_SCALE = 0.02, 4.0

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # A viewport made in Python: the first viewport() call on the one Qt makes lets
        # PySide6 resolve its type by creating every QWidget subclass (~75 enums, ~8 ms at launch).
        self.setViewport(QWidget())
        self.tree = TreeScene(self)
        self.setScene(self.tree)
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        # A dock opening or a window resizing keeps what was in the middle in the middle.
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.MinimalViewportUpdate)
        self.setBackgroundBrush(palette.BACKGROUND)
        self.reduced_motion = False
        self._motion = QVariantAnimation(self)
        self._motion.setDuration(350)
        self._motion.setEasingCurve(QEasingCurve.Type.InOutCubic)
        self._motion.valueChanged.connect(self._step)
        self._from: tuple[float, QPointF] = (1.0, QPointF())
        self._to: tuple[float, QPointF] = (1.0, QPointF())
        self.fitted = False
        """The tree is shown whole and the user has not zoomed or panned since: a resize of
        the viewport (the window, the details dock) fits it again."""
        self._centre: QPointF | None = None
        """Where the view was last centred by the app (None after the user moved it)."""
        self._press: QPointF | None = None
        for bar in (self.horizontalScrollBar(), self.verticalScrollBar()):
            bar.actionTriggered.connect(self._moved_by_user)

    def _moved_by_user(self, *_args: object) -> None:
        self.fitted = False
        self._centre = None

    def _centre_on(self, center: QPointF, scale: float) -> None:
        """Centre on `center`, remembered exactly: reading it back from the view rounds to a
        pixel, and reloads would add those roundings up."""
        self._ensure_room(center, scale)
        self.centerOn(center)
        self._centre = QPointF(center)

    def restyle(self) -> None:
        self.setBackgroundBrush(palette.BACKGROUND)
        self.tree.restyle()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)  # the resize anchor keeps what was in the middle there
        if self.fitted and self.tree.nodes:
            self.fit(animated=False)

    def show_graph(
        self,
        graph: Tree,
        positions: dict[str, Position],
        *,
        fit: bool = True,
        source: Tree | None = None,
    ) -> None:
        kept = self._centre or self.mapToScene(self.viewport().rect().center())
        self.tree.show_graph(graph, positions, source)
        if fit:
            self.fit(animated=False)
        else:  # a reload: the scene rect changed, the view must not move
            self._centre_on(kept, self.scale_now())

    def scale_now(self) -> float:
        return float(self.transform().m11())

    def fit_scale(self, rect: QRectF) -> float:
        """The scale that shows `rect` whole, never above 100 % (small trees stay crisp)."""
        view = self.viewport().rect()
        if rect.width() <= 0 or rect.height() <= 0:
            return 1.0
        scale = min(view.width() / rect.width(), view.height() / rect.height())
        return max(self.MIN_SCALE, min(scale * 0.96, 1.0))

    def fit(self, *, animated: bool = True) -> None:
        rect = self.tree.tree_rect()
        self.move_to(rect.center(), self.fit_scale(rect), animated=animated)
        self.fitted = True

    def move_to(self, center: QPointF, scale: float, *, animated: bool = True) -> None:
        """Centre on `center` at `scale`, smoothly unless reduced motion is on."""
        self._motion.stop()
        self._from = (self.scale_now(), self.mapToScene(self.viewport().rect().center()))
        self._to = (scale, QPointF(center))
        if not animated or self.reduced_motion:
            self._step(1.0)
            return
        self._motion.setStartValue(0.0)
        self._motion.setEndValue(1.0)
        self._motion.start()

    def _step(self, t: object) -> None:
        f = float(t)  # type: ignore[arg-type]
        (s0, c0), (s1, c1) = self._from, self._to
        scale = s0 + (s1 - s0) * f
        center = c0 + (c1 - c0) * f
        self.resetTransform()
        self.scale(scale, scale)
        self._centre_on(center, scale)

    def _ensure_room(self, center: QPointF, scale: float) -> None:
        """Grow the scene rect so `center` can be centred (a node near the tree's edge too)."""
        view = self.viewport().rect()
        # A whole viewport to spare on every side: a scroll bar or a banner that comes and
        # goes then never clamps the view against the scene's edge (which moved it).
        half_w, half_h = view.width() / scale * 1.5, view.height() / scale * 1.5
        needed = QRectF(center.x() - half_w, center.y() - half_h, 2 * half_w, 2 * half_h)
        rect = self.tree.sceneRect()
        if not rect.contains(needed):
            self.tree.setSceneRect(rect.united(needed))

    def jump_to(self, node: str) -> None:
        """Centre on a node, zooming in enough to read it."""
        item = self.tree.nodes.get(node)
        if item is not None:
            self.move_to(item.sceneBoundingRect().center(), max(self.scale_now(), 0.8))
            self.fitted = False

    def zoom(self, factor: float) -> None:
        scale = self.scale_now() * factor
        if self.MIN_SCALE <= scale <= self.MAX_SCALE:
            self.scale(factor, factor)
            self.fitted = False
            self._centre = None

    def wheelEvent(self, event: QWheelEvent) -> None:
        self._motion.stop()
        self.zoom(1.0015 ** event.angleDelta().y())

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._press = event.position()
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._press is not None and (event.position() - self._press).manhattanLength() > 4:
            self._moved_by_user()  # a drag pans the view
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._press = None
        super().mouseReleaseEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        item = self.itemAt(event.position().toPoint())
        if isinstance(item, NodeItem):
            self.node_activated.emit(item.node_id)
        else:
            super().mouseDoubleClickEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        step = 120.0 / max(self.scale_now(), 0.05)
        moves = {
            Qt.Key.Key_Left: (-step, 0.0),
            Qt.Key.Key_Right: (step, 0.0),
            Qt.Key.Key_Up: (0.0, -step),
            Qt.Key.Key_Down: (0.0, step),
        }
        if key == Qt.Key.Key_F:
            self.fit()
        elif key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom(1.25)
        elif key == Qt.Key.Key_Minus:
            self.zoom(0.8)
        elif key == Qt.Key.Key_Home:
            self.jump_to(SCRATCH_ID)
        elif key in moves:
            dx, dy = moves[Qt.Key(key)]
            center = self.mapToScene(self.viewport().rect().center())
            self._moved_by_user()
            self.centerOn(center + QPointF(dx, dy))
        else:
            super().keyPressEvent(event)

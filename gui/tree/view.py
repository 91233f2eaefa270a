"""The inheritance tree: a QGraphicsView over the tree's scene, with fit, zoom and keys."""

from __future__ import annotations

from PySide6.QtCore import QEasingCurve, QPointF, QRect, QRectF, Qt, QVariantAnimation, Signal
from PySide6.QtGui import (
    QFocusEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPen,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QGraphicsView, QWidget

from fromscratch.core.graph.layout import Position
from fromscratch.core.graph.neighbours import Direction
from fromscratch.core.graph.tree import Tree
from fromscratch.gui import palette
from fromscratch.gui.tree.items import COMPACT_LOD, NodeItem
from fromscratch.gui.tree.scene import X_GAP, TreeScene

ARROWS = {
    Qt.Key.Key_Up: Direction.UP,
    Qt.Key.Key_Down: Direction.DOWN,
    Qt.Key.Key_Left: Direction.LEFT,
    Qt.Key.Key_Right: Direction.RIGHT,
}


class TreeView(QGraphicsView):
    """Wheel zoom around the cursor, drag to pan, arrows, +/- to zoom, F to fit, Home to
    scratch; fits and jumps are animated unless reduced motion is on."""

    node_activated = Signal(str)
    """Double-click on a node, or C with it selected (the window collapses or expands it)."""
    arrow_pressed = Signal(Direction)
    """An arrow key with a card selected: core.graph.neighbours.Direction (the window moves
    the selection); without a selection the arrows pan."""
    details_requested = Signal(str)
    too_wide = Signal()
    """F on a tree that, fitted whole, would be too small for any text: the window collapses
    it to an overview (and fits that) instead of drawing a strip of 3 px cards."""
    """Enter with a card selected: its details."""

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
        # A canvas, as maps are: drag or the arrow keys pan, the wheel zooms, F fits. Scroll
        # bars came and went as the scene grew, each time moving the picture by their width.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
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
        self.inset = 0
        """Pixels at the bottom of the viewport that something covers (the story's caption):
        fits leave them free."""
        self.show_focus = True
        """Draw the focus ring when the view has the keyboard (not while presenting)."""
        self.max_fit = 1.0
        """The largest scale a fit uses: 100 % keeps small trees crisp in a window; presenting
        lets a short chain fill the screen."""
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

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.viewport().update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.viewport().update()

    @property
    def focus_ring(self) -> bool:
        """Whether the ring that says "the keys act here" is drawn."""
        return self.show_focus and self.hasFocus()

    def drawForeground(self, painter: QPainter, rect: QRectF | QRect) -> None:
        """A ring along the viewport's edge while the view has the keyboard: arrows, Enter,
        C, F and + / - act on the tree then (and not on the search box)."""
        if not self.focus_ring:
            return
        painter.save()
        painter.resetTransform()
        pen = QPen(palette.IMAGE, 3)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(QRectF(self.viewport().rect()).adjusted(1.5, 1.5, -1.5, -1.5))
        painter.restore()

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        super().scrollContentsBy(dx, dy)  # the pixels move; the ring must stay at the edge
        if self.focus_ring:
            self.viewport().update()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)  # the resize anchor keeps what was in the middle there
        if not self.tree.nodes:
            return
        if self.fitted:
            self.fit(animated=False)
        elif self._centre is not None:  # a banner or a scroll bar came or went: the centre
            self._centre_on(self._centre, self.scale_now())  # the app set stays, unclamped

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

    def whole_rect(self) -> QRectF:
        """The cards' extent (what File > Export whole saves)."""
        return self.tree.tree_rect()

    def columns_that_fit(self, lod: float) -> int:
        """How many cards fit side by side at this level of detail."""
        return max(1, int(self.viewport().width() / (X_GAP * lod)))

    def scale_now(self) -> float:
        return float(self.transform().m11())

    def fit_scale(self, rect: QRectF) -> float:
        """The scale that shows `rect` whole, never above 100 % (small trees stay crisp)."""
        view = self.viewport().rect()
        if rect.width() <= 0 or rect.height() <= 0:
            return 1.0
        free = max(view.height() - self.inset, 1)
        scale = min(view.width() / rect.width(), free / rect.height())
        return max(self.MIN_SCALE, min(scale * 0.96, self.max_fit))

    def fit(self, *, animated: bool = True) -> None:
        rect = self.tree.tree_rect()
        scale = self.fit_scale(rect)
        # the middle of what the inset leaves free, not of the whole viewport
        centre = rect.center() + QPointF(0.0, self.inset / 2 / scale)
        self.move_to(centre, scale, animated=animated)
        self.fitted = True

    def fit_readable(self) -> None:
        """F, View > Fit tree: the whole tree when its cards would still show text, else
        `too_wide` (the window collapses it to an overview, then fits that)."""
        if self.fit_scale(self.tree.tree_rect()) < COMPACT_LOD:
            self.too_wide.emit()
        else:
            self.fit()

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
        # A whole viewport to spare on every side: a banner that comes and goes then never
        # clamps the view against the scene's edge (which moved it on every reload).
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

    def _selected_node(self) -> str | None:
        items = [i for i in self.tree.selectedItems() if isinstance(i, NodeItem)]
        return items[0].node_id if items else None

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        selected = self._selected_node()
        if selected is not None and key in ARROWS:
            self.arrow_pressed.emit(ARROWS[Qt.Key(key)])
            return
        if selected is not None and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.details_requested.emit(selected)
            return
        if selected is not None and key == Qt.Key.Key_C:
            self.node_activated.emit(selected)
            return
        step = 120.0 / max(self.scale_now(), 0.05)
        moves = {
            Qt.Key.Key_Left: (-step, 0.0),
            Qt.Key.Key_Right: (step, 0.0),
            Qt.Key.Key_Up: (0.0, -step),
            Qt.Key.Key_Down: (0.0, step),
        }
        # F, Home and the standard zoom keys are the window's commands (gui.window.menus)
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom(1.25)
        elif key == Qt.Key.Key_Minus:
            self.zoom(0.8)
        elif key in moves:
            dx, dy = moves[Qt.Key(key)]
            center = self.mapToScene(self.viewport().rect().center())
            self._moved_by_user()
            self.centerOn(center + QPointF(dx, dy))
        else:
            super().keyPressEvent(event)

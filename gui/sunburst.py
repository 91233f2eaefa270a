"""The "Disk by lineage" tab: core.disk.rings drawn as a sunburst, scratch in the middle, a
ring per generation, each wedge's angle the bytes removing it would free. Colours are the
tree's (base images green, images blue, inferred bases orange); a click selects the image
everywhere; File > Export view exports it like the tree."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFontMetricsF,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPen,
    QTransform,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QLabel,
    QStyleOptionGraphicsItem,
    QWidget,
)

from fromscratch.core.graph.records import SCRATCH_ID, NodeKind
from fromscratch.core.text import format_size
from fromscratch.gui import palette, plain

if TYPE_CHECKING:
    from fromscratch.core.disk.usage import DiskUsage
    from fromscratch.core.graph.tree import Tree
    from fromscratch.gui.mainwindow import MainWindow

CENTRE, RING, GAP = 80.0, 110.0, 2.0
"""Scene units: scratch's disc, each ring's width, the gap between rings."""
LABEL_PX = 12
"""Labels' size on screen, at every zoom."""
MIN_SPAN = 0.0008
"""Wedges narrower than this share of the circle (0.3 degrees) are not drawn."""


def sector(inner: float, outer: float, start: float, span: float) -> QPainterPath:
    """An annular sector; `start` and `span` are fractions of the circle, clockwise from
    twelve o'clock (Qt's arcs run counter-clockwise from three)."""
    path = QPainterPath()
    if span >= 1.0:
        path.addEllipse(QPointF(0, 0), outer, outer)
        if inner > 0:
            path.addEllipse(QPointF(0, 0), inner, inner)
        return path
    begin, sweep = 90.0 - (start + span) * 360.0, span * 360.0
    outer_rect = QRectF(-outer, -outer, 2 * outer, 2 * outer)
    inner_rect = QRectF(-inner, -inner, 2 * inner, 2 * inner)
    path.arcMoveTo(outer_rect, begin)
    path.arcTo(outer_rect, begin, sweep)
    path.arcTo(inner_rect, begin + sweep, -sweep)
    path.closeSubpath()
    return path


class WedgeItem(QGraphicsPathItem):
    def __init__(self, node: str, path: QPainterPath) -> None:
        super().__init__(path)
        self.node = node

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        """The fill without antialiasing, its outline with: the outline hides the fill's
        stair-stepped edge, and antialiased fills of large areas were most of a frame
        (measured on 10,250 images: 22 -> see docs/benchmarks.md)."""
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.fillPath(self.path(), self.brush())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.strokePath(self.path(), self.pen())


class SunburstView(QGraphicsView):
    """`node_clicked(node)` when a wedge is clicked; wheel zooms, drag pans, F fits."""

    node_clicked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rings = QGraphicsScene(self)
        self.setScene(self.rings)
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setBackgroundBrush(palette.BACKGROUND)
        self._pressed = QPointF()
        self.wedges: dict[str, WedgeItem] = {}
        self.labels: list[tuple[QGraphicsSimpleTextItem, float, float]] = []
        """Each label, the room its wedge has along its middle and across (scene units)."""
        self.radius = CENTRE
        self._marked: str | None = None
        self.empty = QGraphicsSimpleTextItem("counting every layer once…")
        self.rings.addItem(self.empty)
        self.caption = QLabel(self)
        self.caption.setTextFormat(Qt.TextFormat.PlainText)
        self.caption.setWordWrap(True)
        self.caption.setMargin(8)
        self.caption.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)

    def show_rings(self, tree: Tree, usage: DiskUsage) -> None:
        from fromscratch.core.disk.rings import wedges

        self.rings.clear()
        self.wedges = {}
        self.labels = []
        records = tree.node_records
        out = wedges(tree, usage, min_span=MIN_SPAN)
        standing = {n.id: n.images for n in usage.nodes}
        for index, wedge in enumerate(out):
            attrs = records[wedge.node]
            if wedge.ring == 0:
                inner, outer = 0.0, CENTRE - GAP
            else:
                inner = CENTRE + (wedge.ring - 1) * RING
                outer = inner + RING - GAP
            item = WedgeItem(wedge.node, sector(inner, outer, wedge.start, wedge.span))
            item.setBrush(QBrush(self._colour(attrs["kind"], wedge.ring, index)))
            pen = QPen(palette.BACKGROUND, 1.0)
            pen.setCosmetic(True)
            item.setPen(pen)
            label = "scratch" if wedge.node == SCRATCH_ID else str(attrs["label"])
            count = standing.get(wedge.node, 0)
            on_it = f", {count} image{'s' if count != 1 else ''} on it" if count else ""
            item.setToolTip(
                plain.tooltip(f"{label}\nremoving it frees {format_size(wedge.bytes)}{on_it}")
            )
            self.rings.addItem(item)
            self.wedges[wedge.node] = item
            self.radius = max(self.radius, outer)
            self._label(item, label, inner, outer, wedge.start, wedge.span)
        self.caption.setText(
            f"Every layer once: {format_size(usage.layers_bytes)} (the images add up to "
            f"{format_size(usage.images_bytes)}). Scratch in the middle, a ring per "
            "generation; a wedge's angle is what removing it, and everything on it, frees. "
            "Click a wedge to select the image."
        )
        self.caption.setFixedWidth(min(520, self.width()))
        self.caption.adjustSize()
        self.rings.setSceneRect(
            QRectF(-self.radius, -self.radius, 2 * self.radius, 2 * self.radius)
        )
        self._mark(self._marked)
        self.fit()

    @staticmethod
    def _colour(kind: str, ring: int, index: int) -> QColor:
        if kind == NodeKind.SCRATCH:
            return QColor(palette.CARD)
        base = (
            palette.VIRTUAL
            if kind == NodeKind.VIRTUAL
            else palette.BASE
            if ring == 1
            else palette.IMAGE
        )
        return QColor(base).lighter(100 + 14 * (index % 3) + 6 * min(ring, 6))

    def _label(
        self, item: WedgeItem, text: str, inner: float, outer: float, start: float, span: float
    ) -> None:
        """The wedge's name, plain text at a constant size on screen, in the middle of the
        wedge; shown only while the wedge has room for it at the current zoom."""
        middle = (inner + outer) / 2
        label = QGraphicsSimpleTextItem(text)
        label.setData(0, text)  # the whole name; shown shortened where room is short
        label.setZValue(2)  # above every wedge, its neighbours too
        self.rings.addItem(label)
        label.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations, True)
        font = label.font()
        font.setPixelSize(LABEL_PX)
        label.setFont(font)
        label.setBrush(QBrush(palette.TEXT))
        box = label.boundingRect()
        label.setTransform(QTransform.fromTranslate(-box.width() / 2, -box.height() / 2))
        if span < 1.0:
            angle = math.radians(90.0 - (start + span / 2) * 360.0)
            label.setPos(QPointF(math.cos(angle) * middle, -math.sin(angle) * middle))
            # A level label runs along the arc at twelve and six o'clock, across the ring
            # at three and nine: the room it has in between is a mix of the two.
            arc = min(2 * math.pi * middle * span, 4 * (outer - inner))
            room = max(arc * abs(math.sin(angle)), (outer - inner) * abs(math.cos(angle)))
        else:
            room = 2 * outer
        self.labels.append((label, room, outer - inner))

    def relabel(self) -> None:
        """Each label at this zoom: whole where its wedge has room, shortened where it has
        some, hidden where a few letters would not fit."""
        scale = self.transform().m11()
        for label, room, thickness in self.labels:
            full = str(label.data(0))
            metrics = QFontMetricsF(label.font())
            width = room * scale - 8
            fits = metrics.height() <= thickness * scale and width >= 5 * metrics.averageCharWidth()
            label.setVisible(fits)
            if fits:
                text = metrics.elidedText(full, Qt.TextElideMode.ElideRight, width)
                if text != label.text():
                    label.setText(text)
                    box = label.boundingRect()
                    label.setTransform(
                        QTransform.fromTranslate(-box.width() / 2, -box.height() / 2)
                    )

    def mark(self, node: str | None) -> None:
        self._mark(node)

    def _mark(self, node: str | None) -> None:
        if self._marked in self.wedges:
            pen = QPen(palette.BACKGROUND, 1.0)
            pen.setCosmetic(True)
            self.wedges[self._marked].setPen(pen)
            self.wedges[self._marked].setZValue(0)
        self._marked = node
        if node in self.wedges:
            pen = QPen(palette.TEXT, 3.0)
            pen.setCosmetic(True)
            self.wedges[node].setPen(pen)
            self.wedges[node].setZValue(1)

    def fit(self) -> None:
        self.fitInView(
            self.rings.sceneRect().adjusted(-20, -20, 20, 20), Qt.AspectRatioMode.KeepAspectRatio
        )
        self.relabel()

    def whole_rect(self) -> QRectF:
        return self.rings.sceneRect()

    def resizeEvent(self, event: object) -> None:
        super().resizeEvent(event)  # type: ignore[arg-type]
        self.fit()

    def wheelEvent(self, event: QWheelEvent) -> None:
        factor = 1.0015 ** event.angleDelta().y()
        self.scale(factor, factor)
        self.relabel()

    def keyPressEvent(self, event: object) -> None:
        from PySide6.QtGui import QKeyEvent

        if isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_F:
            self.fit()
            return
        super().keyPressEvent(event)  # type: ignore[arg-type]

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        moved = (event.position() - self._pressed).manhattanLength() > 4  # a drag pans
        super().mouseReleaseEvent(event)
        if moved:
            return
        item = self.itemAt(event.position().toPoint())
        while item is not None and not isinstance(item, WedgeItem):
            item = item.parentItem()
        if isinstance(item, WedgeItem):
            self.node_clicked.emit(item.node)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._pressed = event.position()
        super().mousePressEvent(event)


class DiskRings(QObject):
    """Keeps the tab's rings on what is open and its mark on the selection."""

    def __init__(self, window: MainWindow, view: SunburstView) -> None:
        super().__init__(view)
        self.window, self.view = window, view
        window.disk.ready.connect(self.refresh)
        window.arranged.connect(self.refresh)
        window.session.selection_changed.connect(lambda node: view.mark(node or None))
        view.node_clicked.connect(window.select_node)
        self.refresh()

    def refresh(self) -> None:
        opened = self.window.session.opened
        usage = self.window.disk.current()
        if opened is not None and usage is not None:
            self.view.show_rings(opened.graph, usage)
            self.view.mark(self.window.session.selected)

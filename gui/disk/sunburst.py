"""The "Disk by lineage" tab: core.disk.rings drawn as a sunburst, scratch in the middle, a
ring per generation, each wedge's angle the bytes removing it would free. Colours are the
tree's (base images green, images blue, inferred bases orange); a click selects the image
everywhere; File > Export view exports it like the tree."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QGraphicsPathItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QLabel,
    QStyleOptionGraphicsItem,
    QWidget,
)

from fromscratch.core.formats.inventory import plural
from fromscratch.core.graph.look import look_of
from fromscratch.core.graph.records import SCRATCH_ID, NodeKind
from fromscratch.core.text import format_size
from fromscratch.gui import palette, plain
from fromscratch.gui.disk import ringlabels
from fromscratch.gui.disk.ringlabels import RingLabel, add_label
from fromscratch.gui.tiles import TiledPicture

if TYPE_CHECKING:
    from fromscratch.core.disk.usage import DiskUsage
    from fromscratch.core.graph.tree import Tree
    from fromscratch.gui.window.context import Context

CENTRE, RING, GAP = 80.0, 110.0, 2.0
"""Scene units: scratch's disc, each ring's width, the gap between rings."""
LABEL_PX = 12
"""Labels' size on screen, at every zoom."""
ZOOM_KEYS = {Qt.Key.Key_Plus: 1.25, Qt.Key.Key_Equal: 1.25, Qt.Key.Key_Minus: 0.8}
MIN_SPAN = 0.0008
"""Wedges narrower than this share of the circle (0.3 degrees) are not drawn."""


def short_name(kind: object, label: str) -> str:
    """What a presenter may say instead of a long name: `ubuntu` of docker.io/ubuntu:24.04,
    "inferred base" of an inferred base's step."""
    if kind == NodeKind.VIRTUAL:
        return "inferred base"
    return label.rsplit("/", 1)[-1].split(":", 1)[0]


def _undrawn_note(count: int) -> str:
    if not count:
        return ""
    return (
        f" Not drawn: {plural(count, 'image')} that "
        + ("frees too little of its own" if count == 1 else "free too little of their own")
        + " (shared layers); the Images tab lists every image."
    )


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
        self.shade: tuple[str, int, int] = (NodeKind.IMAGE, 1, 0)
        """What its colour is made of (SunburstView._colour): the kind, ring and index."""

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
    """`node_clicked(node)` when a wedge is clicked; wheel zooms, drag pans, F fits.

    The picture is painted from tiles (gui.tiles), not item by item: panning draws what was
    rendered, a zoom stretches it until the wheel rests."""

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
        self.picture = TiledPicture(self, settled=self.relabel)
        self.label_px = LABEL_PX
        """Labels' size on screen: LABEL_PX, or 1/30 of the screen while presenting."""
        self.wedges: dict[str, WedgeItem] = {}
        self.labels: list[RingLabel] = []
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
        from fromscratch.core.disk.rings import undrawn, wedges

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
            item.shade = (str(attrs["kind"]), wedge.ring, index)
            item.setBrush(QBrush(self._colour(*item.shade)))
            label = "scratch" if wedge.node == SCRATCH_ID else str(attrs["label"])
            count = standing.get(wedge.node, 0)
            on_it = f", {count} image{'s' if count != 1 else ''} on it" if count else ""
            item.setToolTip(
                plain.tooltip(f"{label}\nremoving it frees {format_size(wedge.bytes)}{on_it}")
            )
            self.rings.addItem(item)
            self.wedges[wedge.node] = item
            self.radius = max(self.radius, outer)
            arc = None if wedge.span >= 1.0 else (wedge.start, wedge.span)
            self._label(item, label, short_name(attrs["kind"], label), (inner, outer), arc)
        parents = {parent for w in out for parent in tree.predecessors(w.node)}
        for wedge, ring_label in zip(out, self.labels, strict=True):
            ring_label.leaf = wedge.node not in parents
        self.caption.setText(
            f"Every layer once: {format_size(usage.layers_bytes)} (the images add up to "
            f"{format_size(usage.images_bytes)}). Scratch in the middle, a ring per "
            "generation; a wedge's angle is what removing it, and everything on it, frees. "
            "Click a wedge to select the image." + _undrawn_note(undrawn(tree, out))
        )
        self._place_caption()
        self.rings.setSceneRect(
            QRectF(-self.radius, -self.radius, 2 * self.radius, 2 * self.radius)
        )
        self._mark(self._marked)
        self.fit()

    @staticmethod
    def _colour(kind: str, ring: int, index: int) -> QColor:
        if kind == NodeKind.SCRATCH:
            return QColor(palette.CARD)
        role = look_of(kind, base=ring == 1).role  # the first ring: the bases
        return QColor(palette.role_colour(role)).lighter(100 + 14 * (index % 3) + 6 * min(ring, 6))

    def _label(
        self,
        item: WedgeItem,
        text: str,
        short: str,
        ring: tuple[float, float],
        arc: tuple[float, float] | None,
    ) -> None:
        label = RingLabel(item, text, short, ring, arc)
        add_label(self.rings, label, self.label_px)
        self.labels.append(label)

    def relabel(self) -> None:
        """Each label at this zoom (gui.disk.ringlabels): inside its wedge, beside it outside the
        rings, or hidden; whole names or none while presenting."""
        top = self.caption.geometry().bottom() + 1 if self.caption.isVisible() else 0
        metrics = QFontMetricsF(self._label_font())
        whole = self.label_px > LABEL_PX
        ringlabels.relabel(self, self.labels, metrics, radius=self.radius, whole=whole, top=top)
        # The small picture under a zoom keeps the labels it was drawn with: only a zoom's
        # edges show it, for a moment
        self.picture.invalidate(overview=False)

    def _label_font(self) -> QFont:
        font = self.font()
        font.setPixelSize(self.label_px)
        return font

    def set_text_px(self, px: int) -> None:
        """Presenting, labels and the caption at least `px` high (0: their own size)."""
        self.label_px = max(LABEL_PX, px)
        for label in self.labels:
            label.set_px(self.label_px)
        font = self.font()
        if px:
            font.setPixelSize(px)
        self.caption.setFont(font)
        self._place_caption()
        self.relabel()
        self.picture.invalidate()

    def _place_caption(self) -> None:
        wide = 520 if self.label_px == LABEL_PX else 40 * self.label_px
        self.caption.setFixedWidth(min(wide, self.width()))
        self.caption.adjustSize()

    def restyle(self) -> None:
        """The theme's colours (gui.theme changed gui.palette)."""
        self.setBackgroundBrush(palette.BACKGROUND)
        for item in self.wedges.values():
            item.setBrush(QBrush(self._colour(*item.shade)))
        for label in self.labels:
            label.recolour()
        self._mark(self._marked)

    def mark(self, node: str | None) -> None:
        self._mark(node)

    def _mark(self, node: str | None) -> None:
        if self._marked in self.wedges:
            self.wedges[self._marked].setZValue(0)
        for item in self.wedges.values():
            pen = QPen(palette.BACKGROUND, 1.0)
            pen.setCosmetic(True)
            item.setPen(pen)
        self._marked = node
        if node in self.wedges:
            pen = QPen(palette.TEXT, 3.0)
            pen.setCosmetic(True)
            self.wedges[node].setPen(pen)
            self.wedges[node].setZValue(1)
        self.picture.invalidate()

    def fit(self) -> None:
        """The rings whole, in the room under the caption (it ran over the ring, presenting)."""
        rings = self.rings.sceneRect().adjusted(-20, -20, 20, 20)
        view = self.viewport().rect()
        top = self.caption.height() if self.caption.isVisible() else 0
        scale = min(view.width() / rings.width(), max(1, view.height() - top) / rings.height())
        shown = rings.adjusted(0, -top / scale, 0, 0)
        self.setSceneRect(shown)
        self.fitInView(shown, Qt.AspectRatioMode.KeepAspectRatio)
        self.relabel()

    def whole_rect(self) -> QRectF:
        return self.rings.sceneRect()

    def resizeEvent(self, event: object) -> None:
        super().resizeEvent(event)  # type: ignore[arg-type]
        self.fit()

    def wheelEvent(self, event: QWheelEvent) -> None:
        self.zoom(1.0015 ** event.angleDelta().y())

    def zoom(self, factor: float) -> None:
        """One step of a zoom: drawn stretched until the steps stop (gui.tiles)."""
        self.scale(factor, factor)
        self.picture.zooming()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self.viewport())
        self.picture.paint(painter, event.rect())
        painter.end()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """F fits; + and - zoom a step, as on the tree."""
        key = event.key()
        if key == Qt.Key.Key_F:
            self.fit()
        elif key in ZOOM_KEYS:
            self.zoom(ZOOM_KEYS[Qt.Key(key)])
        else:
            super().keyPressEvent(event)

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

    def __init__(self, context: Context, view: SunburstView, text_px: int) -> None:
        super().__init__(view)
        self.context, self.view = context, view
        context.disk.ready.connect(self.refresh)
        context.arranged.connect(self.refresh)
        context.controller.selection_changed.connect(lambda node: view.mark(node or None))
        view.node_clicked.connect(context.select_node)
        view.set_text_px(text_px)  # made while presenting: at its size
        self.refresh()

    def refresh(self) -> None:
        opened = self.context.controller.opened
        usage = self.context.disk.current()
        if opened is not None and usage is not None:
            self.view.show_rings(opened.graph, usage)
            self.view.mark(self.context.controller.selected)

"""The rings' labels: each wedge's name inside it where it has room, else outside the rings
beside it with a short leader line, and never two on top of each other. Presenting, a label
is a whole name (the tag, or a shorter name for it) or nothing; otherwise it is shortened to
its room. Labels are plain text at a constant size on screen, whatever the zoom."""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QBrush, QFontMetricsF, QPainter, QPen, QTransform
from PySide6.QtWidgets import (
    QGraphicsLineItem,
    QGraphicsPathItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QStyleOptionGraphicsItem,
    QWidget,
)

from fromscratch.gui import palette

LEADER_PX = 14
"""How far outside the rings an outside label starts, on screen."""
GAP_PX = 4
"""Space kept between a label and its leader line, and between two labels."""


class RingLabel(QGraphicsSimpleTextItem):
    """A wedge's name; `painted` lists the pixel sizes it was drawn at (tests measure them)."""

    def __init__(
        self,
        wedge: QGraphicsPathItem,
        full: str,
        short: str,
        ring: tuple[float, float],
        arc: tuple[float, float] | None,
    ) -> None:
        super().__init__(full)
        self.full = full
        """The whole name; shown shortened where room is short."""
        self.short = short
        """A shorter whole name presenting may use (`ubuntu` of ubuntu:24.04)."""
        self.wedge = wedge
        """The wedge it names: inside it, its colour decides the label's (black or white)."""
        self.inner, self.outer = ring
        self.angle: float | None = None
        """The wedge's middle, in radians counter-clockwise from three o'clock (None: the
        whole disc)."""
        self.span = 1.0
        self.room = 2 * self.outer
        """Scene units the wedge has for a level label along its middle."""
        if arc is not None:
            start, span = arc
            self.angle = math.radians(90.0 - (start + span / 2) * 360.0)
            middle = (self.inner + self.outer) / 2
            # A level label runs along the arc at twelve and six o'clock, across the ring at
            # three and nine: the room it has in between is a mix of the two.
            along = min(2 * math.pi * middle * span, 4 * (self.outer - self.inner))
            self.room = max(
                along * abs(math.sin(self.angle)),
                (self.outer - self.inner) * abs(math.cos(self.angle)),
            )
            self.span = span
        self.leaf = False
        """Nothing is drawn outside it: its name may go there."""
        self.outside = False
        self.leader = QGraphicsLineItem()
        self.leader.setVisible(False)
        self.leader.setZValue(2)
        self.painted: list[int] = []

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        self.painted.append(self.font().pixelSize())
        super().paint(painter, option, widget)  # type: ignore[arg-type]  # None is allowed

    def set_px(self, px: int) -> None:
        font = self.font()
        font.setPixelSize(px)
        self.setFont(font)

    def recolour(self) -> None:
        """Inside, black or white on its wedge (4.5:1 in any theme); outside, the text's."""
        colour = palette.TEXT if self.outside else palette.text_on(self.wedge.brush().color())
        self.setBrush(QBrush(colour))
        pen = QPen(palette.TEXT, 1.0)
        pen.setCosmetic(True)
        self.leader.setPen(pen)

    def show_inside(self, text: str) -> None:
        middle = (self.inner + self.outer) / 2
        if self.angle is None:
            self.setPos(QPointF(0, 0))
        else:
            self.setPos(QPointF(math.cos(self.angle) * middle, -math.sin(self.angle) * middle))
        self._show(text, outside=False)
        box = self.boundingRect()
        self.setTransform(QTransform.fromTranslate(-box.width() / 2, -box.height() / 2))

    def show_outside(self, text: str, radius: float) -> None:
        """Beside the rings at the wedge's middle, `radius` scene units out, with a leader
        line from the wedge's edge."""
        assert self.angle is not None
        cos, sin = math.cos(self.angle), -math.sin(self.angle)
        self.leader.setLine(cos * self.outer, sin * self.outer, cos * radius, sin * radius)
        self.leader.setVisible(True)
        self.setPos(QPointF(cos * radius, sin * radius))
        self._show(text, outside=True)
        box = self.boundingRect()
        x = GAP_PX if cos >= 0 else -box.width() - GAP_PX
        self.setTransform(QTransform.fromTranslate(x, -box.height() / 2))

    def _show(self, text: str, *, outside: bool) -> None:
        if text != self.text():
            self.setText(text)
        self.outside = outside
        self.recolour()
        self.setVisible(True)

    def hide_all(self) -> None:
        self.setVisible(False)
        self.leader.setVisible(False)
        self.outside = False


def add_label(scene: QGraphicsScene, label: RingLabel, px: int) -> None:
    label.setZValue(2)  # above every wedge, its neighbours too
    label.setFlag(QGraphicsSimpleTextItem.GraphicsItemFlag.ItemIgnoresTransformations, True)
    label.set_px(px)
    label.recolour()
    scene.addItem(label)
    scene.addItem(label.leader)


def fitted(label: RingLabel, metrics: QFontMetricsF, width: float, *, whole: bool) -> str:
    """The text that fits `width` px: whole, the whole name or its short one (else ""); not
    whole, the name shortened with "…" when at least five letters fit."""
    if whole:
        names = (label.full, label.short)
        return next((t for t in names if metrics.horizontalAdvance(t) <= width), "")
    if width < 5 * metrics.averageCharWidth():
        return ""
    return metrics.elidedText(label.full, Qt.TextElideMode.ElideRight, width)


def relabel(
    view: QGraphicsView,
    labels: list[RingLabel],
    metrics: QFontMetricsF,
    *,
    radius: float,
    whole: bool,
    top: float,
) -> None:
    """Each label at this zoom: its whole name inside its wedge where it has room; else beside
    the rings (a wedge with nothing outside it) where the view has room and no other label
    is; else shortened inside (or hidden). `top`: the first pixel row free of the caption."""
    scale = view.transform().m11()
    height = metrics.height()
    room: dict[int, float] = {}
    outside: list[RingLabel] = []
    for label in labels:
        thick = height <= (label.outer - label.inner) * scale
        room[id(label)] = label.room * scale - 8 if thick else 0.0
        if metrics.horizontalAdvance(label.full) <= room[id(label)]:
            label.show_inside(label.full)
            continue
        label.hide_all()
        if label.leaf and label.angle is not None:
            outside.append(label)
        else:
            _inside_or_none(label, metrics, room[id(label)], whole=whole)
    placed = _place_outside(view, outside, metrics, radius=radius, whole=whole, top=top)
    for label in outside:
        if label not in placed:
            _inside_or_none(label, metrics, room[id(label)], whole=whole)


def _inside_or_none(label: RingLabel, metrics: QFontMetricsF, room: float, *, whole: bool) -> None:
    text = fitted(label, metrics, room, whole=whole) if room > 0 else ""
    if text:
        label.show_inside(text)


def _place_outside(
    view: QGraphicsView,
    labels: list[RingLabel],
    metrics: QFontMetricsF,
    *,
    radius: float,
    whole: bool,
    top: float,
) -> set[RingLabel]:
    """Whole names beside the rings, the widest wedges first, none over another; returns
    those placed."""
    scale = view.transform().m11()
    height = metrics.height()
    out = radius + LEADER_PX / max(scale, 1e-9)
    port = view.viewport().rect()
    taken: list[tuple[bool, float, float]] = []
    placed: set[RingLabel] = set()
    for label in sorted(labels, key=lambda lab: -lab.span):
        assert label.angle is not None
        right = math.cos(label.angle) >= 0
        at = view.mapFromScene(QPointF(math.cos(label.angle) * out, -math.sin(label.angle) * out))
        room = (port.width() - at.x() if right else at.x()) - 2 * GAP_PX
        y0, y1 = at.y() - height / 2, at.y() + height / 2
        if y0 < top or y1 > port.height():
            continue
        if any(side == right and y0 < b + GAP_PX and a < y1 + GAP_PX for side, a, b in taken):
            continue
        text = fitted(label, metrics, room, whole=True)  # whole names: shortening is inside
        if text and (text == label.full or whole):
            taken.append((right, y0, y1))
            label.show_outside(text, out)
            placed.add(label)
    return placed

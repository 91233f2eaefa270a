"""The graphics items of the kernel / user-space picture: labelled blocks, the line between
kernel space and user space, the step's caption and the travelling system call."""

from __future__ import annotations

from PySide6.QtCore import Property, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsObject, QStyleOptionGraphicsItem, QWidget

from fromscratch.gui import palette

W, H = 1600.0, 900.0
LINE_Y = 616.0
"""The kernel / user-space line in the container picture."""
MAX_BOXES = 8
KIND_COLOURS = {
    "hardware": "#7f7f7f",
    "hypervisor": "#CC79A7",
    "kernel": "#D55E00",
    "engine": "#E69F00",
    "userspace": "#0072B2",
    "app": "#009E73",
    "binary": "#009E73",
    "frame": "#999999",
}


class Block(QGraphicsObject):
    """A labelled rounded box; position, size (via `rect`) and opacity animate."""

    pixel = 1.0
    """Scene units per device pixel, set by the view when it scales the picture."""

    def __init__(self, name: str, kind: str) -> None:
        super().__init__()
        self.name, self.kind = name, kind
        self._rect = QRectF(0, 0, 10, 10)
        self.text = ""
        self.sub = ""
        self.emphasis = False
        self.setOpacity(0.0)
        # Measured: the morph moves every block; redrawing them each frame cost 14 ms at
        # 1080p, blitting cached pictures of them a fraction of that.
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    def get_rect(self) -> QRectF:
        """The block's rectangle in scene coordinates."""
        return self._rect.translated(self.pos())

    def set_rect(self, rect: QRectF) -> None:
        """Moving only changes `pos`, so the cached picture is reused; resizing repaints."""
        pixel = Block.pixel  # snap to whole device pixels: a cached picture then just moves
        self.setPos(round(rect.left() / pixel) * pixel, round(rect.top() / pixel) * pixel)
        if rect.size() != self._rect.size():
            self.prepareGeometryChange()
            self._rect = QRectF(0, 0, rect.width(), rect.height())
            self.update()

    rect = Property(QRectF, get_rect, set_rect)

    def boundingRect(self) -> QRectF:
        return self._rect.adjusted(-4, -4, 4, 4)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        colour = QColor(KIND_COLOURS.get(self.kind, "#777777"))
        if self.kind == "frame":
            pen = QPen(colour, 2, Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(self._rect, 14, 14)
            self._draw_text(painter, self._rect.adjusted(8, 6, -8, 0), palette.TEXT, top=True)
            return
        fill = QColor(colour)
        if not self.emphasis:  # opaque fills: blending big areas is what made frames slow
            fill = fill.lighter(112)
        painter.setPen(QPen(colour.darker(130), 3 if self.emphasis else 1.5))
        painter.setBrush(QBrush(fill))
        painter.drawRoundedRect(self._rect, 10, 10)
        self._draw_text(painter, self._rect, QColor("#ffffff"))

    def _draw_text(
        self, painter: QPainter, rect: QRectF, colour: QColor, *, top: bool = False
    ) -> None:
        if not self.text:
            return
        painter.setPen(colour)
        width = rect.width() - 16
        size = max(16.0, min(34.0, rect.height() * (0.24 if self.sub else 0.42)))
        title_font = _fitting(painter.font(), self.text, width, size, bold=True)
        if not self.sub or top:
            painter.setFont(title_font)
            flags = Qt.AlignmentFlag.AlignHCenter | (
                Qt.AlignmentFlag.AlignTop if top else Qt.AlignmentFlag.AlignVCenter
            )
            painter.drawText(rect.adjusted(0, 4, 0, 0) if top else rect, flags, self.text)
            if top and self.sub:
                painter.setFont(_fitting(painter.font(), self.sub, width, size * 0.6))
                painter.drawText(
                    rect.adjusted(0, title_font.pixelSize() + 12, 0, 0),
                    Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                    self.sub,
                )
            return
        painter.setFont(title_font)
        upper = QRectF(rect.left(), rect.top(), rect.width(), rect.height() * 0.52)
        painter.drawText(
            upper, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom, self.text
        )
        sub_font = _fitting(painter.font(), self.sub, width * 1.6, max(14.0, size * 0.72))
        painter.setFont(sub_font)
        lower = QRectF(
            rect.left() + 8,
            rect.top() + rect.height() * 0.54,
            rect.width() - 16,
            rect.height() * 0.46,
        )
        painter.drawText(
            lower,
            Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap,
            self.sub,
        )


def _fitting(base: QFont, text: str, width: float, size: float, *, bold: bool = False) -> QFont:
    """The largest font up to `size` px (down to 12) in which `text` fits `width`."""
    font = QFont(base)
    font.setBold(bold)
    pixels = int(size)
    while True:
        font.setPixelSize(pixels)
        if pixels <= 12 or QFontMetricsF(font).horizontalAdvance(text) <= width:
            return font
        pixels -= 1


class Line(QGraphicsObject):
    """The kernel-space / user-space line, with its two labels."""

    def __init__(self) -> None:
        super().__init__()
        self.setOpacity(0.0)

    def boundingRect(self) -> QRectF:
        return QRectF(0, LINE_Y - 50, W, 100)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setPen(QPen(palette.TEXT, 3, Qt.PenStyle.DashLine))
        painter.drawLine(QPointF(30, LINE_Y), QPointF(W - 30, LINE_Y))
        font = QFont(painter.font())
        font.setPixelSize(20)
        font.setBold(True)
        painter.setFont(font)
        painter.drawText(
            QRectF(34, LINE_Y - 34, 400, 30), Qt.AlignmentFlag.AlignLeft, "▲ user space"
        )
        painter.drawText(
            QRectF(34, LINE_Y + 6, 400, 30), Qt.AlignmentFlag.AlignLeft, "▼ kernel space"
        )


class Caption(QGraphicsObject):
    """The step's title, large, in the picture itself: readable from the back row."""

    RECT = QRectF(40, 40, W - 80, 150)

    def __init__(self) -> None:
        super().__init__()
        self.text = ""

    def set_text(self, text: str) -> None:
        self.text = text
        self.update()

    def boundingRect(self) -> QRectF:
        return self.RECT

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        font = QFont(painter.font())
        font.setPixelSize(52)
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(palette.TEXT)
        painter.drawText(
            self.RECT,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap,
            self.text,
        )


class Dot(QGraphicsObject):
    """A system call travelling from a process into the kernel and back."""

    def __init__(self) -> None:
        super().__init__()
        self.label = "write()"
        self.setOpacity(0.0)
        self.setZValue(5)

    def boundingRect(self) -> QRectF:
        return QRectF(-16, -16, 130, 32)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setPen(QPen(QColor("#000000"), 2))
        painter.setBrush(QColor("#F0E442"))
        painter.drawEllipse(QRectF(-14, -14, 28, 28))
        font = QFont(painter.font())
        font.setPixelSize(18)
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(palette.TEXT)
        painter.drawText(QRectF(20, -14, 110, 28), Qt.AlignmentFlag.AlignVCenter, self.label)

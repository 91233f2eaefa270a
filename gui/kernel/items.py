"""The graphics items of the kernel / user-space picture: labelled blocks, the line between
kernel space and user space, the step's caption and the travelling system call."""

from __future__ import annotations

import math
from collections.abc import Callable
from enum import StrEnum

from PySide6.QtCore import Property, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsObject, QStyleOptionGraphicsItem, QWidget

from fromscratch.gui import palette

W, H = 1600.0, 900.0
LINE_Y = 616.0
"""The kernel / user-space line in the container picture."""
MAX_BOXES = 8


class BlockKind(StrEnum):
    """What a block of the picture is (its colour, and what a step's highlight lights)."""

    HARDWARE = "hardware"
    HYPERVISOR = "hypervisor"
    KERNEL = "kernel"
    """The host kernel, or a VM's guest kernel."""
    ENGINE = "engine"
    USERSPACE = "userspace"
    APP = "app"
    BINARY = "binary"
    """The FROM-scratch example's one static binary."""
    FRAME = "frame"
    """A VM's outline, or the FROM-scratch image's."""


KIND_COLOURS = {
    BlockKind.HARDWARE: "#7f7f7f",
    BlockKind.HYPERVISOR: "#CC79A7",
    BlockKind.KERNEL: "#D55E00",
    BlockKind.ENGINE: "#E69F00",
    BlockKind.USERSPACE: "#0072B2",
    BlockKind.APP: "#009E73",
    BlockKind.BINARY: "#009E73",
    BlockKind.FRAME: "#999999",
}


def text_floor(item: QGraphicsItem) -> float:
    """Presenting: the least text size in scene units, from the scene's `text_floor` (the
    1/30 rule in logical pixels times the scene units per pixel); 0 when there is none."""
    return float(getattr(item.scene(), "text_floor", 0.0))


class Block(QGraphicsObject):
    """A labelled rounded box; position, size (via `rect`) and opacity animate."""

    pixel = 1.0
    """Scene units per device pixel, set by the view when it scales the picture."""

    def __init__(self, name: str, kind: BlockKind) -> None:
        super().__init__()
        self.name, self.kind = name, kind
        self._rect = QRectF(0, 0, 10, 10)
        self.text = ""
        self.sub = ""
        self.emphasis = False
        self.painted: list[float] = []
        """Pixel sizes (scene units) of the texts last painted: tests measure them."""
        self.said = ""
        """The sub line as last painted (shortened, on lines): what the room reads."""
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
        colour = QColor(KIND_COLOURS[self.kind])
        if self.kind is BlockKind.FRAME:
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
        self.painted = []
        self.said = ""
        if not self.text:
            return
        painter.setPen(colour)
        floor = text_floor(self)
        if floor:
            self._draw_large(painter, rect, floor, top=top)
            return
        width = rect.width() - 16
        size = max(16.0, min(34.0, rect.height() * (0.24 if self.sub else 0.42)))
        title_font = _fitting(painter.font(), self.text, width, size, bold=True)
        if not self.sub or top:
            painter.setFont(title_font)
            flags = Qt.AlignmentFlag.AlignHCenter | (
                Qt.AlignmentFlag.AlignTop if top else Qt.AlignmentFlag.AlignVCenter
            )
            painter.drawText(rect.adjusted(0, 4, 0, 0) if top else rect, flags, self.text)
            self.painted.append(title_font.pixelSize())
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
        lower = QRectF(
            rect.left() + 8,
            rect.top() + rect.height() * 0.54,
            rect.width() - 16,
            rect.height() * 0.46,
        )
        sub_font = QFont(painter.font())
        sub_font.setBold(False)
        sub_font.setPixelSize(max(1, round(max(14.0, size * 0.72))))
        metrics = QFontMetricsF(sub_font)
        lines = _packed(self.sub, lambda line: metrics.horizontalAdvance(line) <= lower.width())
        if lines and len(lines) > 1 and len(lines) * metrics.height() <= lower.height():
            sub = "\n".join(lines)  # a long sub in a tall block: its phrases, line by line
        else:
            sub = self.sub
            sub_font = _fitting(painter.font(), self.sub, width * 1.6, max(14.0, size * 0.72))
        painter.setFont(sub_font)
        self.painted += [title_font.pixelSize(), sub_font.pixelSize()]
        self.said = sub
        painter.drawText(
            lower,
            Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap,
            sub,
        )

    def _draw_large(self, painter: QPainter, rect: QRectF, floor: float, *, top: bool) -> None:
        """Presenting: the title at the floor size, wrapped onto the lines the block has
        (else one elided line), the sub below it only when a whole line fits: wrapped onto
        the lines left when all of it fits, else one elided line. Text is dropped before it
        is shrunk: the back row reads all of it or none."""
        inner = rect.adjusted(8, 4, -8, -4)
        font = QFont(painter.font())
        font.setBold(True)
        font.setPixelSize(max(1, math.ceil(floor)))
        metrics = QFontMetricsF(font)
        if metrics.height() > inner.height():
            return  # not even one line: no text rather than small text
        wrap = Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignHCenter
        wrapped = metrics.boundingRect(inner, int(wrap), self.text)
        painter.setFont(font)
        painter.save()
        painter.setClipRect(inner)
        if wrapped.height() <= inner.height() and wrapped.width() <= inner.width() + 1:
            title_height = wrapped.height()
            title = self.text
        else:
            title_height = metrics.height()
            title = metrics.elidedText(self.text, Qt.TextElideMode.ElideRight, inner.width())
        room = inner.height() - title_height
        sub = bool(self.sub) and room >= metrics.height() * 1.05
        sub_font = QFont(font)
        sub_font.setBold(False)
        sub_height = metrics.height()
        sub_wraps = False
        shown_sub = self.sub
        if sub:  # the sub's phrases on the lines left (the last kept: "no kernel"); else one
            sub_metrics = QFontMetricsF(sub_font)

            def fits(line: str) -> bool:
                return sub_metrics.horizontalAdvance(line) <= inner.width()

            for candidate in _shorter(self.sub):
                lines = _packed(candidate, fits)
                if lines and len(lines) * sub_metrics.height() <= room:
                    shown_sub, sub_wraps = "\n".join(lines), True
                    sub_height = len(lines) * sub_metrics.height()
                    break
        block_height = title_height + (sub_height if sub else 0)
        first = inner.top() if top else inner.top() + (inner.height() - block_height) / 2
        painter.drawText(
            QRectF(inner.left(), first, inner.width(), title_height),
            int(wrap | Qt.AlignmentFlag.AlignTop),
            title,
        )
        self.painted.append(font.pixelSize())
        if sub:
            painter.setFont(sub_font)
            line = shown_sub
            if not sub_wraps:
                line = QFontMetricsF(sub_font).elidedText(
                    self.sub, Qt.TextElideMode.ElideRight, inner.width()
                )
            painter.drawText(
                QRectF(inner.left(), first + title_height, inner.width(), sub_height),
                int(wrap | Qt.AlignmentFlag.AlignTop),
                line,
            )
            self.painted.append(sub_font.pixelSize())
            self.said = line
        painter.restore()


def _packed(text: str, fits: Callable[[str], bool]) -> list[str] | None:
    """`text`'s phrases (" · ", and ", " inside one) on as few lines as `fits` allows, each
    line whole words; None when a piece fits no line."""
    tokens: list[tuple[str, str]] = []  # (piece, the separator before it)
    for i, phrase in enumerate(text.replace("\u00a0", " ").split(" · ")):
        for j, piece in enumerate(phrase.split(", ")):
            tokens.append((piece, "" if i == j == 0 else (", " if j else " · ")))
    lines: list[str] = []
    line = ""
    for piece, separator in tokens:
        if not fits(piece):
            return None
        joined = line + separator + piece if line else piece
        if fits(joined):
            line = joined
        else:
            lines.append(line + ("," if separator == ", " else ""))
            line = piece
    return [*lines, line]


def _shorter(text: str) -> list[str]:
    """`text` ("a1, a2 · b · c · d"), then shorter: the first phrase cut to its first piece
    ("a1 · b · c · d"), then phrases dropped from the front ("b · c · d", "c · d", "d"): the
    last (what the story proves: "no kernel") and those nearest it stay longest."""
    parts = text.split(" · ")
    first = parts[0].replace("\u00a0", " ").split(", ")[0]
    out = [text]
    if len(parts) > 1:
        out.append(" · ".join([first, *parts[1:]]))
    out += [" · ".join(parts[drop:]) for drop in range(1, len(parts))]
    return out


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
    """The kernel-space / user-space line, with its two labels; thicker and in the kernel's
    colour when the step is about it (Highlight.LINE)."""

    def __init__(self) -> None:
        super().__init__()
        self.painted: list[float] = []
        self.emphasis = False
        self.setOpacity(0.0)

    def boundingRect(self) -> QRectF:
        return QRectF(0, 0, W, H)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        if self.emphasis:
            painter.setPen(QPen(QColor(KIND_COLOURS[BlockKind.KERNEL]), 7, Qt.PenStyle.DashLine))
        else:
            painter.setPen(QPen(palette.TEXT, 3, Qt.PenStyle.DashLine))
        painter.drawLine(QPointF(30, LINE_Y), QPointF(W - 30, LINE_Y))
        painter.setPen(palette.TEXT)
        font = QFont(painter.font())
        size = max(20, math.ceil(text_floor(self)))
        font.setPixelSize(size)
        font.setBold(True)
        painter.setFont(font)
        # In the left margin (the blocks start at 230): two lines when the text is large.
        flags = int(Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap)
        above, below = QRectF(16, 0, 206, LINE_Y - 6), QRectF(16, LINE_Y + 6, 206, 260)
        painter.drawText(above, flags | int(Qt.AlignmentFlag.AlignBottom), "▲ user space")
        painter.drawText(below, flags | int(Qt.AlignmentFlag.AlignTop), "▼ kernel space")
        self.painted = [float(size)]


class Caption(QGraphicsObject):
    """The step's title, large, in the picture itself: readable from the back row."""

    RECT = QRectF(40, 40, W - 80, 150)

    def __init__(self) -> None:
        super().__init__()
        self.text = ""
        self.painted: list[float] = []

    def set_text(self, text: str) -> None:
        self.text = text
        self.update()

    def boundingRect(self) -> QRectF:
        return self.RECT

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        font = QFont(painter.font())
        font.setPixelSize(max(52, math.ceil(text_floor(self))))
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(palette.TEXT)
        self.painted = [float(font.pixelSize())]
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
        self.painted: list[float] = []
        self.setOpacity(0.0)
        self.setZValue(5)

    def boundingRect(self) -> QRectF:
        return QRectF(-16, -60, 360, 120)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setPen(QPen(QColor("#000000"), 2))
        painter.setBrush(QColor("#F0E442"))
        painter.drawEllipse(QRectF(-14, -14, 28, 28))
        font = QFont(painter.font())
        font.setPixelSize(max(18, math.ceil(text_floor(self))))
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(palette.TEXT)
        # On a pill of the background's colour: it passes over labelled blocks.
        width = QFontMetricsF(font).horizontalAdvance(self.label) + 12
        height = QFontMetricsF(font).height()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(palette.BACKGROUND)
        painter.drawRoundedRect(QRectF(16, -height / 2, width, height), 6, 6)
        painter.setPen(palette.TEXT)
        painter.drawText(QRectF(22, -58, 340, 116), Qt.AlignmentFlag.AlignVCenter, self.label)
        self.painted = [float(font.pixelSize())]

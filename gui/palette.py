"""Colours of the tree: Okabe-Ito (colour-blind safe); kinds also differ by shape and line."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from fromscratch.core.graph.look import Line, Role

IMAGE = QColor("#0072B2")
BASE = QColor("#009E73")
VIRTUAL = QColor("#E69F00")
SCRATCH = QColor("#555555")
EDGE = QColor("#8a8a8a")
TEXT = QColor("#1a1a1a")
CARD = QColor("#ffffff")
BACKGROUND = QColor("#f4f5f7")
STROKE = 1.0
OWNER_COLOURS = ("#56B4E9", "#009E73", "#E69F00", "#CC79A7", "#F0E442", "#999999", "#0072B2")
"""What each ancestor of an image owns (its chart's bars, its files), bottom first: Okabe-Ito."""
OWN_COLOUR = "#D55E00"
"""What the image itself added: vermilion."""
"""Line widths are multiplied by this: 2 in the projector theme (thin lines vanish on a
projector's washed-out image)."""


def role_colour(role: Role) -> QColor:
    """The current theme's colour for a look's role (core.graph.look)."""
    return {Role.IMAGE: IMAGE, Role.BASE: BASE, Role.VIRTUAL: VIRTUAL, Role.SCRATCH: SCRATCH}[role]


PEN_STYLES = {
    Line.SOLID: Qt.PenStyle.SolidLine,
    Line.DASHED: Qt.PenStyle.DashLine,
    Line.DOTTED: Qt.PenStyle.DotLine,
}


def luminance(colour: QColor) -> float:
    """WCAG 2's relative luminance, 0 (black) to 1 (white)."""

    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(c) for c in (colour.redF(), colour.greenF(), colour.blueF()))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(one: QColor, other: QColor) -> float:
    """WCAG 2's contrast ratio, 1 to 21; text wants 4.5."""
    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def text_on(fill: QColor) -> QColor:
    """Black or white, whichever reads better on `fill` (a wedge, a badge)."""
    black, white = QColor("#000000"), QColor("#ffffff")
    return black if contrast(black, fill) >= contrast(white, fill) else white

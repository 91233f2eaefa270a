"""Colours of the tree: Okabe-Ito (colour-blind safe); kinds also differ by shape and line."""

from __future__ import annotations

from PySide6.QtGui import QColor

IMAGE = QColor("#0072B2")
BASE = QColor("#009E73")
VIRTUAL = QColor("#E69F00")
SCRATCH = QColor("#555555")
EDGE = QColor("#8a8a8a")
TEXT = QColor("#1a1a1a")
CARD = QColor("#ffffff")
BACKGROUND = QColor("#f4f5f7")
STROKE = 1.0
"""Line widths are multiplied by this: 2 in the projector theme (thin lines vanish on a
projector's washed-out image)."""

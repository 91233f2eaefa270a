"""Cards of the tree at different zoom levels: legible text or none, never a smudge."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import pytest
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QStyleOptionGraphicsItem

from fromscratch.gui import palette
from fromscratch.gui.tree.items import (
    COMPACT_LOD,
    DETAIL_LOD,
    MIN_TITLE_PX,
    NODE_H,
    NODE_W,
    NodeItem,
)

ATTRS: dict[str, Any] = {
    "kind": "image",
    "label": "buildpack-deps:bookworm-scm",
    "tags": ["buildpack-deps:bookworm-scm", "buildpack-deps:scm"],
    "size": 137_000_000,
    "dangling": False,
    "layer_count": 3,
}


def text_rows(scale: float) -> list[int]:
    """Rows of the rendered card (device pixels) that hold text-coloured pixels."""
    item = NodeItem("sha256:x", ATTRS, is_base=False)
    width, height = int(NODE_W * scale) + 8, int(NODE_H * scale) + 8
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.fill(QColor(palette.CARD))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    painter.translate(width / 2, height / 2)
    painter.scale(scale, scale)
    item.paint(painter, QStyleOptionGraphicsItem())
    painter.end()
    text = QColor(palette.TEXT)
    rows = []
    for y in range(height):
        for x in range(int(12 * scale) + 4, width - 4):  # inside the card, right of the bar
            c = QColor(image.pixel(x, y))
            if abs(c.lightness() - text.lightness()) < 40 and c.saturation() < 60:
                rows.append(y)
                break
    return rows


def test_far_out_a_card_is_a_shape_without_text(qapp: Any) -> None:
    assert text_rows(COMPACT_LOD * 0.8) == []


@pytest.mark.parametrize("scale", [COMPACT_LOD * 1.05, (COMPACT_LOD + DETAIL_LOD) / 2])
def test_zoomed_out_the_title_alone_stays_legible(qapp: Any, scale: float) -> None:
    rows = text_rows(scale)
    assert rows, "no title drawn"
    assert max(rows) - min(rows) + 1 >= 7  # pixels tall on screen: readable, not a smudge
    # One line, the size line left out: at most a line of the title's on-screen size.
    assert max(rows) - min(rows) + 1 <= 1.5 * MIN_TITLE_PX


@pytest.mark.parametrize("scale", [DETAIL_LOD * 1.05, 1.0])
def test_closer_a_card_shows_title_and_size_lines(qapp: Any, scale: float) -> None:
    rows = text_rows(scale)
    top, bottom = min(rows), max(rows)
    middle = (NODE_H * scale + 8) / 2
    assert top < middle < bottom  # text above and below the middle: two lines
    gaps = [b - a for a, b in pairwise(rows) if b - a > 1]
    assert gaps, "the two lines should be apart"


@pytest.mark.parametrize("scale", [DETAIL_LOD * 1.05, (DETAIL_LOD + 1.0) / 2])
def test_a_long_name_takes_two_lines_rather_than_lose_its_middle(qapp: Any, scale: float) -> None:
    """A 1024 px window showed "node:c…okworm" and "python…okworm" over a size line."""
    item = NodeItem("sha256:x", {**ATTRS, "label": "node:current-bookworm-slim"}, is_base=False)
    image = QImage(int(NODE_W * scale) + 8, int(NODE_H * scale) + 8, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    painter.scale(scale, scale)
    item.paint(painter, QStyleOptionGraphicsItem())
    painter.end()
    assert "".join(item.lines) == "node:current-bookworm-slim" and len(item.lines) == 2
    assert len(item.painted) == 1  # the title only: the size line made room for it

"""A view painted from tiles (gui.tiles), on the disk rings: it shows what its scene holds, at
every zoom and offset; panning renders only what comes into view; a zoom stretches what was
rendered and renders sharp when it rests."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from PySide6.QtCore import QPointF
from PySide6.QtGui import QImage, QPainter
from pytestqt.qtbot import QtBot

from fromscratch.gui.tiles import TILE
from fromscratch.gui.window.tabs import DISK_TAB
from tests.gui.conftest import shown_window


def rings_of(qtbot: QtBot) -> Any:
    window = shown_window(qtbot)
    window.resize(1366, 768)
    window.show_tab(DISK_TAB)
    rings = window.tabs.disk
    qtbot.waitUntil(lambda: len(rings.wedges) > 0, timeout=10_000)
    qtbot.wait(50)
    return rings


def pixels(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(
        image.height(), image.bytesPerLine() // 4, 4
    )
    return rows[:, : image.width(), :3].astype(int)


def whole_render(view: Any) -> QImage:
    """The scene rendered in one piece over what the viewport shows, as a plain
    QGraphicsView paints it."""
    size = view.viewport().size()
    image = QImage(size, QImage.Format.Format_RGB32)
    image.fill(view.backgroundBrush().color())
    painter = QPainter(image)
    painter.setRenderHints(view.renderHints())
    source = view.mapToScene(view.viewport().rect()).boundingRect()
    view.scene().render(painter, image.rect().toRectF(), source)
    painter.end()
    return image


def difference(view: Any) -> np.ndarray:
    shown = pixels(view.viewport().grab().toImage())
    return np.abs(shown - pixels(whole_render(view))).max(axis=2)


def pan(view: Any, dx: float, dy: float = 0.0) -> None:
    centre = view.mapToScene(view.viewport().rect().center())
    scale = view.transform().m11()
    view.centerOn(centre + QPointF(dx / scale, dy / scale))


def test_the_tiles_show_what_the_scene_holds(qtbot: QtBot) -> None:
    rings = rings_of(qtbot)
    assert difference(rings).max() <= 8  # fitted
    rings.zoom(2.7)
    rings.picture.settle()
    pan(rings, 73.3, 41.7)  # not a whole number of tiles, nor of pixels
    qtbot.wait(20)
    assert rings.picture.scale == rings.transform().m11()
    # tiles meet without seams, and labels that cross a tile's edge are whole: only
    # antialiased edges differ, by the sub-pixel the tiles are rounded to
    assert (difference(rings) > 48).mean() < 0.002
    assert any(label.isVisible() for label in rings.labels)


def test_panning_renders_only_what_comes_into_view(qtbot: QtBot) -> None:
    rings = rings_of(qtbot)
    rings.zoom(3.0)
    rings.picture.settle()
    rings.viewport().repaint()
    before = rings.picture.rendered
    rows = math.ceil(rings.viewport().height() / TILE) + 1
    pan(rings, TILE / 2)
    rings.viewport().repaint()
    assert 0 < rings.picture.rendered - before <= 2 * rows  # a column or two, not a screen
    after = rings.picture.rendered
    pan(rings, -TILE / 2)
    rings.viewport().repaint()
    assert rings.picture.rendered == after  # back where it was: all kept


def test_a_zoom_stretches_what_was_rendered_until_it_rests(qtbot: QtBot) -> None:
    rings = rings_of(qtbot)
    rings.viewport().repaint()
    before = rings.picture.rendered
    texts = [label.text() for label in rings.labels]
    for _ in range(3):
        rings.zoom(1.25)
        rings.viewport().repaint()
    assert rings.picture.settling
    assert rings.picture.rendered == before  # stretched, nothing rendered mid-zoom
    assert [label.text() for label in rings.labels] == texts
    # stretched, the picture is where the sharp one will be
    assert (difference(rings) > 48).mean() < 0.05
    qtbot.waitUntil(lambda: not rings.picture.settling, timeout=2_000)
    rings.viewport().repaint()
    assert rings.picture.rendered > before
    assert math.isclose(rings.picture.scale, rings.transform().m11())
    assert (difference(rings) > 48).mean() < 0.002

"""A graphics view's picture kept as tiles of pixels, for scenes whose items are too many to
paint each frame (the disk rings of 10,000 images: 250 antialiased wedges and 200 labels were
30 ms a frame on a slow machine).

- Panning at one scale draws tiles already rendered; only tiles coming into view are rendered.
- While a zoom is under way (`zooming()`), the tiles of the last scale, and under them a small
  picture of the whole scene, are drawn stretched; when the zoom has been still for SETTLE_MS
  the view is rendered sharp at its new scale and `settled` is emitted first (labels that depend
  on the scale are laid out there).
- `invalidate()` after anything in the scene changed.

The view calls `paint(painter, rect)` from its paintEvent instead of drawing its items."""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import QObject, QPoint, QPointF, QRect, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QPainter, QPixmap
from PySide6.QtWidgets import QGraphicsView

TILE = 256
"""A tile's side in device-independent pixels."""
SETTLE_MS = 140
"""A zoom is over when no step came for this long."""
OVERVIEW_PX = 1024
"""The whole scene's picture (drawn under the tiles while zooming) is at most this wide."""


class TiledPicture(QObject):
    def __init__(self, view: QGraphicsView, *, settled: Callable[[], None] | None = None) -> None:
        super().__init__(view)
        self.view = view
        self.tiles: dict[tuple[int, int], QPixmap] = {}
        self.scale = 0.0
        """The scale the tiles were rendered at (0: none yet)."""
        self.rendered = 0
        """Tiles rendered since the picture was made (tests and benchmarks read it)."""
        self._overview: tuple[QPixmap, QRectF] | None = None
        self._on_settled = settled
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self.settle)

    def invalidate(self, *, overview: bool = True) -> None:
        """The scene changed: render everything again on the next paint. `overview=False`
        keeps the small picture drawn under a zoom (for changes too small to see in it)."""
        self.tiles.clear()
        self.scale = 0.0
        if overview:
            self._overview = None
        self.view.viewport().update()

    def zooming(self) -> None:
        """A zoom step: draw what was rendered, stretched, until the zoom settles."""
        self._settle.start()

    def settle(self) -> None:
        """Render sharp at the view's scale now (what the timer does after a zoom)."""
        self._settle.stop()
        if self._on_settled is not None:
            self._on_settled()
        if not math.isclose(self._view_scale(), self.scale, rel_tol=1e-9):
            self.tiles.clear()
            self.scale = 0.0
        self.view.viewport().update()

    @property
    def settling(self) -> bool:
        return self._settle.isActive()

    def _view_scale(self) -> float:
        return self.view.transform().m11()

    def paint(self, painter: QPainter, exposed: QRect) -> None:
        scale = self._view_scale()
        if self.scale and not math.isclose(scale, self.scale, rel_tol=1e-9):
            if self.settling:
                self._stretched(painter, exposed, scale)
                return
            self.tiles.clear()
        self.scale = scale
        offset = self._offset()
        keys = self._keys(exposed, offset, TILE)
        self._render([key for key in keys if key not in self.tiles], scale)
        for key in keys:
            painter.drawPixmap(
                key[0] * TILE + offset.x(), key[1] * TILE + offset.y(), self.tiles[key]
            )
        self._forget(set(keys))
        if self._overview is None:
            QTimer.singleShot(0, self._overview_picture)  # for the next zoom, while idle

    def _offset(self) -> QPoint:
        """Where the canvas's origin (scene origin times the scale) is on the viewport, in
        whole pixels, so tiles meet without seams."""
        t = self.view.viewportTransform()
        return QPoint(round(t.dx()), round(t.dy()))

    @staticmethod
    def _keys(rect: QRect, offset: QPoint, side: float) -> list[tuple[int, int]]:
        left = math.floor((rect.left() - offset.x()) / side)
        right = math.floor((rect.right() - offset.x()) / side)
        top = math.floor((rect.top() - offset.y()) / side)
        bottom = math.floor((rect.bottom() - offset.y()) / side)
        return [(x, y) for y in range(top, bottom + 1) for x in range(left, right + 1)]

    def _render(self, keys: list[tuple[int, int]], scale: float) -> None:
        """Render `keys` in one pass over the scene (a pass per tile paints every large
        item once per tile: five times slower when zoomed out), then cut it into tiles."""
        if not keys:
            return
        left, top = min(x for x, _ in keys), min(y for _, y in keys)
        columns = max(x for x, _ in keys) - left + 1
        rows = max(y for _, y in keys) - top + 1
        ratio = self.view.viewport().devicePixelRatioF()
        block = QPixmap(round(columns * TILE * ratio), round(rows * TILE * ratio))
        block.setDevicePixelRatio(ratio)
        block.fill(self._background())
        side = TILE / scale
        source = QRectF(left * side, top * side, columns * side, rows * side)
        self._draw_scene(block, QRectF(0, 0, columns * TILE, rows * TILE), source)
        device = round(TILE * ratio)
        for x, y in keys:
            tile = block.copy(QRect((x - left) * device, (y - top) * device, device, device))
            tile.setDevicePixelRatio(ratio)
            self.tiles[(x, y)] = tile
        self.rendered += len(keys)

    def _draw_scene(self, target: QPixmap, into: QRectF, source: QRectF) -> None:
        painter = QPainter(target)
        painter.setRenderHints(self.view.renderHints())
        scene = self.view.scene()
        scene.render(painter, into, source, Qt.AspectRatioMode.IgnoreAspectRatio)
        painter.end()

    def _background(self) -> QColor:
        return self.view.backgroundBrush().color()

    def _forget(self, shown: set[tuple[int, int]]) -> None:
        """Keep at most three screenfuls of tiles: those shown, then the newest."""
        keep = 3 * max(len(shown), 1)
        if len(self.tiles) <= keep:
            return
        for key in [k for k in self.tiles if k not in shown][: len(self.tiles) - keep]:
            del self.tiles[key]

    def _stretched(self, painter: QPainter, exposed: QRect, scale: float) -> None:
        """Mid-zoom: the whole scene's small picture, then the last scale's tiles over it,
        both stretched to the view's scale."""
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        painter.setClipRect(exposed)
        painter.fillRect(exposed, self._background())
        transform = self.view.viewportTransform()
        overview, where = self._overview_picture()
        painter.drawPixmap(transform.mapRect(where), overview, QRectF(overview.rect()))
        ratio = scale / self.scale
        origin = QPointF(transform.dx(), transform.dy())
        shown = QRectF(exposed)
        for (x, y), tile in self.tiles.items():
            corner = origin + QPointF(x * TILE, y * TILE) * ratio
            if not shown.intersects(QRectF(corner.x(), corner.y(), TILE * ratio, TILE * ratio)):
                continue
            painter.drawPixmap(
                QRectF(corner.x(), corner.y(), TILE * ratio, TILE * ratio),
                tile,
                QRectF(tile.rect()),
            )
        painter.restore()

    def _overview_picture(self) -> tuple[QPixmap, QRectF]:
        if self._overview is None:
            whole = self.view.scene().sceneRect()
            fit = OVERVIEW_PX / max(whole.width(), whole.height(), 1.0)
            picture = QPixmap(
                max(1, round(whole.width() * fit)), max(1, round(whole.height() * fit))
            )
            picture.fill(self._background())
            self._draw_scene(picture, QRectF(picture.rect()), whole)
            self._overview = (picture, whole)
        return self._overview

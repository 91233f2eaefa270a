"""File > Export: the view (or the whole tree) as PNG or SVG; graph formats are core's
(core.graph.export)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QBuffer, QIODevice, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QImage, QPainter, QPolygonF
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QWidget

from fromscratch.core.files import atomic_write

if TYPE_CHECKING:
    from PySide6.QtWidgets import QGraphicsScene


class PictureView(Protocol):
    """A view File > Export can save: the tree, the disk rings."""

    def scene(self) -> QGraphicsScene: ...
    def whole_rect(self) -> QRectF: ...
    def mapToScene(self, rect: QRect) -> QPolygonF: ...
    def viewport(self) -> QWidget: ...
    def backgroundBrush(self) -> QBrush: ...


def _source_rect(view: PictureView, *, whole: bool) -> QRectF:
    if whole:
        return view.whole_rect().adjusted(-40, -40, 40, 40)
    return view.mapToScene(view.viewport().rect()).boundingRect()


def export_picture(view: PictureView, path: str, *, whole: bool) -> Path:
    """PNG (at 2x for crisp slides) or SVG of what is on screen, or of the whole picture."""
    target = Path(path)
    source = _source_rect(view, whole=whole)
    if target.suffix.lower() == ".svg":
        buffer = QBuffer()
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        generator = QSvgGenerator()
        generator.setOutputDevice(buffer)
        generator.setSize(QSize(int(source.width()), int(source.height())))
        generator.setViewBox(QRectF(0, 0, source.width(), source.height()))
        generator.setTitle("fromscratch: image inheritance")
        painter = QPainter(generator)
        whole_page = QRectF(0, 0, source.width(), source.height())
        painter.fillRect(whole_page, view.backgroundBrush().color())  # dark text needs it
        view.scene().render(painter, whole_page, source)
        painter.end()
        atomic_write(target, bytes(buffer.data().data()))
        return target
    if target.suffix.lower() != ".png":
        raise ValueError(f"{target.name}: use .png or .svg")
    scale = 2.0 if not whole else min(2.0, 16000 / max(source.width(), source.height(), 1))
    image = QImage(
        int(source.width() * scale),
        int(source.height() * scale),
        QImage.Format.Format_ARGB32_Premultiplied,
    )
    image.fill(view.backgroundBrush().color())
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.scene().render(painter, QRectF(image.rect()), source, Qt.AspectRatioMode.KeepAspectRatio)
    painter.end()
    if not image.save(str(target)):
        raise OSError(f"{target}: cannot write the PNG")
    return target

"""The stacked size chart of the details dock (pyqtgraph, imported only when first needed)."""

from __future__ import annotations

from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QWidget

from fromscratch.core.graph.details import StepRow


class SizeChart(pg.PlotWidget):  # type: ignore[misc]
    """One horizontal bar per image, split into its layers, coloured by the owning ancestor.
    Clicking a segment selects that step in the table."""

    step_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, background=None)
        self.setMinimumHeight(110)
        self.setMaximumHeight(170)
        self.setMouseEnabled(x=False, y=False)
        self.setMenuEnabled(False)
        self.hideButtons()
        self.getPlotItem().hideAxis("left")
        # Bytes, with pyqtgraph's SI prefix (kB, MB, GB: powers of 1000, as format_size): a
        # fixed "MB" axis read "MB (x1e-06)" for an image of a few kB.
        self.getPlotItem().setLabel("bottom", "size", units="B")
        self._segments: list[tuple[float, float, int]] = []
        self.scene().sigMouseClicked.connect(self._clicked)

    def show_rows(self, rows: tuple[StepRow, ...], colours: dict[str, QColor]) -> None:
        self.clear()
        self._segments = []
        x0: list[float] = []
        widths: list[float] = []
        brushes: list[QColor] = []
        start = 0.0
        for row in rows:
            if row.empty or not row.size:
                continue
            width = float(row.size)
            x0.append(start)
            widths.append(width)
            brushes.append(colours.get(row.owner, QColor("#777777")))
            self._segments.append((start, start + width, row.index))
            start += width
        if widths:
            bars = pg.BarGraphItem(
                x0=x0,
                width=widths,
                y=0.0,
                height=0.8,
                brushes=brushes,
                pen=pg.mkPen("#ffffff", width=1),
            )
            self.addItem(bars)
            self.setXRange(0, start, padding=0.02)
            self.setYRange(-0.6, 0.6, padding=0)

    def _clicked(self, event: Any) -> None:
        point = self.getPlotItem().vb.mapSceneToView(event.scenePos())
        for low, high, index in self._segments:
            if low <= point.x() <= high and abs(point.y()) <= 0.4:
                self.step_clicked.emit(index)
                return

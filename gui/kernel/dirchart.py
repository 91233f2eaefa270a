"""An image's bytes by top-level directory (pyqtgraph, imported with the first chart): what
FROM gives you, and that no /boot or kernel is among it."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QWidget


class DirChart(pg.PlotWidget):  # type: ignore[misc]
    """An image's bytes by top-level directory (bin, lib, usr, etc ...), largest first."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, background=None)
        self.setMinimumHeight(160)
        self.setMaximumHeight(240)
        self.setMouseEnabled(x=False, y=False)
        self.setMenuEnabled(False)
        self.hideButtons()
        self.getPlotItem().setLabel("bottom", "MB")
        self.labels: list[str] = []

    def show_dirs(self, dirs: tuple[tuple[str, int], ...]) -> None:
        self.clear()
        top = list(dirs[:8])[::-1]  # largest at the top
        self.labels = ["/" + d if d != "/" else "/ (root files)" for d, _ in top]
        if not top:
            return
        sizes = [s / 1e6 for _, s in top]
        bars = pg.BarGraphItem(
            x0=0, y=list(range(len(top))), height=0.7, width=sizes, brush=QColor("#0072B2")
        )
        self.addItem(bars)
        axis = self.getPlotItem().getAxis("left")
        axis.setTicks([list(enumerate(self.labels))])
        self.setYRange(-0.6, len(top) - 0.4, padding=0)
        self.setXRange(0, max(sizes) * 1.05 or 1, padding=0)

"""CPU and memory of a few containers over time (pyqtgraph, imported with the containers panel):
one-shot readings by core.engine.stats' poller, several containers in one plot, the last ten
minutes kept so a plot has its history when shown again. Nothing is read while the plots are
hidden or follow no container."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pyqtgraph as pg
from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QColor, QPen
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from fromscratch.core.engine.stats import (
    CPU_FORMULA,
    DEFAULT_INTERVAL,
    MEMORY_RULE,
    History,
    Point,
    StatsPoller,
)
from fromscratch.core.text import format_size
from fromscratch.gui import palette

if TYPE_CHECKING:
    from fromscratch.core.engine.endpoint import Endpoint

MAX_FOLLOWED = 8
"""Containers plotted at once: more lines than this cannot be told apart."""
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")
"""Okabe-Ito: told apart by colour-blind viewers too."""
REDRAW_MS = 500


class _Relay(QObject):
    """Readings arrive in the poller's thread; this queues them to the GUI thread."""

    point = Signal(str)


class StatsPlots(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.history = History()
        self.poller: StatsPoller | None = None
        self.interval = DEFAULT_INTERVAL
        self.followed: dict[str, str] = {}
        """Container id -> name, in the order plotted."""
        self._endpoint: Endpoint | None = None
        self._relay = _Relay(self)
        self._relay.point.connect(self._on_point)
        self._dirty = False
        self.cpu = self._plot("CPU", "%")
        self.cpu.getAxis("left").enableAutoSIPrefix(False)  # no "k%"
        self.memory = self._plot("mem", "B")  # kB, MB, GB as format_size writes them
        self.cpu.setXLink(self.memory)
        self._curves: dict[str, tuple[pg.PlotDataItem, pg.PlotDataItem]] = {}
        self.values = QLabel(self)
        self.values.setTextFormat(Qt.TextFormat.PlainText)
        self.values.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.cpu, 1)
        layout.addWidget(self.memory, 1)
        layout.addWidget(self.values)
        self._timer = QTimer(self)
        self._timer.setInterval(REDRAW_MS)
        self._timer.timeout.connect(self.redraw)
        self._say_what()

    def _plot(self, title: str, units: str) -> pg.PlotWidget:
        plot = pg.PlotWidget(self)
        plot.setBackground(palette.CARD)
        plot.showGrid(x=True, y=True, alpha=0.25)
        plot.setLabel("left", title, units=units)
        plot.setLabel("bottom", "seconds (0 = now)")
        plot.setMouseEnabled(x=False, y=False)
        plot.setMenuEnabled(False)
        plot.setMinimumHeight(90)
        return plot

    def follow(self, endpoint: Endpoint | None, containers: Sequence[tuple[str, str]]) -> None:
        """Plot `containers` ((id, name), running ones) read from `endpoint`; an empty list
        or no endpoint reads nothing."""
        wanted = dict(list(containers)[:MAX_FOLLOWED]) if endpoint is not None else {}
        if endpoint != self._endpoint and self.poller is not None:
            self.poller.stop()
            self.poller = None
        self._endpoint = endpoint
        self.followed = wanted
        for gone in [c for c in self._curves if c not in wanted]:
            cpu, memory = self._curves.pop(gone)
            self.cpu.removeItem(cpu)
            self.memory.removeItem(memory)
        if wanted and endpoint is not None:
            if self.poller is None:
                self.poller = StatsPoller(
                    endpoint, self.history, self._from_poller, interval=self.interval
                )
            self.poller.watch(wanted)
            self._timer.start()
        else:
            if self.poller is not None:
                self.poller.watch(())
            self._timer.stop()
        self._say_what()
        self.redraw()

    def set_interval(self, seconds: float) -> None:
        self.interval = seconds
        if self.poller is not None:
            self.poller.interval = seconds

    def stop(self) -> None:
        """No more readings (the panel is hidden or closed); the history stays."""
        if self.poller is not None:
            self.poller.stop()
            self.poller = None
        self._timer.stop()

    def _from_poller(self, container: str, _point: Point) -> None:
        self._relay.point.emit(container)  # the poller's thread: queued to ours

    @Slot(str)
    def _on_point(self, _container: str) -> None:
        self._dirty = True

    def redraw(self) -> None:
        latest = 0.0
        series = {c: self.history.points(c) for c in self.followed}
        for points in series.values():
            if points:
                latest = max(latest, points[-1].at)
        lines = []
        for index, (container, name) in enumerate(self.followed.items()):
            cpu_curve, memory_curve = self._curve(container, index)
            points = series[container]
            xs = [p.at - latest for p in points]
            cpu = [(x, p.cpu) for x, p in zip(xs, points, strict=True) if p.cpu is not None]
            cpu_curve.setData([x for x, _ in cpu], [y for _, y in cpu])
            memory_curve.setData(xs, [float(p.memory) for p in points])
            if points:
                last = points[-1]
                share = f"{last.cpu:.1f} %" if last.cpu is not None else "… %"
                limit = f" of {format_size(last.limit)}" if last.limit else ""
                lines.append(f"{name}: CPU {share}, memory {format_size(last.memory)}{limit}")
            else:
                lines.append(f"{name}: waiting for its first reading…")
        if self.followed:
            self.values.setText("\n".join(lines))
        cpus = self.history.cpus or "the host's"
        self.cpu.setToolTip(CPU_FORMULA.format(cpus=cpus))
        self.memory.setToolTip(MEMORY_RULE)
        self._dirty = False

    def _curve(self, container: str, index: int) -> tuple[pg.PlotDataItem, pg.PlotDataItem]:
        if container not in self._curves:
            pen = QPen(QColor(COLOURS[index % len(COLOURS)]), 2)
            pen.setCosmetic(True)
            self._curves[container] = (self.cpu.plot(pen=pen), self.memory.plot(pen=pen))
        return self._curves[container]

    def _say_what(self) -> None:
        if self.followed:
            return
        self.values.setText(
            "Select running containers, or an image on the tree, to plot their CPU and memory."
            if self._endpoint is not None
            else "CPU and memory are read from a live engine; what is open is not one."
        )

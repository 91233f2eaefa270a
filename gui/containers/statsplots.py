"""CPU and memory of a few containers over time (pyqtgraph, imported with the containers panel):
one-shot readings by core.engine.stats' poller, several containers in one plot, the last ten
minutes kept so a plot has its history when shown again. Nothing is read while the plots are
hidden or follow no container."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QColor, QPen
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from fromscratch.core.engine.stats import (
    CPU_FORMULA,
    DEFAULT_INTERVAL,
    HISTORY_SECONDS,
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
TIME_WINDOWS = (60.0, 120.0, 300.0, HISTORY_SECONDS)
"""The seconds a plot spans: the shortest that holds the history read so far."""
REDRAW_MS = 1000
"""Redrawn at most this often, and only after a new reading: a plot's repaint is most of
what plotting costs (docs/benchmarks.md)."""


def nice_ceiling(value: float) -> float:
    """The least of 1, 2, 5, 10, 20, 50 ... times a power of ten that is >= `value`."""
    if value <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    return next(step * power for step in (1.0, 2.0, 5.0, 10.0) if step * power >= value)


class _Relay(QObject):
    """Readings arrive in the poller's thread; this queues them to the GUI thread."""

    point = Signal(str)


KEY_LINES = 3
"""Lines of the key shown before it scrolls."""


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
        self._tops: dict[int, float] = {}
        # Both plots in one view: one paint per redraw, not two (most of plotting's cost).
        self.canvas = pg.GraphicsLayoutWidget(self)
        self.canvas.setBackground(palette.CARD)
        self.canvas.setMinimumHeight(180)
        self.cpu = self._plot("CPU", "%", bottom="")
        self.cpu.getAxis("left").enableAutoSIPrefix(False)  # no "k%"
        self.canvas.nextRow()
        self.memory = self._plot("mem", "B", bottom="seconds (0 = now)")  # kB, MB, GB
        self.cpu.setXLink(self.memory)
        self.restyle()
        self._curves: dict[str, tuple[pg.PlotDataItem, pg.PlotDataItem]] = {}
        self.values = QLabel(self)
        """What the plots wait for; once plotting, each line's key and last reading."""
        self.values.setTextFormat(Qt.TextFormat.PlainText)
        self.values.setWordWrap(True)
        self.readings: list[tuple[QLabel, QLabel]] = []
        """Per line plotted: its colour, and its name with its last reading (plain text)."""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.canvas, 1)
        layout.addWidget(self.values)
        # The key scrolls past three lines: a line per container plotted used to grow the
        # panel, and the window with it, past the bottom of a 768 px screen.
        self.key_area = QScrollArea(self)
        self.key_area.setFrameShape(QFrame.Shape.NoFrame)
        self.key_area.setWidgetResizable(True)
        self.key_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        holder = QWidget(self.key_area)
        self._keys = QGridLayout(holder)
        self._keys.setContentsMargins(0, 0, 0, 0)
        self._keys.setColumnStretch(1, 1)
        self.key_area.setWidget(holder)
        self.key_area.setMaximumHeight(KEY_LINES * (self.fontMetrics().lineSpacing() + 4) + 4)
        layout.addWidget(self.key_area)
        self._timer = QTimer(self)
        self._timer.setInterval(REDRAW_MS)
        self._timer.timeout.connect(self._redraw_if_new)
        self._say_what()

    def _plot(self, title: str, units: str, *, bottom: str) -> pg.PlotItem:
        plot = self.canvas.addPlot()
        plot.setLabel("left", title, units=units)
        if bottom:
            plot.setLabel("bottom", bottom)
        plot.setMouseEnabled(x=False, y=False)
        plot.setXRange(-TIME_WINDOWS[0], 0, padding=0)  # set as the history grows (redraw)
        plot.enableAutoRange(x=False, y=False)
        plot.setMenuEnabled(False)
        plot.getViewBox().setLimits(xMin=-HISTORY_SECONDS, xMax=0)
        return plot

    def changeEvent(self, event: QEvent) -> None:
        """A theme was applied (gui.theme sets the palette): the plots take its colours."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.restyle()

    def restyle(self) -> None:
        self.canvas.setBackground(palette.CARD)
        for plot in (self.cpu, self.memory):
            for side in ("left", "bottom"):
                axis = plot.getAxis(side)
                axis.setPen(palette.EDGE)
                axis.setTextPen(palette.TEXT)

    def follow(self, endpoint: Endpoint | None, containers: Sequence[tuple[str, str]]) -> None:
        """Plot `containers` ((id, name), running ones) read from `endpoint`; an empty list
        or no endpoint reads nothing."""
        wanted = dict(list(containers)[:MAX_FOLLOWED]) if endpoint is not None else {}
        if endpoint != self._endpoint and self.poller is not None:
            self.poller.stop()
            self.poller = None
        self._endpoint = endpoint
        self.canvas.setVisible(endpoint is not None)  # nothing to plot from a recording
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

    def _redraw_if_new(self) -> None:
        if self._dirty:
            self.redraw()

    def redraw(self) -> None:
        latest, earliest = 0.0, float("inf")
        series = {c: self.history.points(c) for c in self.followed}
        for points in series.values():
            if points:
                latest = max(latest, points[-1].at)
                earliest = min(earliest, points[0].at)
        lines = []
        top_cpu, top_memory = 100.0, 1.0
        for index, (container, name) in enumerate(self.followed.items()):
            cpu_curve, memory_curve = self._curve(container, index)
            points = series[container]
            xs = np.fromiter((p.at - latest for p in points), float, len(points))
            known = [i for i, p in enumerate(points) if p.cpu is not None]
            cpu = np.fromiter((points[i].cpu or 0.0 for i in known), float, len(known))
            memory = np.fromiter((p.memory for p in points), float, len(points))
            cpu_curve.setData(xs[known], cpu, skipFiniteCheck=True)
            memory_curve.setData(xs, memory, skipFiniteCheck=True)
            top_cpu = max(top_cpu, float(cpu.max(initial=0.0)))
            top_memory = max(top_memory, float(memory.max(initial=0.0)))
            if points:
                last = points[-1]
                share = f"{last.cpu:.1f} %" if last.cpu is not None else "… %"
                limit = f" of {format_size(last.limit)}" if last.limit else ""
                lines.append(f"{name}: CPU {share}, memory {format_size(last.memory)}{limit}")
            else:
                lines.append(f"{name}: waiting for its first reading…")
        # The ranges are set here, once, and only when they change: pyqtgraph's auto-range
        # walks every curve again on every setData, and a range that moved with every
        # reading redrew the axes every second (most of plotting's cost, docs/benchmarks.md).
        # Time: the last minute, 2, 5 or 10 as the history grows; CPU: whole cores; memory:
        # 1, 2 or 5 times a power of ten.
        span = latest - earliest if earliest <= latest else 0.0
        window = next((w for w in TIME_WINDOWS if w >= span), TIME_WINDOWS[-1])
        if self.memory.viewRange()[0][0] != -window:
            self.memory.setXRange(-window, 0, padding=0)  # the CPU plot's is linked
        cores = 100.0 * max(1, math.ceil(top_cpu / 100.0 - 0.05))  # 103 % of a core: 100
        for plot, ceiling in ((self.cpu, cores), (self.memory, nice_ceiling(top_memory))):
            if self._tops.get(id(plot)) != ceiling:
                self._tops[id(plot)] = ceiling
                plot.setYRange(0, ceiling * 1.08, padding=0)  # room for a line at the top
        self._show_readings(lines)
        cpus = self.history.cpus or "the host's"
        self.cpu.setToolTip(CPU_FORMULA.format(cpus=cpus))
        self.memory.setToolTip(MEMORY_RULE)
        self._dirty = False

    def _show_readings(self, lines: list[str]) -> None:
        """A key per line plotted: its colour, its name and its last reading."""
        while len(self.readings) < len(lines):
            row = len(self.readings)
            holder = self.key_area.widget()
            swatch, text = QLabel(holder), QLabel(holder)
            swatch.setFixedSize(14, 4)
            swatch.setStyleSheet(f"background: {COLOURS[row % len(COLOURS)]}")
            text.setTextFormat(Qt.TextFormat.PlainText)
            self._keys.addWidget(swatch, row, 0)
            self._keys.addWidget(text, row, 1)
            self.readings.append((swatch, text))
        for row, (swatch, text) in enumerate(self.readings):
            shown = row < len(lines)
            swatch.setVisible(shown)
            text.setVisible(shown)
            if shown and text.text() != lines[row]:
                text.setText(lines[row])
        self.values.setVisible(not lines)
        self.key_area.setVisible(bool(lines))
        # Nothing plotted: no empty axes ("mem (B) 0-1.0"), only the line saying what to pick.
        self.canvas.setVisible(bool(lines))

    def reading_lines(self) -> list[str]:
        """The readings shown under the plots (tests read them)."""
        return [text.text() for _swatch, text in self.readings if text.isVisible()]

    def _curve(self, container: str, index: int) -> tuple[pg.PlotDataItem, pg.PlotDataItem]:
        if container not in self._curves:
            pen = QPen(QColor(COLOURS[index % len(COLOURS)]), 2)
            pen.setCosmetic(True)
            self._curves[container] = (self.cpu.plot(pen=pen), self.memory.plot(pen=pen))
        return self._curves[container]

    def _say_what(self) -> None:
        if self.followed:
            return
        self._show_readings([])
        self.values.setText(
            "Select running containers, or an image on the tree, to plot their CPU and memory."
            if self._endpoint is not None
            else "CPU and memory are read from a live engine; what is open is not one."
        )

"""The containers panel (View > Containers, Ctrl+Shift+K): every container with the image it
runs, its state, the engine's status words, its ports and the base user space it comes from
(core.graph.containers), beside CPU and memory plots (gui.containers.statsplots).

Selecting rows selects their image on the tree (its chain to scratch lights up) and plots
the running ones; selecting an image on the tree shows only its containers (and, if asked,
those of the images built on it) and plots them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from fromscratch.core.graph.containers import ContainerRow, StartedAs, container_rows, rows_on
from fromscratch.gui import plain
from fromscratch.gui.containers.statsplots import StatsPlots

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtWidgets import QMainWindow

    from fromscratch.core.session.opening import Opened

COLUMNS = ("Container", "Image", "State", "Status", "Ports", "Base user space")
STATE_COLOURS = {"running": "#009E73", "restarting": "#009E73", "paused": "#E69F00"}
"""As the badges on the cards; other states in the text colour."""
INTERVALS = (1.0, 2.0, 5.0)


class ContainersPanel(QDockWidget):
    def __init__(self, window: QMainWindow, select_node: Callable[[str | None], None]) -> None:
        super().__init__("Containers", window)
        self.setObjectName("containers")
        self.select_node = select_node
        self.rows: list[ContainerRow] = []
        """Every container of what is open."""
        self.shown: list[ContainerRow] = []
        """The rows in the table, after the tree's selection filtered them."""
        self.image: str | None = None
        """The image selected on the tree, whose containers are shown (None: all)."""
        self._opened: Opened | None = None
        self._choosing = False
        body = QWidget(self)
        self.summary = QLabel(body)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.above = QCheckBox("and the images built on it", body)
        self.above.setToolTip("With an image selected: also the containers of its descendants")
        self.above.toggled.connect(lambda _on: self._filter())
        self.every = QComboBox(body)
        for seconds in INTERVALS:
            self.every.addItem(f"read every {seconds:g} s", seconds)
        self.every.setToolTip("How often each plotted container's CPU and memory are read")
        self.every.currentIndexChanged.connect(self._interval_chosen)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.above)
        top.addWidget(self.every)
        self.table = QTableWidget(0, len(COLUMNS), body)
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._rows_chosen)
        self.plots = StatsPlots(body)
        split = QSplitter(Qt.Orientation.Horizontal, body)
        split.addWidget(self.table)
        split.addWidget(self.plots)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        column = QVBoxLayout(body)
        column.setContentsMargins(4, 4, 4, 4)
        column.addLayout(top)
        column.addWidget(split, 1)
        self.setWidget(body)
        self.visibilityChanged.connect(lambda _shown: self._plot())

    # ---- what is open and what is selected -----------------------------------------------

    def show_containers(self, opened: Opened | None) -> None:
        self._opened = opened
        if opened is None:
            self.rows = []
        else:
            self.rows = container_rows(opened.inventory.containers, opened.graph)
        self._filter()

    def follow_selection(self, node: str | None) -> None:
        """The tree's selection: show only that image's containers (None: all). A selection
        the panel made itself keeps the table as it is."""
        if self._choosing:
            return
        self.image = node
        self._filter()

    def _filter(self) -> None:
        opened = self._opened
        if self.image is not None and opened is not None and self.image in opened.graph:
            self.shown = rows_on(self.rows, opened.graph, self.image, above=self.above.isChecked())
        else:
            self.shown = list(self.rows)
        self.above.setEnabled(self.image is not None)
        self._fill()
        self._summarise()
        self._plot()

    def _summarise(self) -> None:
        running = sum(row.running for row in self.rows)
        text = f"{len(self.rows)} containers, {running} running"
        if len(self.shown) != len(self.rows):
            text += f"; {len(self.shown)} on the selected image"
        if self._opened is not None and not self._opened.source.live:
            text += " (as recorded: not live)"
        self.summary.setText(text)

    def _fill(self) -> None:
        chosen = {row.id for row in self.chosen()}
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.shown))
        for index, row in enumerate(self.shown):
            image = f"{row.started_as} · {row.short_id}"
            tip = f"started as {row.started_as}; runs image {row.short_id}"
            if row.name_now is StartedAs.MOVED:
                image = f"{row.started_as} (tag moved) · {row.short_id}"
                tip += f"; {row.started_as} names image {row.names_now} now (the tag moved)"
            elif row.name_now is StartedAs.GONE:
                image = f"{row.started_as} (tag gone) · {row.short_id}"
                tip += f"; no image is called {row.started_as} now"
            cells = (row.name, image, row.state, row.status, ", ".join(row.ports), row.base)
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, row.id)
                item.setToolTip(plain.tooltip(tip if col == 1 else text))
                if col == 2 and row.state in STATE_COLOURS:
                    item.setForeground(QColor(STATE_COLOURS[row.state]))
                self.table.setItem(index, col, item)
            if row.id in chosen:
                self.table.selectRow(index)
        self.table.resizeColumnsToContents()
        self.table.blockSignals(False)

    def chosen(self) -> list[ContainerRow]:
        """The rows selected in the table."""
        ids = {
            index.data(Qt.ItemDataRole.UserRole)
            for index in self.table.selectionModel().selectedRows()
        }
        return [row for row in self.shown if row.id in ids]

    def _rows_chosen(self) -> None:
        chosen = self.chosen()
        nodes = {row.node for row in chosen if row.node}
        if len(nodes) == 1:
            self._choosing = True  # the tree follows; the table stays as it is
            try:
                self.select_node(nodes.pop())
            finally:
                self._choosing = False
        self._plot()

    def _interval_chosen(self, _index: int) -> None:
        self.plots.set_interval(float(self.every.currentData()))

    # ---- stats ----------------------------------------------------------------------------

    def _plot(self) -> None:
        """Plot the chosen rows' running containers, else those of the selected image; none
        while the panel is hidden."""
        opened = self._opened
        live = opened is not None and opened.source.live and self.isVisible()
        endpoint = opened.endpoint if live and opened is not None else None
        rows = self.chosen() or (self.shown if self.image is not None else [])
        running = [(row.id, row.name) for row in rows if row.running]
        if not self.isVisible():
            self.plots.stop()
            return
        self.plots.follow(endpoint, running)

    def closeEvent(self, event: object) -> None:
        self.plots.stop()
        super().closeEvent(event)  # type: ignore[arg-type]

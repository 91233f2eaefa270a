"""The details dock: facts, the build steps with where each was inherited from, and a stacked
chart of the image's bytes by ancestor ("how much of my image is debian?")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QDockWidget, QLabel, QTableWidgetItem, QVBoxLayout, QWidget

from fromscratch.core.text import format_size, shorten
from fromscratch.gui import palette, plain

if TYPE_CHECKING:
    from fromscratch.core.disk.usage import DiskUsage
    from fromscratch.core.graph.details import Details, StepRow
    from fromscratch.core.graph.tree import Tree
    from fromscratch.gui.details.sizechart import SizeChart


def _breakable(text: str) -> str:
    """Let long ids wrap: a zero-width space after every 16 characters of a long word."""
    return " ".join(
        "&#8203;".join(word[i : i + 16] for i in range(0, len(word), 16))
        if len(word) > 32
        else word
        for word in text.split(" ")
    )


def owner_colours(details: Details) -> dict[str, QColor]:
    """A colour per owner: ancestors from the Okabe-Ito set in order, the image's own vermilion."""
    from fromscratch.core.graph.details import (
        OWN,  # fromscratch.core.graph.details and html load with the first selection
    )

    colours: dict[str, QColor] = {}
    for i, share in enumerate(s for s in details.shares if s.owner != OWN):
        colours[share.owner] = QColor(palette.OWNER_COLOURS[i % len(palette.OWNER_COLOURS)])
    colours[OWN] = QColor(palette.OWN_COLOUR)
    return colours


class DetailsPanel(QDockWidget):
    """Facts, steps table and size chart of the selected node."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Details", parent)
        self.setObjectName("details")
        self.body = QWidget(self)
        self.column = QVBoxLayout(self.body)
        self.title = QLabel("Select an image", self.body)
        self.title.setObjectName("detailsTitle")
        self.title.setTextFormat(Qt.TextFormat.PlainText)  # an image's label, from the data
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.title.setFont(font)
        self.column.addWidget(self.title)
        self.column.addStretch(1)
        self.setWidget(self.body)
        self.body.setMinimumWidth(300)
        self.details: Details | None = None
        self._built = False  # the table and the rest are made with the first details
        self._chart: SizeChart | None = None
        self._colours: dict[str, QColor] = {}
        self.focus_owners: set[str] = set()
        """Filters > Focus on a base (gui.tree.focus): steps these nodes contributed are bold."""

    def _build(self) -> None:
        """Facts, chart slot, legend and steps table (start-up stays short without them)."""
        from PySide6.QtWidgets import (
            QAbstractItemView,
            QHeaderView,
            QScrollArea,
            QSplitter,
        )

        from fromscratch.gui.details.steptable import StepTable

        body = self.body
        # One rich-text label: QFormLayout rows of word-wrapped labels overlap when narrow.
        self.facts = QLabel(body)
        self.facts.setTextFormat(Qt.TextFormat.RichText)
        self.facts.setWordWrap(True)
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._chart_slot = QVBoxLayout()  # pyqtgraph is imported with the first chart (~0.2 s)
        self.legend = QLabel(body)
        self.legend.setWordWrap(True)
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        from PySide6.QtWidgets import QCheckBox, QHBoxLayout

        self.hide_metadata = QCheckBox("Hide metadata steps", body)
        self.hide_metadata.setToolTip("ENV, CMD, LABEL … : steps that add no layer")
        self.only_own = QCheckBox("Only its own steps", body)
        self.only_own.setToolTip("Hide the steps it inherits from its base images")
        for box in (self.hide_metadata, self.only_own):
            box.toggled.connect(self._fill_table)
        self.table = StepTable(0, 4, body)
        self.table.setHorizontalHeaderLabels(["#", "Step", "Size", "Inherited from"])
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for col in (0, 2):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        # One line a step, the Step column the widest: "Inherited from" sized to its names
        # but never more than a third of the table (it squeezed Step to "CO… file…").
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Interactive)
        top = QWidget(body)
        top_column = QVBoxLayout(top)
        top_column.setContentsMargins(0, 0, 0, 0)
        top_column.addWidget(self.title)
        top_column.addWidget(self.facts)
        top_column.addLayout(self._chart_slot)
        top_column.addWidget(self.legend)
        scroll = QScrollArea(body)  # the facts scroll instead of being clipped on small screens
        scroll.setWidget(top)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        split = QSplitter(Qt.Orientation.Vertical, body)
        split.addWidget(scroll)
        steps = QWidget(body)
        steps_column = QVBoxLayout(steps)
        steps_column.setContentsMargins(0, 0, 0, 0)
        switches = QHBoxLayout()
        switches.addWidget(self.hide_metadata)
        switches.addWidget(self.only_own)
        switches.addStretch(1)
        steps_column.addLayout(switches)
        steps_column.addWidget(self.table)
        split.addWidget(steps)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        height = max(self.height(), 600)
        split.setSizes([height * 3 // 5, height * 2 // 5])  # made late: say the split outright
        while self.column.count():  # the start-up stretch goes; the splitter fills the dock
            self.column.takeAt(0)
        self.column.addWidget(split)
        self._built = True

    def show_node(self, graph: Tree, node: str, disk: DiskUsage | None = None) -> None:
        """The details of `node` in `graph` (computed here: they load with the first one),
        with its disk figures when they are known."""
        from fromscratch.core.graph.details import details  # first selection, not at launch

        shown = details(graph, node)
        if disk is not None:
            from dataclasses import replace

            from fromscratch.core.disk.report import facts_for

            shown = replace(shown, facts=shown.facts + facts_for(disk, node))
        self.show_details(shown, graph.nodes[node]["label"])

    def show_details(self, details: Details | None, label: str = "") -> None:
        self.details = details
        if details is None and not self._built:
            self.title.setText(
                "Select an image or scratch to see its layers and where each one comes from."
            )
            return
        if not self._built:
            self._build()
        self.facts.setText("")
        self.table.setRowCount(0)
        if self._chart is not None:
            self._chart.setVisible(details is not None and bool(details.shares))
        if details is None:
            self.title.setText(
                "Select an image or scratch to see its layers and where each one comes from."
            )
            self.legend.setText("")
            return
        from html import escape

        self.title.setText(label)
        rows = "".join(
            f'<tr><td style="padding-right:10px; color:palette(placeholder-text)">{escape(k)}</td>'
            f"<td>{_breakable(escape(v))}</td></tr>"
            for k, v in details.facts
        )
        self.facts.setText(f'<table cellspacing="0" cellpadding="1">{rows}</table>')
        colours = owner_colours(details)
        if details.shares:
            self.chart.show_rows(details.rows, colours)
            self.chart.show()
        total = sum(s.size for s in details.shares) or 1
        self.legend.setText(
            "  ".join(
                f'<span style="color:{colours[s.owner].name()}">■</span> {escape(s.label)} '
                f"{format_size(s.size)} ({100 * s.size / total:.0f} %)"
                for s in details.shares
            )
        )
        self._colours = colours
        self._fill_table()

    def set_focus(self, owners: set[str]) -> None:
        if owners != self.focus_owners:
            self.focus_owners = owners
            if self._built and self.details is not None:
                self._fill_table()

    def shown_rows(self) -> list[StepRow]:
        """The steps the table shows, after its two switches."""
        from fromscratch.core.graph.details import OWN

        if self.details is None:
            return []
        return [
            row
            for row in self.details.rows
            if not (self.hide_metadata.isChecked() and row.empty)
            and not (self.only_own.isChecked() and row.owner != OWN)
        ]

    def _fill_table(self) -> None:
        rows = self.shown_rows()
        colours = self._colours
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            cells = [
                str(row.index + 1),
                ("(metadata) " if row.empty else "") + shorten(row.instruction, 70),
                "—" if row.empty else format_size(row.size),
                row.owner_label,
            ]
            for c, value in enumerate(cells):
                item = QTableWidgetItem(value)
                if c == 1:
                    item.setToolTip(plain.tooltip(row.instruction))
                if c == 3:
                    item.setForeground(colours.get(row.owner, QColor("#777777")))
                if row.empty:
                    item.setForeground(QColor("#8a8a8a"))
                if row.owner in self.focus_owners:  # the focused base contributed it
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                    item.setBackground(QColor(240, 228, 66, 70))
                self.table.setItem(r, c, item)
        self.table.size_owner_column()

    @property
    def chart(self) -> SizeChart:
        """The size chart, made (and pyqtgraph imported) on first use."""
        if self._chart is None:
            from fromscratch.gui.details.sizechart import SizeChart

            self._chart = SizeChart(self)
            self._chart.step_clicked.connect(self.select_step)
            self._chart_slot.addWidget(self._chart)
        return self._chart

    def select_step(self, index: int) -> None:
        """Select and show the table row of step `index`."""
        if self.details is None:
            return
        for r, row in enumerate(self.shown_rows()):
            if row.index == index:
                self.table.selectRow(r)
                self.table.scrollToItem(self.table.item(r, 0) or QTableWidgetItem())
                return

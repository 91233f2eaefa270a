"""The Files tab: the selected image's merged files as a tree (folders with their total
sizes), each entry with its layer and the image in the tree that wrote it, in that image's
colour (the details chart's); its layers beside it. Show its own files, one layer's changes
or what was written more than once; filter by path. Layers are read in a worker, from the
layer cache where it has them, else from the engine or the archive; the GUI never waits."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from fromscratch.core.formats.inventory import plural
from fromscratch.core.layers.filetree import FileTree, Mark, Shown
from fromscratch.core.text import format_size, printable
from fromscratch.gui import plain, tasks
from fromscratch.gui.files.model import NAME, FilesModel
from fromscratch.gui.files.reading import Reading, reading_task

if TYPE_CHECKING:
    from fromscratch.core.task import TaskContext
    from fromscratch.gui.tree.focus import BaseFocus
    from fromscratch.gui.window.context import Context

CHOICES = (
    (Shown.ALL, "All its files"),
    (Shown.OWN, "Its own files (what it added to its parent's)"),
    (Shown.LAYER, "One layer's changes (choose it on the left)"),
    (Shown.WASTED, "Written in more than one layer"),
    (Shown.COMPARED, "Compared with its parent (added, changed, removed)"),
)
EXPAND_AT_MOST = 300
"""Rows of a tree shown expanded whole (a comparison, a layer's few changes)."""
COMPARED_WITH = "Compared with {} (added, changed, removed)"
"""The choice's words when a second card is selected (Ctrl+click)."""
LAYER_COLUMNS = ("#", "Image", "Step", "Size", "Entries")


class FilesView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context: Context | None = None
        self.reading: Reading | None = None
        self._reading_key: tuple[str, str] | None = None
        """The image whose layers a worker is reading, and the one it is compared with."""
        self._worker: tasks.Worker | None = None
        self._stale = True
        self.focus: frozenset[str] = frozenset()
        """A focused base and the images below it (gui.tree.focus): their layers' files bold."""
        self.heading = QLabel(self)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.shown = QComboBox(self)
        for shown, text in CHOICES:
            self.shown.addItem(text, shown)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Filter paths…")
        self.search.setClearButtonEnabled(True)
        self.layers = QTableWidget(0, len(LAYER_COLUMNS), self)
        self.layers.setHorizontalHeaderLabels(LAYER_COLUMNS)
        self.layers.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.layers.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.layers.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.layers.verticalHeader().hide()
        self.layers.setWordWrap(False)
        header = self.layers.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)  # a step's text
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.layers.setTextElideMode(Qt.TextElideMode.ElideRight)  # a step's verb first
        self.model = FilesModel(self)
        self.files = QTreeView(self)
        self.files.setModel(self.model)
        self.files.setUniformRowHeights(True)  # 100,000 rows scroll without measuring each
        self.files.setSortingEnabled(True)
        self.files.sortByColumn(NAME, Qt.SortOrder.AscendingOrder)
        files_header = self.files.header()
        files_header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        files_header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        files_header.setStretchLastSection(False)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self.layers)
        split.addWidget(self.files)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        self.search.setMinimumWidth(220)
        self.status = QLabel(self)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        self.busy = QProgressBar(self)
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(160)
        self.cancel = QPushButton("&Cancel", self)
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        label = QLabel("Sho&w:", self)
        label.setBuddy(self.shown)
        top.addWidget(label)
        top.addWidget(self.shown)
        top.addWidget(self.search)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.busy)
        bottom.addWidget(self.cancel)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        layout.addLayout(bottom)
        self._set_busy(on=False)
        self.shown.currentIndexChanged.connect(lambda _i: self._show())
        self.search.textChanged.connect(lambda _t: self._show())
        self.layers.itemSelectionChanged.connect(self._layer_chosen)
        self.cancel.clicked.connect(self._cancel)

    def attach(self, context: Context, focus: BaseFocus) -> None:
        self.context = context
        controller = context.controller
        controller.selection_changed.connect(lambda _node: self.refresh())
        controller.loaded.connect(lambda _opened: self.refresh())
        controller.compared_changed.connect(self._compared)
        focus.lit.connect(self.set_focus)
        base, shown = focus.base, controller.shown
        if base is not None and shown is not None and base in shown:
            from fromscratch.core.graph.tree import ancestry

            self.focus = frozenset(ancestry(shown, base))
        if controller.compared:
            self._compared(controller.compared)  # refreshes
        else:
            self.refresh()

    def _compared(self, other: str) -> None:
        """A second card selected, or no more: compare with it (or the parent) from now."""
        context = self.context
        opened = context.controller.opened if context is not None else None
        label = "its parent"
        if other and opened is not None and other in opened.graph:
            label = printable(str(opened.graph.nodes[other]["label"]))
        at = self.shown.findData(Shown.COMPARED)
        self.shown.setItemText(at, COMPARED_WITH.format(label))
        if other:
            self.shown.blockSignals(True)  # shown once the other's layers are read
            self.shown.setCurrentIndex(at)
            self.shown.blockSignals(False)
        self.refresh()

    def set_focus(self, nodes: frozenset[str]) -> None:
        """Filters > Focus on the selected base: the files its layers wrote, bold."""
        self.focus = nodes
        self._light()

    def _light(self) -> None:
        reading = self.reading
        owners = reading.owner_nodes if reading is not None else ()
        lit = frozenset(n for n, o in enumerate(owners) if o in self.focus)
        for row in range(self.layers.rowCount()):  # the base's layers bold in the list too
            for column in range(self.layers.columnCount()):
                item = self.layers.item(row, column)
                if item is not None:
                    font = item.font()
                    font.setBold(row in lit)
                    item.setFont(font)
        if lit != self.model.lit:
            self.model.set_lit(lit)
            if self._worker is None:
                self._say_shown()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    @property
    def working(self) -> bool:
        return self._worker is not None

    def refresh(self) -> None:
        """The selected image's files; read only while the tab shows (a worker reads)."""
        context = self.context
        if context is None or context.controller.opened is None:
            return
        if not self.isVisible():
            self._stale = True
            return
        self._stale = False
        opened, node = context.controller.opened, context.controller.selected
        image = opened.graph.nodes[node]["image"] if node and node in opened.graph else None
        if node is None or image is None:
            self.reading, self._reading_key = None, None
            self.heading.setText("Select an image to see its files.")
            self.model.show_tree(FileTree([], [], 0, 0, 0), [], [])
            self.layers.setRowCount(0)
            self.status.setText("")
            return
        against = context.controller.compared or ""
        if against and against not in opened.graph:
            against = ""
        wanted = (node, against)
        if wanted in (self._reading_key, self.reading.key if self.reading else None):
            return  # read, or being read
        name = str(opened.graph.nodes[node]["label"])
        self.reading, self._reading_key = None, wanted
        self.heading.setText(f"Files of {printable(name)}")
        source = opened.layer_source()

        work = reading_task(opened, node, against)

        where = source.where if source is not None else "the layer cache"
        self._start(work, self._read, f"Reading the layers of {printable(name)} ({where})…")

    def _start(self, work: object, done: object, text: str) -> None:
        if self._worker is not None:
            self._worker.cancel()
        self.status.setText(text)
        self._set_busy(on=True)
        self._worker = tasks.run(work, done=done, failed=self._failed)  # type: ignore[arg-type]

    def _read(self, reading: Reading) -> None:
        self._worker = None
        self._set_busy(on=False)
        if reading.key != self._reading_key:
            return  # another image was chosen meanwhile
        self.reading, self._reading_key = reading, None
        self._fill_layers(reading)
        self._light()
        self._show()

    def _fill_layers(self, reading: Reading) -> None:
        self.layers.blockSignals(True)
        self.layers.setRowCount(len(reading.layers))
        for number, layer in enumerate(reading.layers):
            owner = reading.owners[number] if number < len(reading.owners) else ""
            step = reading.steps[number] if number < len(reading.steps) else ""
            cells = (
                str(number + 1),
                owner,
                step,
                format_size(layer.content),
                f"{len(layer.entries):,}",
            )
            self.layers.setColumnWidth(1, 150)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(printable(text))
                if column == 1 and number < len(reading.colours):
                    item.setData(Qt.ItemDataRole.DecorationRole, reading.colours[number])
                item.setToolTip(plain.tooltip(printable(text)))  # steps hold `<b>` too
                self.layers.setItem(number, column, item)
        self.layers.blockSignals(False)

    def _layer_chosen(self) -> None:
        rows = self.layers.selectionModel().selectedRows()
        if rows and self.shown.currentData() != Shown.LAYER:
            self.shown.setCurrentIndex(self.shown.findData(Shown.LAYER))  # shows
        else:
            self._show()

    def _show(self) -> None:
        """The tree for the current choice and filter, made in a worker."""
        reading = self.reading
        if reading is None or not reading.layers:
            return
        shown = Shown(self.shown.currentData())
        rows = self.layers.selectionModel().selectedRows()
        layer = rows[0].row() if rows else len(reading.layers) - 1
        search = self.search.text()

        def work(_context: TaskContext) -> FileTree:
            from fromscratch.core.layers.filetree import file_tree

            return file_tree(
                reading.layers,
                shown,
                own_from=reading.own_from,
                layer=layer,
                search=search,
                against=reading.against_layers if reading.against else None,
            )

        self._start(work, self._made, "Arranging the files…")

    def _made(self, tree: FileTree) -> None:
        self._worker = None
        self._set_busy(on=False)
        reading = self.reading
        if reading is None:
            return
        self.model.show_tree(tree, list(reading.owners), list(reading.colours))
        self._light()
        header = self.files.header()
        column, order = header.sortIndicatorSection(), header.sortIndicatorOrder()
        if (column, order) != (NAME, Qt.SortOrder.AscendingOrder):  # the worker's own order
            self.model.sort(column, order)
        if len(tree.rows) <= EXPAND_AT_MOST:  # a few changes: all in sight
            self.files.expandAll()
        elif len(tree.top) == 1:
            self.files.expand(self.model.index(0, 0))
        self._say_shown()

    def _say_shown(self) -> None:
        tree, reading = self.model.tree, self.reading
        if reading is None:
            return
        lit = ""
        if self.shown.currentData() == Shown.COMPARED:
            marks = Counter(row.mark for row in tree.rows if row.entry is not None)
            lit = (
                f"; {marks[Mark.ADDED]:,} added, {marks[Mark.CHANGED]:,} changed, "
                f"{marks[Mark.REMOVED]:,} removed (files and folders)"
            )
        if self.model.lit:
            lit += (
                f"; in bold: what the focused base's {plural(len(self.model.lit), 'layer')} wrote"
            )
        self.status.setText(
            f"{plural(tree.files, 'file')} and {plural(tree.folders, 'folder')} shown, "
            f"{format_size(tree.bytes)} in files; {plural(len(reading.layers), 'layer')}{lit}"
        )

    def _failed(self, error: BaseException) -> None:
        self._worker = None
        self._reading_key = None  # selecting it again tries again
        self._set_busy(on=False)
        self.status.setText(printable(str(error)) or type(error).__name__)

    def _cancel(self) -> None:
        if self._worker is not None:
            self._worker.cancel()
            self._worker = None
        self._set_busy(on=False)
        self.status.setText(
            "Stopped; nothing read in part was kept. Select the image again to read it."
        )
        self._reading_key = None

    def _set_busy(self, *, on: bool) -> None:
        self.busy.setVisible(on)
        self.cancel.setVisible(on)

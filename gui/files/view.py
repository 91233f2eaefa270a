"""The Files tab: the selected image's merged files as a tree (folders with their total
sizes), each entry with its layer and the image in the tree that wrote it, in that image's
colour (the details chart's); its layers beside it. Show its own files, one layer's changes
or what was written more than once; filter by path. Layers are read in a worker, from the
layer cache where it has them, else from the engine or the archive; the GUI never waits."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QShowEvent
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
from fromscratch.core.layers.filetree import FileTree, Shown
from fromscratch.core.text import format_size, printable
from fromscratch.gui import palette, plain, tasks
from fromscratch.gui.files.model import NAME, FilesModel

if TYPE_CHECKING:
    from fromscratch.core.layers.tarindex import LayerIndex
    from fromscratch.core.task import TaskContext
    from fromscratch.gui.mainwindow import MainWindow

CHOICES = (
    (Shown.ALL, "All its files"),
    (Shown.OWN, "Its own files (what it added to its parent's)"),
    (Shown.LAYER, "One layer's changes (choose it on the left)"),
    (Shown.WASTED, "Written in more than one layer"),
    (Shown.COMPARED, "Compared with its parent (added, changed, removed)"),
)
LAYER_COLUMNS = ("#", "Image", "Step", "Size", "Entries")


class Reading(NamedTuple):
    """What the tab shows of one image, made in the worker (nothing crosses threads but
    this, once made): its layers and, per layer, who added it and by which step."""

    node: str
    layers: tuple[LayerIndex, ...]
    owners: tuple[str, ...]
    colours: tuple[QColor, ...]
    steps: tuple[str, ...]
    own_from: int


class FilesView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.window_: MainWindow | None = None
        self.reading: Reading | None = None
        self._reading_node: str | None = None
        """The image whose layers a worker is reading."""
        self._worker: tasks.Worker | None = None
        self._stale = True
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
        self.layers.setTextElideMode(Qt.TextElideMode.ElideMiddle)
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

    def attach(self, window: MainWindow) -> None:
        self.window_ = window
        window.session.selection_changed.connect(lambda _node: self.refresh())
        window.session.loaded.connect(lambda _opened: self.refresh())
        self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    @property
    def working(self) -> bool:
        return self._worker is not None

    def refresh(self) -> None:
        """The selected image's files; read only while the tab shows (a worker reads)."""
        window = self.window_
        if window is None or window.session.opened is None:
            return
        if not self.isVisible():
            self._stale = True
            return
        self._stale = False
        opened, node = window.session.opened, window.session.selected
        image = opened.graph.nodes[node]["image"] if node and node in opened.graph else None
        if node is None or image is None:
            self.reading, self._reading_node = None, None
            self.heading.setText("Select an image to see its files.")
            self.model.show_tree(FileTree([], [], 0, 0, 0), [], [])
            self.layers.setRowCount(0)
            self.status.setText("")
            return
        if node in (self._reading_node, self.reading.node if self.reading else None):
            return  # read, or being read
        name = str(opened.graph.nodes[node]["label"])
        self.reading, self._reading_node = None, node
        self.heading.setText(f"Files of {printable(name)}")
        source, graph = opened.layer_source(), opened.graph

        def work(context: TaskContext) -> Reading:
            from fromscratch.core.graph.details import step_rows
            from fromscratch.core.layers.cache import LayerCache
            from fromscratch.core.layers.owners import layer_owners, own_from
            from fromscratch.core.layers.reading import image_layers

            layers = image_layers(image, LayerCache(), source, lambda: context.cancelled)
            owners = layer_owners(graph, node)
            chain = list(dict.fromkeys(owners))
            rows = [row for row in step_rows(graph, node) if row.layer is not None]
            return Reading(
                node,
                tuple(layers),
                tuple(str(graph.nodes[o]["label"]) for o in owners),
                tuple(_colour(chain.index(o), own=o == node) for o in owners),
                tuple(row.instruction for row in rows),
                own_from(graph, node),
            )

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
        if reading.node != self._reading_node:
            return  # another image was chosen meanwhile
        self.reading, self._reading_node = reading, None
        self._fill_layers(reading)
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
                reading.layers, shown, own_from=reading.own_from, layer=layer, search=search
            )

        self._start(work, self._made, "Arranging the files…")

    def _made(self, tree: FileTree) -> None:
        self._worker = None
        self._set_busy(on=False)
        reading = self.reading
        if reading is None:
            return
        self.model.show_tree(tree, list(reading.owners), list(reading.colours))
        header = self.files.header()
        column, order = header.sortIndicatorSection(), header.sortIndicatorOrder()
        if (column, order) != (NAME, Qt.SortOrder.AscendingOrder):  # the worker's own order
            self.model.sort(column, order)
        if len(tree.top) == 1:
            self.files.expand(self.model.index(0, 0))
        self.status.setText(
            f"{plural(tree.files, 'file')} and {plural(tree.folders, 'folder')} shown, "
            f"{format_size(tree.bytes)} in files; {plural(len(reading.layers), 'layer')}"
        )

    def _failed(self, error: BaseException) -> None:
        self._worker = None
        self._reading_node = None  # selecting it again tries again
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
        self._reading_node = None

    def _set_busy(self, *, on: bool) -> None:
        self.busy.setVisible(on)
        self.cancel.setVisible(on)


def _colour(position: int, *, own: bool) -> QColor:
    """The details chart's colour for the owner at `position` on the chain (bottom first)."""
    if own:
        return QColor(palette.OWN_COLOUR)
    return QColor(palette.OWNER_COLOURS[position % len(palette.OWNER_COLOURS)])

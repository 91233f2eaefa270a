"""The Images tab: every image as a sortable, filterable row with the figures `fromscratch df`
gives (size, own, unique, frees), its containers and its base; the selection follows the tree
both ways; the clean-up actions (gui.window.cleanup) start here."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from fromscratch.core.text import format_size
from fromscratch.gui import tasks
from fromscratch.gui.columns import header_data

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance

    from fromscratch.core.disk.table import ImageRow
    from fromscratch.core.task import TaskContext
    from fromscratch.gui.window.context import Context

COLUMNS = (
    ("Image", "Its main tag, or <none>@id"),
    ("Other tags", "Its other names"),
    ("Id", "The image id, short"),
    ("Created", "When it was built"),
    ("Size", "All its layers, inherited ones included"),
    ("Own", "The layers it added to its parent's"),
    ("Unique", "Bytes only it uses: what removing it alone frees"),
    ("Frees", "What removing it and everything built on it frees"),
    ("Containers", "Running / all containers made from it"),
    ("Dangling", "Untagged: often the old build a rebuild left behind"),
    ("Base", "The base user space it comes from"),
)
SORT = Qt.ItemDataRole.UserRole + 1
"""Each cell's value as it sorts (bytes as numbers, not as "2.0 MB")."""
NODE = Qt.ItemDataRole.UserRole + 2
Cells = tuple[tuple[str, ...], tuple[object, ...]]
"""A row as shown and as it sorts."""
Index = QModelIndex | QPersistentModelIndex


class ImagesModel(QAbstractTableModel):
    """The rows as prepared in a worker (:func:`cells`): a host's 10,000 images are a list,
    not 110,000 items made on the GUI thread (2.4 s with a QStandardItemModel)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[ImageRow] = []
        self._cells: list[Cells] = []
        self.row_of: dict[str, int] = {}

    def set_rows(self, rows: list[ImageRow], cells: list[Cells]) -> None:
        self.beginResetModel()
        self.rows, self._cells = rows, cells
        self.row_of = {row.node: number for number, row in enumerate(rows)}
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        texts, keys = self._cells[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:  # plain text: names come from the data
            return texts[index.column()]
        if role == SORT:
            return keys[index.column()]
        if role == NODE:
            return self.rows[index.row()].node
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        return header_data(COLUMNS, section, orientation, role)


class ImagesView(QWidget):
    """The table, its filter box and its clean-up buttons."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context: Context | None = None
        self._worker: tasks.Worker | None = None
        self._stale = True
        """Data changed while the tab was hidden: refilled when it shows."""
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("Filter by name, id or base…")
        self.filter.setClearButtonEnabled(True)
        self.subtree = QCheckBox("Only the selected image and what is built on it", self)
        self.model = ImagesModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)
        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(7, Qt.SortOrder.DescendingOrder)  # what frees most first
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.summary = QLabel(self)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.remove_one = QPushButton("&Remove…", self)
        self.remove_tree = QPushButton("Remove with everything &built on it…", self)
        self.remove_dangling = QPushButton("Remove all &dangling images…", self)
        top = QHBoxLayout()
        top.addWidget(self.filter, 1)
        top.addWidget(self.subtree)
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary, 1)
        for button in (self.remove_one, self.remove_tree, self.remove_dangling):
            bottom.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.filter.textChanged.connect(lambda _text: self._summarise())
        self.subtree.toggled.connect(lambda _on: self.refresh())
        self.table.selectionModel().currentRowChanged.connect(self._row_chosen)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table, self._delete_key)

    def attach(self, context: Context, containers_changed: SignalInstance) -> None:
        """Follow the window's data, figures, containers and selection; start its clean-ups."""
        from fromscratch.gui.window.cleanup import CleanUp

        self.context = context
        cleanup = CleanUp(context)
        self.remove_one.clicked.connect(lambda: cleanup.ask("image", self.chosen()))
        self.remove_tree.clicked.connect(lambda: cleanup.ask("subtree", self.chosen()))
        self.remove_dangling.clicked.connect(lambda: cleanup.ask("dangling", None))
        context.disk.ready.connect(self.refresh)
        context.controller.loaded.connect(lambda _opened: self.refresh())
        containers_changed.connect(lambda _opened: self.refresh())
        context.controller.selection_changed.connect(self._follow)
        self.refresh()

    def chosen(self) -> str | None:
        index = self.table.currentIndex()
        return str(index.data(NODE)) if index.isValid() else None

    @property
    def rows(self) -> list[ImageRow]:
        return self.model.rows

    @property
    def filling(self) -> bool:
        """Rows are being made (in a worker)."""
        return self._worker is not None

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def refresh(self) -> None:
        """The rows of what is open (figures as soon as they are computed), made in a worker,
        and only while the tab shows: a live host reloads often."""
        context = self.context
        if context is None or context.controller.opened is None:
            return
        if not self.isVisible():
            self._stale = True
            return
        self._stale = False
        opened = context.controller.opened
        selected = context.controller.selected
        only = selected if self.subtree.isChecked() else None
        graph, usage, containers = opened.graph, context.disk.current(), opened.inventory.containers

        def work(_context: TaskContext) -> tuple[list[ImageRow], list[Cells]]:
            from fromscratch.core.disk.table import image_rows
            from fromscratch.core.graph.tree import descendants

            rows = image_rows(graph, usage, containers)
            if only is not None and only in graph:
                keep = {only} | descendants(graph, only)
                rows = [row for row in rows if row.node in keep]
            return rows, [cells(row) for row in rows]

        if self._worker is not None:
            self._worker.cancel()
        self._worker = tasks.run(work, done=self._filled)
        live = opened.source.live and opened.endpoint is not None
        for button in (self.remove_one, self.remove_tree, self.remove_dangling):
            button.setEnabled(live)
            button.setToolTip("" if live else "Needs a live engine: this data is recorded")

    def _filled(self, made: tuple[list[ImageRow], list[Cells]]) -> None:
        self._worker = None
        selection = self.table.selectionModel()
        selection.blockSignals(True)  # refilling is no choice of the user's
        self.model.set_rows(*made)
        selection.blockSignals(False)
        self._summarise()
        if self.context is not None:
            self._follow(self.context.controller.selected or "")

    def _summarise(self) -> None:
        shown = self.proxy.rowCount()
        text = f"{shown} of {len(self.rows)} images" if shown != len(self.rows) else ""
        self.summary.setText(text or f"{len(self.rows)} images")

    def _row_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self.context is not None and current.isValid():
            node = str(current.data(NODE))
            if node != self.context.controller.selected:
                self.context.select_node(node)

    def _follow(self, node: str) -> None:
        """The tree's selection: its row current and in view (no echo back); none, none."""
        selection = self.table.selectionModel()
        selection.blockSignals(True)
        row = self.model.row_of.get(node)
        index = self.proxy.mapFromSource(self.model.index(row, 0)) if row is not None else None
        if index is not None and index.isValid():
            if self.table.currentIndex().row() != index.row():
                self.table.selectRow(index.row())
            self.table.scrollTo(index)
        else:
            self.table.setCurrentIndex(QModelIndex())
            selection.clearSelection()
        selection.blockSignals(False)

    def _delete_key(self) -> None:
        if self.remove_one.isEnabled():
            self.remove_one.click()


def cells(row: ImageRow) -> Cells:
    """How a row shows and how it sorts (bytes as numbers; unknown below zero)."""
    values: list[tuple[str, object]] = [
        (row.name, row.name.lower()),
        (", ".join(t for t in row.tags if t != row.name), ", ".join(row.tags)),
        (row.short_id, row.short_id),
        (row.created[:19].replace("T", " "), row.created),
        (format_size(row.size), _number(row.size)),
        (format_size(row.own), _number(row.own)),
        (format_size(row.unique), _number(row.unique)),
        (format_size(row.frees), _number(row.frees)),
        (f"{row.running} / {row.containers}" if row.containers else "", row.containers),
        ("dangling" if row.dangling else "", int(row.dangling)),
        (row.base, row.base.lower()),
    ]
    return tuple(text for text, _ in values), tuple(key for _, key in values)


def _number(value: int | None) -> int:
    return -1 if value is None else value

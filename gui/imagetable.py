"""The Images tab: every image as a sortable, filterable row with the figures `fromscratch df`
gives (size, own, unique, frees), its containers and its base; the selection follows the tree
both ways; the clean-up actions (gui.cleanup) start here."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QKeySequence, QShortcut, QStandardItem, QStandardItemModel
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

if TYPE_CHECKING:
    from fromscratch.core.disk.table import ImageRow
    from fromscratch.gui.mainwindow import MainWindow

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


class ImagesView(QWidget):
    """The table, its filter box and its clean-up buttons."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.window_: MainWindow | None = None
        self.rows: list[ImageRow] = []
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("Filter by name, id or base…")
        self.filter.setClearButtonEnabled(True)
        self.subtree = QCheckBox("Only the selected image and what is built on it", self)
        self.model = QStandardItemModel(0, len(COLUMNS), self)
        for column, (title, tip) in enumerate(COLUMNS):
            heading = QStandardItem(title)
            heading.setToolTip(tip)
            self.model.setHorizontalHeaderItem(column, heading)
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

    def attach(self, window: MainWindow) -> None:
        """Follow the window's data, figures and selection; start its clean-ups."""
        from fromscratch.gui.cleanup import CleanUp

        self.window_ = window
        cleanup = CleanUp(window)
        self.remove_one.clicked.connect(lambda: cleanup.ask("image", self.chosen()))
        self.remove_tree.clicked.connect(lambda: cleanup.ask("subtree", self.chosen()))
        self.remove_dangling.clicked.connect(lambda: cleanup.ask("dangling", None))
        window.disk.ready.connect(self.refresh)
        window.session.loaded.connect(lambda _opened: self.refresh())
        window.containers.changed.connect(lambda _opened: self.refresh())
        window.session.selection_changed.connect(self._follow)
        self.refresh()

    def chosen(self) -> str | None:
        index = self.table.currentIndex()
        return str(index.data(NODE)) if index.isValid() else None

    def refresh(self) -> None:
        """The rows of what is open (figures as soon as they are computed)."""
        window = self.window_
        if window is None or window.session.opened is None:
            return
        from fromscratch.core.disk.table import image_rows
        from fromscratch.core.graph.tree import descendants

        opened = window.session.opened
        rows = image_rows(opened.graph, window.disk.current(), opened.inventory.containers)
        selected = window.session.selected
        if self.subtree.isChecked() and selected is not None and selected in opened.graph:
            keep = {selected} | descendants(opened.graph, selected)
            rows = [row for row in rows if row.node in keep]
        self.rows = rows
        selection = self.table.selectionModel()
        selection.blockSignals(True)  # refilling is no choice of the user's
        self.model.setRowCount(0)
        for row in rows:
            self.model.appendRow(_cells(row))
        self.table.setCurrentIndex(QModelIndex())
        selection.clearSelection()
        selection.blockSignals(False)
        live = opened.source.live and opened.endpoint is not None
        for button in (self.remove_one, self.remove_tree, self.remove_dangling):
            button.setEnabled(live)
            button.setToolTip("" if live else "Needs a live engine: this data is recorded")
        self._summarise()
        self._follow(selected or "")

    def _summarise(self) -> None:
        shown = self.proxy.rowCount()
        text = f"{shown} of {len(self.rows)} images" if shown != len(self.rows) else ""
        self.summary.setText(text or f"{len(self.rows)} images")

    def _row_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self.window_ is not None and current.isValid():
            node = str(current.data(NODE))
            if node != self.window_.session.selected:
                self.window_.select_node(node)

    def _follow(self, node: str) -> None:
        """The tree's selection: its row current and in view (no echo back); none, none."""
        selection = self.table.selectionModel()
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if index.data(NODE) == node:
                if self.table.currentIndex().row() != row:
                    selection.blockSignals(True)
                    self.table.selectRow(row)
                    selection.blockSignals(False)
                self.table.scrollTo(index)
                return
        selection.blockSignals(True)
        self.table.setCurrentIndex(QModelIndex())
        selection.clearSelection()
        selection.blockSignals(False)

    def _delete_key(self) -> None:
        if self.remove_one.isEnabled():
            self.remove_one.click()


def _cells(row: ImageRow) -> list[QStandardItem]:
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
    items = []
    for text, key in values:
        item = QStandardItem(text)  # plain text: names come from the data
        item.setData(key, SORT)
        item.setData(row.node, NODE)
        items.append(item)
    return items


def _number(value: int | None) -> int:
    return -1 if value is None else value

"""A FileTree (core.layers.filetree) as a Qt item model: rows made in a worker, shown as they
are (100,000 files are lists, not items); names as plain, escaped text."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from fromscratch.core.layers.filetree import FileRow, FileTree, Mark
from fromscratch.core.layers.listing import mode_text
from fromscratch.core.text import format_size, printable
from fromscratch.gui import palette, plain
from fromscratch.gui.columns import header_data

COLUMNS = (
    ("Name", "The file or folder (names shown escaped: they come from the image)"),
    ("Size", "A file's bytes; a folder's: every file shown under it"),
    ("Mode", "Type and permissions, as ls shows them"),
    ("Owner", "User and group ids"),
    ("Layer", "The layer that wrote it, 1 at the bottom; ×N: N layers wrote it"),
    ("Image", "The image in the tree that added that layer"),
)
NAME, SIZE, MODE, OWNER, LAYER, IMAGE = range(len(COLUMNS))
SORT_KEYS = {
    NAME: lambda row: (not row.is_folder, row.name),
    SIZE: lambda row: row.total,
    MODE: lambda row: row.entry.mode if row.entry else 0,
    OWNER: lambda row: (row.entry.uid, row.entry.gid) if row.entry else (-1, -1),
    LAYER: lambda row: row.layer,
}
Index = QModelIndex | QPersistentModelIndex
NO_SWATCH = QColor(0, 0, 0, 0)
ROLES = frozenset(
    {
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.DecorationRole,
        Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.TextAlignmentRole,
        Qt.ItemDataRole.FontRole,
    }
)


class FilesModel(QAbstractItemModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.tree = FileTree([], [], 0, 0, 0)
        self.owners: list[str] = []
        """Per layer, the label of the image that added it."""
        self.colours: list[QColor] = []
        """Per layer, its owner's colour (the details chart's)."""
        self.lit: frozenset[int] = frozenset()
        """Layers whose files are shown bold: a focused base's (Filters > Focus on the
        selected base)."""
        self._bold = QFont()
        self._bold.setBold(True)
        self._position: list[int] = []
        self._texts: dict[int, tuple[str, ...]] = {}
        """Each row's cells as shown, made when first painted."""

    def show_tree(self, tree: FileTree, owners: list[str], colours: list[QColor]) -> None:
        self.beginResetModel()
        self.tree, self.owners, self.colours = tree, owners, colours
        self._texts = {}
        self._place()
        self.endResetModel()

    def set_lit(self, layers: frozenset[int]) -> None:
        """Show the files of `layers` bold (the rows stay; only their font changes)."""
        if layers != self.lit:
            self.lit = layers
            if self.tree.rows:  # every row's font, at every depth: repainted, expansion kept
                self.layoutAboutToBeChanged.emit()
                self.layoutChanged.emit()

    def _place(self) -> None:
        position = [0] * len(self.tree.rows)
        for number, node in enumerate(self.tree.top):
            position[node] = number
        for row in self.tree.rows:
            for number, node in enumerate(row.children):
                position[node] = number
        self._position = position

    def row(self, index: Index) -> FileRow:
        return self.tree.rows[index.internalId()]

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        siblings = (
            self.tree.rows[parent.internalId()].children if parent.isValid() else self.tree.top
        )
        if not 0 <= row < len(siblings):
            return QModelIndex()
        return self.createIndex(row, column, siblings[row])

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid():
            return QModelIndex()
        up = self.tree.rows[index.internalId()].parent
        if up < 0:
            return QModelIndex()
        return self.createIndex(self._position[up], 0, up)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self.tree.top)
        if parent.column() != 0:
            return 0
        return len(self.tree.rows[parent.internalId()].children)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return len(COLUMNS)

    def hasChildren(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return self.rowCount(parent) > 0

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role not in ROLES or not index.isValid():
            return None  # asked for ten roles a cell each paint: most answered at once
        node = index.internalId()
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            texts = self._texts.get(node)
            if texts is None:
                row = self.tree.rows[node]
                texts = self._texts[node] = tuple(self._text(row, c) for c in range(len(COLUMNS)))
            return texts[column]
        row = self.tree.rows[node]
        if role == Qt.ItemDataRole.DecorationRole and column == IMAGE:
            # A blank swatch where no layer wrote the folder: every row as tall as the first,
            # which the view's uniform heights take for all (folders only: rows were squeezed)
            if 0 <= row.layer < len(self.colours):
                return self.colours[row.layer]
            return NO_SWATCH
        if role == Qt.ItemDataRole.FontRole:
            return self._bold if row.layer in self.lit else None
        if role == Qt.ItemDataRole.ForegroundRole and row.mark == Mark.REMOVED:
            return palette.EDGE
        if role == Qt.ItemDataRole.ToolTipRole and column == NAME:
            link = f" -> {printable(row.entry.link)}" if row.entry and row.entry.link else ""
            return plain.tooltip("/" + printable(row.path) + link)  # `<b>` is a name here
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (SIZE, LAYER):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _text(self, row: FileRow, column: int) -> str:
        entry = row.entry
        if column == NAME:
            name = printable(row.name) + ("/" if row.is_folder else "")
            link = f" -> {printable(entry.link)}" if entry and entry.link else ""
            mark = f"  ({row.mark})" if row.mark else ""
            return name + link + mark
        if column == SIZE:
            return format_size(row.total) if row.total or not row.is_folder else ""
        if entry is None:
            return ""
        if column == MODE:
            return mode_text(entry)
        if column == OWNER:
            return f"{entry.uid}:{entry.gid}"
        if column == LAYER:
            if row.layer < 0:
                return ""  # removed: no layer of this image holds it
            return str(row.layer + 1) + (f" ×{row.writes}" if row.writes > 1 else "")
        if column == IMAGE:
            return self.owners[row.layer] if 0 <= row.layer < len(self.owners) else ""
        return ""

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        return header_data(COLUMNS, section, orientation, role)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = SORT_KEYS.get(column)
        if key is None:  # by image: as the layers go
            key = SORT_KEYS[LAYER]
        rows = self.tree.rows
        reverse = order == Qt.SortOrder.DescendingOrder
        self.layoutAboutToBeChanged.emit()
        self.tree.top.sort(key=lambda n: key(rows[n]), reverse=reverse)  # type: ignore[no-untyped-call]
        for row in rows:
            if len(row.children) > 1:
                row.children.sort(key=lambda n: key(rows[n]), reverse=reverse)  # type: ignore[no-untyped-call]
        self._place()
        before = self.persistentIndexList()  # the selection and the current row follow
        after = [
            self.createIndex(self._position[i.internalId()], i.column(), i.internalId())
            for i in before
        ]
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()

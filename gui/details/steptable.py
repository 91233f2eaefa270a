"""The details dock's steps table (made with the dock's body, after the first paint)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem, QTableWidget, QWidget

OWNER = 3
"""The "Inherited from" column."""


class _MiddleElided(QStyledItemDelegate):
    """An image's name keeps its tag's end: `buildpack…bookworm-scm`, not `buildpack-deps:…`."""

    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideMiddle


class StepTable(QTableWidget):
    """The steps, one line each: a step's text cut at its end, "Inherited from" as wide as its
    names but never over a third of the table (it squeezed the Step column to "CO… file…")."""

    def __init__(self, rows: int, columns: int, parent: QWidget | None = None) -> None:
        super().__init__(rows, columns, parent)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setItemDelegateForColumn(OWNER, _MiddleElided(self))

    def size_owner_column(self) -> None:
        self.resizeColumnToContents(OWNER)
        cap = max(80, self.viewport().width() // 3)
        if self.columnWidth(OWNER) > cap:
            self.setColumnWidth(OWNER, cap)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.size_owner_column()

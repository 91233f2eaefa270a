"""A table's columns declared once as (heading, what it counts): the heading shown, what it
counts as its tooltip (every figure says what it counts)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt


def header_data(
    columns: Sequence[tuple[str, str]], section: int, orientation: Qt.Orientation, role: int
) -> object:
    """What a model's `headerData` answers for `columns`."""
    if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(columns):
        return None
    if role == Qt.ItemDataRole.DisplayRole:
        return columns[section][0]
    if role == Qt.ItemDataRole.ToolTipRole:
        return columns[section][1]
    return None

"""The tree scene draws the graph core gives it: edges dashed by core's one rule."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from fromscratch.core.graph.layout import tidy_layout
from fromscratch.core.graph.records import is_uncertain
from fromscratch.gui.tree.view import TreeView
from tests.core.graph.test_export import shared_base_forest


def test_edges_are_dashed_by_the_rule_the_exporters_use(qtbot: QtBot) -> None:
    graph = shared_base_forest()
    view = TreeView()
    qtbot.addWidget(view)
    view.show_graph(graph, tidy_layout(graph))
    dashed = {
        key for key, item in view.tree.edges.items() if item.pen().style() != Qt.PenStyle.SolidLine
    }
    assert dashed == {(p, c) for p, c, edge in graph.edges(data=True) if is_uncertain(edge)}
    assert dashed and len(dashed) < len(view.tree.edges)

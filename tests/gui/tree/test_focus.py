"""Filters > Focus on the selected base: the base and what stands on it lit, each image's
share of the base's bytes on its card, the base's layers bold in any image's steps."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from fromscratch.core.graph.tree import ancestry, descendants, find
from fromscratch.core.text import format_size
from tests.gui.conftest import shown_window


def test_focus_on_a_base(qtbot: QtBot) -> None:
    window = shown_window(qtbot)
    shown = window.controller.shown
    base = find(shown, "buildpack-deps:bookworm-curl")
    python = find(shown, "python:3-bookworm")
    alpine = find(shown, "alpine:3.24")
    window.select_node(base)
    window.action("base-focus").trigger()
    assert window.focus.base == base
    tree = window.view.tree
    above = descendants(shown, base)
    assert python in above
    assert not tree.dimmed(python) and not tree.dimmed(base) and tree.dimmed(alpine)
    size = shown.nodes[base]["size"]
    card = tree.nodes[python]
    assert card.figure == f"{format_size(size)} from buildpack-deps:bookworm-curl"
    assert card.share == size / shown.nodes[python]["size"]
    window.select_node(python)  # the focus stays while the user looks around
    qtbot.waitUntil(lambda: tree.dimmed(alpine) and not tree.dimmed(python))
    panel = window.panel
    owners = set(ancestry(shown, base))
    for r, row in enumerate(panel.shown_rows()):
        bold = panel.table.item(r, 1).font().bold()
        assert bold == (row.owner in owners), row
    assert any(row.owner in owners for row in panel.shown_rows())
    window.action("base-focus").trigger()  # off
    assert window.focus.base is None and card.figure == ""
    assert not any(panel.table.item(r, 1).font().bold() for r in range(panel.table.rowCount()))


def test_focus_needs_a_base(qtbot: QtBot) -> None:
    window = shown_window(qtbot)
    window.select_node(find(window.controller.shown, "hello-world"))  # nothing stands on it
    window.action("base-focus").trigger()
    assert window.focus.base is None and not window.action("base-focus").isChecked()
    assert "Select a base" in window.statusBar().currentMessage()


def test_collapse_base_chains_from_the_filters_menu(qtbot: QtBot) -> None:
    window = shown_window(qtbot)
    graph = window.controller.opened.graph
    scm = find(graph, "buildpack-deps:bookworm-scm")
    with qtbot.waitSignal(window.arranged, timeout=10_000):
        window.action("fold").trigger()
    shown = window.controller.shown
    assert find(graph, "debian:12") not in shown
    assert window.view.tree.nodes[scm].folded_count == 2
    window.grab()  # drawn with its "below" mark
    with qtbot.waitSignal(window.arranged, timeout=10_000):
        window.action("fold").trigger()
    assert len(window.controller.shown) == len(graph)

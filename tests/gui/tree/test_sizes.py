"""View > what the cards show: own layers' bytes or what removing frees (core.disk.usage),
with a bar for the share of the largest; the details dock says shared and unique bytes and,
for a base, what it saves and frees."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from fromscratch.core.disk.usage import disk_usage
from fromscratch.core.graph.tree import find
from fromscratch.core.text import format_size
from tests.gui.conftest import shown_window


def test_cards_show_what_removing_frees_and_their_own_bytes(qtbot: QtBot) -> None:
    window = shown_window(qtbot)
    graph = window.controller.opened.graph
    debian = find(graph, "debian:12")
    expected = {n.id: n.frees for n in disk_usage(graph).nodes}
    window.action("sizes-frees").trigger()
    card = window.view.tree.nodes[debian]
    qtbot.waitUntil(lambda: card.figure != "", timeout=10_000)
    assert card.figure == f"frees {format_size(expected[debian])}"
    assert card.share == expected[debian] / max(expected.values())
    assert window.action("sizes-frees").isChecked() and not window.action("sizes-off").isChecked()
    window.grab()  # painted with its bar
    window.action("sizes-own").trigger()
    assert card.figure == f"+{format_size(graph.nodes[debian]['own_size'])} own layers"
    window.action("sizes-own").trigger()  # unchecking the checked one: sizes again
    assert card.figure == "" and card.share == 0 and window.action("sizes-off").isChecked()


def test_the_details_say_shared_unique_and_what_a_base_frees(qtbot: QtBot) -> None:
    window = shown_window(qtbot)
    graph = window.controller.opened.graph
    debian = find(graph, "debian:12")
    window.select_node(debian)
    qtbot.waitUntil(lambda: "stands under" in window.panel.facts.text(), timeout=10_000)
    text = window.panel.facts.text()
    assert "7 images; sharing saves 1.4 GB" in text
    assert "removing it and everything above frees 692.8 MB" in text
    assert "0 B used by it alone (removing only it frees that), 48.5 MB shared" in text


def test_the_steps_table_hides_metadata_and_inherited_steps(qtbot: QtBot) -> None:
    from fromscratch.core.graph.details import OWN

    window = shown_window(qtbot)
    python = find(window.controller.opened.graph, "python:3-bookworm")
    window.select_node(python)
    panel = window.panel
    every = panel.details.rows
    assert panel.table.rowCount() == len(every)
    panel.hide_metadata.setChecked(True)
    assert panel.table.rowCount() == sum(not r.empty for r in every) < len(every)
    panel.only_own.setChecked(True)
    own = [r for r in every if not r.empty and r.owner == OWN]
    assert panel.table.rowCount() == len(own) > 0
    shown = [panel.table.item(r, 0).text() for r in range(panel.table.rowCount())]
    assert shown == [str(r.index + 1) for r in own]
    panel.hide_metadata.setChecked(False)
    panel.only_own.setChecked(False)
    assert panel.table.rowCount() == len(every)

"""The Images tab: every image a row with df's figures, sorted by numbers, filtered by text,
its selection the tree's; clean-up needs a live engine and says so."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from fromscratch.core.disk.usage import disk_usage
from fromscratch.core.graph.tree import find
from fromscratch.gui.details.imagetable import NODE
from fromscratch.gui.window.tabs import IMAGES_TAB
from tests.gui.conftest import shown_window


def test_the_table_sorts_filters_and_follows_the_tree(qtbot: QtBot) -> None:
    window = shown_window(qtbot)
    window.show_tab(IMAGES_TAB)
    images = window.tabs.images
    graph = window.controller.opened.graph
    qtbot.waitUntil(lambda: window.disk.current() is not None, timeout=10_000)
    images.refresh()  # rows are made in a worker
    qtbot.waitUntil(lambda: not images.filling and images.rows[0].frees is not None)
    assert images.proxy.rowCount() == 21 and window.controller.selected is None  # none chosen
    usage = disk_usage(graph)
    frees = {n.id: n.frees for n in usage.nodes}
    top = images.proxy.index(0, 0).data(NODE)
    assert frees[top] == max(frees[i.id] for i in usage.images)  # by bytes, not by text
    assert images.proxy.index(0, 7).data() != ""  # and said as a size
    images.table.sortByColumn(4, Qt.SortOrder.AscendingOrder)
    sizes = [images.proxy.index(r, 4).data(Qt.ItemDataRole.UserRole + 1) for r in range(21)]
    assert sizes == sorted(sizes)
    images.filter.setText("alpine")
    assert 0 < images.proxy.rowCount() < 21 and "of 21 images" in images.summary.text()
    images.filter.clear()
    python = find(graph, "python:3-bookworm")
    window.select_node(python)  # the tree's selection is the table's
    assert images.chosen() == python
    row = next(
        r for r in range(images.proxy.rowCount()) if images.proxy.index(r, 0).data() == "debian:12"
    )
    images.table.selectRow(row)  # and the other way
    assert window.controller.selected == find(graph, "debian:12")
    images.subtree.setChecked(True)  # debian:12 and what is built on it
    qtbot.waitUntil(lambda: not images.filling and images.proxy.rowCount() < 21)
    shown = {images.proxy.index(r, 0).data() for r in range(images.proxy.rowCount())}
    assert "debian:12" in shown and "python:3-bookworm" in shown and "alpine:3.24" not in shown
    assert not images.remove_one.isEnabled()  # the sample is recorded: no engine to ask
    assert images.remove_one.toolTip().startswith("Needs a live engine")


def test_the_confirmation_lists_everything_and_holds_back_for_containers(qtbot: QtBot) -> None:
    from fromscratch.core.disk.removal import Target, plan_removal
    from fromscratch.core.formats.inventory import Container
    from fromscratch.core.formats.sample import load_sample
    from fromscratch.core.graph.lineage import build_tree
    from fromscratch.gui.window.cleanup import Confirm

    tree = build_tree(load_sample().images)
    base = find(tree, "debian:bookworm-slim")
    app = find(tree, "python:3-slim-bookworm")
    holder = Container("c1", ("web<b>",), app, "python:3-slim-bookworm", "running")
    plan = plan_removal(tree, [holder], Target.SUBTREE, base)
    dialog = Confirm(plan)
    qtbot.addWidget(dialog)
    listing = dialog.listing.toPlainText()
    for image in plan.images:
        assert image.name in listing
    assert "web<b>" in listing and "frees" in listing  # plain text, the df figure
    assert dialog.with_containers.isVisibleTo(dialog) and not dialog.remove.isEnabled()
    dialog.with_containers.setChecked(True)
    assert dialog.remove.isEnabled()

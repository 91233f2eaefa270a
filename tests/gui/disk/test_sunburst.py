"""The "Disk by lineage" tab: a wedge per node with frees, angles in proportion; clicking a
wedge selects the image, the selection marks its wedge, the picture exports."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from fromscratch.core.disk.usage import disk_usage
from fromscratch.core.graph.tree import find
from fromscratch.gui.disk.sunburst import MIN_SPAN
from fromscratch.gui.tree.export import export_picture
from fromscratch.gui.window.tabs import DISK_TAB
from tests.gui.conftest import shown_window


def test_the_rings_select_export_and_follow_the_selection(qtbot: QtBot, tmp_path: Path) -> None:
    window = shown_window(qtbot)
    window.resize(1366, 768)
    graph = window.controller.opened.graph
    window.show_tab(DISK_TAB)
    rings = window.tabs.disk
    qtbot.waitUntil(lambda: len(rings.wedges) > 0, timeout=10_000)
    usage = disk_usage(graph)
    total = usage.layers_bytes
    assert set(rings.wedges) == {n.id for n in usage.nodes if n.frees / total >= MIN_SPAN}
    assert find(graph, "hello-world") not in rings.wedges  # 2.4 kB: thinner than a hairline
    debian = find(graph, "debian:12")
    wedge = rings.wedges[debian]
    # a point surely inside the wedge: the middle of two of its outline's points
    polygon = wedge.path().toFillPolygon()
    inside = next(
        rings.mapFromScene(polygon.at(i) * 0.5 + polygon.at(j) * 0.5)
        for i in range(polygon.size())
        for j in range(i + 1, polygon.size())
        if wedge.contains(polygon.at(i) * 0.5 + polygon.at(j) * 0.5)
    )
    qtbot.mouseClick(rings.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(inside))
    assert window.controller.selected == debian
    assert wedge.pen().widthF() > 1  # marked
    python = find(graph, "python:3-bookworm")
    window.select_node(python)
    assert rings.wedges[python].pen().widthF() > 1 and wedge.pen().widthF() == 1
    png = export_picture(rings, str(tmp_path / "rings.png"), whole=True)
    picture = QImage(str(png))
    assert picture.width() > 500 and picture.height() > 500
    assert "1.3 GB" in rings.caption.text()
    images = sum(1 for _n, attrs in graph.nodes(data=True) if attrs["kind"] == "image")
    drawn = sum(1 for n in rings.wedges if graph.nodes[n]["kind"] == "image")
    missing = images - drawn
    said = f"Not drawn: {missing} image that frees" if missing == 1 else f"{missing} images that"
    assert missing > 0 and said in rings.caption.text()


def test_labels_are_plain_text_and_shortened_to_their_wedge(qtbot: QtBot) -> None:
    window = shown_window(qtbot)
    window.resize(1366, 768)
    window.show_tab(DISK_TAB)
    rings = window.tabs.disk
    qtbot.waitUntil(lambda: any(label.isVisible() for label in rings.labels), timeout=10_000)
    shown = [label for label in rings.labels if label.isVisible()]
    assert shown
    for label in shown:
        full = label.full
        assert label.text() == full or (
            label.text().endswith("…") and full.startswith(label.text()[:-1])
        )


def test_ctrl_3_reaches_the_rings_and_they_take_the_theme(qtbot: QtBot) -> None:
    from fromscratch.gui import palette

    window = shown_window(qtbot)
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentIndex() == DISK_TAB
    rings = window.tabs.disk
    qtbot.waitUntil(lambda: len(rings.wedges) > 0, timeout=10_000)
    light = rings.backgroundBrush().color().name()
    colours = {node: item.brush().color().name() for node, item in rings.wedges.items()}
    window.set_theme("dark", remember=False)
    assert rings.backgroundBrush().color().name() == palette.BACKGROUND.name() != light
    assert all(item.brush().color().name() != colours[n] for n, item in rings.wedges.items())
    corner = rings.viewport().grab().toImage().pixelColor(2, 2)
    assert corner.name() == palette.BACKGROUND.name()  # painted, not only set


def test_labels_read_on_their_wedges_in_every_theme(qtbot: QtBot) -> None:
    """In the dark theme light grey labels sat on bright wedges at 1.24:1."""
    from fromscratch.gui import palette

    window = shown_window(qtbot)
    window.show_tab(DISK_TAB)
    rings = window.tabs.disk
    qtbot.waitUntil(lambda: len(rings.wedges) > 0, timeout=10_000)
    for theme in ("dark", "light"):
        window.set_theme(theme)
        for label in rings.labels:
            wedge = label.wedge.brush().color()
            assert palette.contrast(label.brush().color(), wedge) >= 4.5, (theme, label.full)
    window.set_theme("light")


def test_the_caption_leaves_the_rings_alone(qtbot: QtBot) -> None:
    """Presenting, the caption's three lines ran over the top of the ring."""
    window = shown_window(qtbot)
    window.resize(1024, 768)
    window.set_presenting(on=True, full_screen=False)
    window.show_tab(DISK_TAB)
    rings = window.tabs.disk
    qtbot.waitUntil(lambda: len(rings.wedges) > 0, timeout=10_000)
    qtbot.wait(50)
    top = min(
        rings.mapFromScene(w.sceneBoundingRect().topLeft()).y() for w in rings.wedges.values()
    )
    assert top >= rings.caption.geometry().bottom(), (top, rings.caption.geometry())
    window.set_presenting(on=False)


def test_f_fits_the_rings_on_their_tab_and_the_tree_on_its_own(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The window's "Fit tree" took F on every tab: on the rings it fitted the hidden tree,
    and the rings' own F was never reached."""
    from fromscratch.gui.window.tabs import TREE_TAB

    window = shown_window(qtbot)
    window.show_tab(DISK_TAB)
    rings = window.tabs.disk
    qtbot.waitUntil(lambda: len(rings.wedges) > 0, timeout=10_000)
    fitted: list[str] = []
    monkeypatch.setattr(rings, "fit", lambda: fitted.append("rings"))
    qtbot.keyClick(rings, Qt.Key.Key_F)
    assert fitted == ["rings"]
    window.show_tab(TREE_TAB)
    assert window.action("fit").isEnabled()
    window.show_tab(DISK_TAB)
    assert not window.action("fit").isEnabled()

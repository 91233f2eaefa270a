"""A host with hundreds of images opens as an overview that stays readable: collapsed to the
generations whose cards fit side by side with their titles and sizes, each saying what it
holds; the sample (21 images) stays whole."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from fromscratch.gui.tree.items import DETAIL_LOD
from fromscratch.gui.window.mainwindow import MainWindow
from tests.gui.conftest import make_settings, shown_window
from tests.support.synthetic import write_synthetic


def test_hundreds_of_images_open_as_a_readable_overview(qtbot: QtBot, tmp_path: Path) -> None:
    host = tmp_path / "host.json"
    write_synthetic(host, bases=6, mids=3, apps=19)  # 366 images, 342 of them leaves
    window = MainWindow(str(host), settings=make_settings())
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    messages: list[str] = []
    window.controller.notice.connect(messages.append)
    qtbot.waitUntil(lambda: window.controller.tree_filter.collapsed != frozenset(), timeout=20_000)
    qtbot.waitUntil(lambda: 0 < len(window.controller.shown or ()) < 50, timeout=20_000)
    window.view.fit(animated=False)
    shown = [item for item in window.view.tree.nodes.values() if item.isVisible()]
    assert window.view.scale_now() >= DETAIL_LOD * 0.96  # titles and sizes drawn
    assert sum(item.hidden_count for item in shown) == 366 - (len(shown) - 1)
    assert "Overview" in window.statusBar().currentMessage() or messages
    window.controller.expand_all()  # Filters > Expand all collapsed
    qtbot.waitUntil(lambda: len(window.controller.shown or ()) == 367, timeout=20_000)


def test_the_sample_is_not_collapsed(qtbot: QtBot) -> None:
    window = shown_window(qtbot)
    assert window.controller.tree_filter.collapsed == frozenset()


def test_a_screenshot_selects_an_image_the_overview_folded(tmp_path: Path) -> None:
    """`--select` used to look only among the cards shown, and said "no such image"."""
    from PySide6.QtGui import QImage

    from tests.gui.conftest import app_process

    host = tmp_path / "host.json"
    write_synthetic(host, bases=6, mids=3, apps=19)
    out = tmp_path / "shot.png"
    done = app_process(
        tmp_path,
        *("-m", "fromscratch", "--screenshot", str(out), "--size", "1366x768"),
        *("--select", "base2-mid1-app7:latest", str(host)),
    )
    assert done.returncode == 0, done.stderr
    assert QImage(str(out)).width() == 1366


def test_a_search_opens_one_path_and_f_gives_the_overview_back(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """A search lifted every filter (the whole host drawn as a 3 px strip), and F fitted that
    strip; now the search opens the path to its image and F collapses to the overview."""
    from PySide6.QtCore import Qt

    from fromscratch.core.graph.tree import find

    host = tmp_path / "host.json"
    write_synthetic(host, bases=6, mids=3, apps=19)
    window = MainWindow(str(host), settings=make_settings())
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitUntil(lambda: 0 < len(window.controller.shown or ()) < 50, timeout=20_000)
    node = find(window.controller.opened.graph, "base2-mid1-app7:latest")
    window.select_node(node)
    qtbot.waitUntil(lambda: node in (window.controller.shown or ()), timeout=20_000)
    assert len(window.controller.shown) < 80  # one generation opened, not all 367 cards
    window.controller.expand_all()  # Filters > Expand all collapsed
    qtbot.waitUntil(lambda: len(window.controller.shown or ()) == 367, timeout=20_000)
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_F)
    qtbot.waitUntil(lambda: len(window.controller.shown or ()) < 80, timeout=20_000)
    qtbot.wait(100)
    assert window.view.scale_now() >= DETAIL_LOD * 0.96  # titles and sizes drawn

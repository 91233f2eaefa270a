"""The tree window in use: search, selection, details, filters, export, drop, worker threads."""

from __future__ import annotations

import itertools
import json
import re
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPointF, QRectF, Qt, QTimer, QUrl
from PySide6.QtGui import QColor, QDropEvent, QImage
from pytestqt.qtbot import QtBot

from fromscratch.core.engine.endpoint import Endpoint
from fromscratch.core.engine.gateway import EngineGateway, RecordedTransport
from fromscratch.core.formats.sample import load_sample
from fromscratch.core.formats.snapshot import save
from fromscratch.core.graph.export import export_graph
from fromscratch.core.session.opening import Opened, open_default
from fromscratch.core.task import TaskContext
from fromscratch.gui.theme import DARK, LIGHT
from fromscratch.gui.tree.export import export_picture
from fromscratch.gui.window.mainwindow import MainWindow
from tests.gui.conftest import make_settings

DATA = Path(__file__).parents[2] / "data"


def opened(qtbot: QtBot, file: str | None = None) -> MainWindow:
    window = MainWindow(file, settings=make_settings())
    window.view.reduced_motion = True
    window.resize(1400, 900)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.arranged, timeout=20_000):
        pass
    return window


def tag_id(window: MainWindow, tag: str) -> str:
    return next(n for n, a in window.controller.shown.nodes(data=True) if tag in a["tags"])


def test_search_selects_centres_and_fills_the_details(qtbot: QtBot) -> None:
    window = opened(qtbot)
    window.search.setText("python:3-bookworm")
    window.search.returnPressed.emit()
    node = tag_id(window, "python:3-bookworm")
    assert window.controller.selected == node
    item = window.view.tree.nodes[node]
    assert item.isSelected()
    centre = window.view.viewport().rect().center()
    shown_at = window.view.mapFromScene(item.sceneBoundingRect().center())
    assert (centre - shown_at).manhattanLength() <= 3  # pixels
    # details: every history step, with the ancestor it came from
    table = window.panel.table
    image = window.controller.shown.nodes[node]["image"]
    assert table.rowCount() == len(image.history)
    owners = [
        table.item(r, 3).text()
        for r in range(table.rowCount())
        if not table.item(r, 1).text().startswith("(metadata)")
    ]
    assert owners[:4] == [
        "debian:12",
        "buildpack-deps:bookworm-curl",
        "buildpack-deps:bookworm-scm",
        "buildpack-deps:bookworm",
    ]
    assert owners[4:] == ["own"] * (len(owners) - 4)
    assert "debian:12" in window.panel.legend.text()
    # the path to scratch is lit, the rest dimmed
    assert not window.view.tree.dimmed("scratch")
    assert not window.view.tree.dimmed(node)
    assert window.view.tree.dimmed(tag_id(window, "alpine:3.24"))


def test_search_misses_say_so_and_partial_tags_work(qtbot: QtBot) -> None:
    window = opened(qtbot)
    window.search.setText("no-such-image")
    window.search.returnPressed.emit()
    assert "no image matches" in window.statusBar().currentMessage()
    assert window.search.property("missed") is True  # the box is marked
    window.search.setText("temurin")
    window.search.returnPressed.emit()
    assert window.controller.selected == tag_id(window, "eclipse-temurin:21-noble")
    assert window.search.property("missed") is False


def test_enter_on_a_prefix_that_completes_to_several_selects_the_first(qtbot: QtBot) -> None:
    """ "python:3" completes to several tags: Enter takes the first completion, as the list
    shows it (tags starting with the text first, then alphabetical)."""
    window = opened(qtbot)
    tags = sorted(t for a in window.controller.shown.nodes.values() for t in a["tags"])
    several = [t for t in tags if t.startswith("python:3")]
    assert len(several) > 1
    window.search.setText("python:3")
    window.search.returnPressed.emit()
    assert window.controller.selected == tag_id(window, several[0])


def test_escape_clears_the_selection(qtbot: QtBot) -> None:
    window = opened(qtbot)
    window.select_node(tag_id(window, "nginx:stable-alpine"))
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert window.controller.selected is None
    assert not any(window.view.tree.dimmed(n) for n in window.view.tree.nodes)
    assert window.panel.table.rowCount() == 0


def test_chart_click_selects_the_step(qtbot: QtBot) -> None:
    window = opened(qtbot)
    window.select_node(tag_id(window, "python:3-bookworm"))
    chart = window.panel.chart
    low, high, index = chart._segments[1]  # buildpack-deps:bookworm-curl's layer
    chart.step_clicked.emit(index)
    selected = window.panel.table.selectedItems()
    assert selected and selected[3].text() == "buildpack-deps:bookworm-curl"
    assert 0 < low < high


def zoo_file(tmp_path: Path) -> Path:
    recorded = json.loads((DATA / "engine-zoo.recorded.json").read_text())
    gateway = EngineGateway(
        Endpoint("unix:///rec.sock", "t"), transport=RecordedTransport(recorded)
    )
    return save(gateway.load(), tmp_path / "zoo.json")


def test_filters_hide_what_they_say(qtbot: QtBot, tmp_path: Path) -> None:
    window = opened(qtbot, str(zoo_file(tmp_path)))
    dangling = [n for n, a in window.controller.shown.nodes(data=True) if a["dangling"]]
    assert dangling and all(n in window.view.tree.nodes for n in dangling)
    with qtbot.waitSignal(window.arranged, timeout=10_000):
        window.action("dangling").trigger()
    assert not any(n in window.view.tree.nodes for n in dangling)
    child = tag_id(window, "zoo/on-moving:latest")
    assert child in window.view.tree.nodes  # lifted onto the next shown ancestor
    # collapse a subtree (double-click does this) and expand it again
    base = tag_id(window, "zoo/base:classic")
    with qtbot.waitSignal(window.arranged, timeout=10_000):
        window.controller.toggle_collapse(base)
    assert tag_id(window, "zoo/base:classic") in window.view.tree.nodes
    assert not any("zoo/app:classic" in a["tags"] for a in window.controller.shown.nodes.values())
    assert window.view.tree.nodes[base].hidden_count == 2
    with qtbot.waitSignal(window.arranged, timeout=10_000):
        window.controller.toggle_collapse(base)
    assert any("zoo/app:classic" in a["tags"] for a in window.controller.shown.nodes.values())
    # only the ancestry of the selection
    app = tag_id(window, "zoo/app:bk")
    window.select_node(app)
    with qtbot.waitSignal(window.arranged, timeout=10_000):
        window.action("focus").trigger()
    labels = {a["label"] for a in window.controller.shown.nodes.values()}
    assert labels == {
        "scratch",
        "zoo/app:bk",
        "zoo/meta:bk",
        "zoo/base:bk",
        window.controller.shown.nodes[
            next(iter(window.controller.shown.predecessors(tag_id(window, "zoo/base:bk"))))
        ]["label"],
    }
    # intermediates come back as nodes when asked for
    with qtbot.waitSignal(window.arranged, timeout=10_000):
        window.action("focus").trigger()
    with qtbot.waitSignal(window.arranged, timeout=10_000):
        window.action("intermediates").trigger()
    assert any(a["intermediate"] for a in window.controller.shown.nodes.values())


def test_loading_runs_in_a_worker_and_the_gui_stays_responsive(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: dict[str, Any] = {}

    def slow_open(
        host: str | None = None, context: TaskContext | None = None, **how: Any
    ) -> Opened:
        seen["thread"] = threading.current_thread()
        time.sleep(1.5)
        return open_default(host, context, **how)

    monkeypatch.setattr("fromscratch.core.session.opening.open_default", slow_open)
    ticks: list[float] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(20)
    window = opened(qtbot)
    timer.stop()
    assert seen["thread"] is not threading.main_thread()
    assert len(ticks) > 30  # the event loop kept turning while the load slept
    gaps = [b - a for a, b in itertools.pairwise(ticks)]
    assert max(gaps) < 0.5
    assert len(window.view.tree.nodes) == 22


def test_export_picture_and_graph(qtbot: QtBot, tmp_path: Path) -> None:
    window = opened(qtbot)
    png = export_picture(window.view, str(tmp_path / "v.png"), whole=False)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = export_picture(window.view, str(tmp_path / "t.svg"), whole=True)
    text = svg.read_text()
    assert "<svg" in text and "python:3-bookworm" in text
    # The first thing drawn is the page in the background colour (dark-theme text on no
    # background was unreadable): a rect at the origin, filled, before any card.
    first = re.search(r'<g fill="(#[0-9a-f]{6})"[^>]*>\s*<rect x="0" y="0" ', text)
    assert first is not None and first.group(1) == QColor(LIGHT.background).name()
    out = export_graph(window.controller.shown, str(tmp_path / "t.json"))
    assert len(json.loads(out.read_text())["nodes"]) == 22
    dot = export_graph(window.controller.shown, str(tmp_path / "t.dot"))
    assert dot.read_text().startswith("digraph")
    with pytest.raises(ValueError, match=r"use \.json, \.dot or \.graphml"):
        export_graph(window.controller.shown, str(tmp_path / "t.txt"))


def test_fit_and_whole_tree_export_frame_the_cards_after_any_jump(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """Centring a card near the edge grows the scene rect; the tree's own frame must not."""
    window = opened(qtbot)
    cards = QRectF()
    for item in window.view.tree.nodes.values():
        cards = cards.united(item.sceneBoundingRect())
    assert window.view.tree.tree_rect().contains(cards.adjusted(4, 4, -4, -4))
    before = window.view.tree.tree_rect()
    window.view.zoom(3.0)
    window.select_node(tag_id(window, "sapmachine:26-jdk-ubuntu"))  # the right edge
    window.view.jump_to("scratch")
    assert window.view.tree.sceneRect().height() > before.height() + 240  # it did grow
    assert window.view.tree.tree_rect() == before
    png = export_picture(window.view, str(tmp_path / "whole.png"), whole=True)
    image = QImage(str(png))
    framed = before.adjusted(-40, -40, 40, 40)
    assert image.width() / image.height() == pytest.approx(framed.width() / framed.height(), 0.01)


def test_dropping_a_file_opens_it(qtbot: QtBot, tmp_path: Path) -> None:
    window = opened(qtbot)
    path = save(load_sample(), tmp_path / "dropped.json.gz")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    with qtbot.waitSignal(window.arranged, timeout=10_000):
        window.files.eventFilter(window, event)  # what Qt hands the window's drop to
    assert window.controller.opened is not None and window.controller.opened.path == str(path)
    assert str(path) in window.status.source.text()
    assert window.files.recent_menu.actions()[0].text() == f"&1 {path}"  # Alt, O, R, 1


def test_first_run_gives_the_tree_the_width_until_a_selection_brings_the_details(
    qtbot: QtBot,
) -> None:
    window = opened(qtbot)  # fresh settings: a first run
    assert not window.panel.isVisible()
    width_alone = window.view.viewport().width()
    window.select_node(tag_id(window, "debian:12"))
    assert window.panel.isVisible()
    qtbot.waitUntil(lambda: window.view.viewport().width() < width_alone)
    window.panel.close()  # the user closes it: it stays closed
    window.select_node(tag_id(window, "alpine:3.24"))
    assert not window.panel.isVisible()
    assert window.panel.details is not None  # still filled, for when it is opened again
    window.panel.toggleViewAction().trigger()
    assert window.panel.isVisible()


def test_a_later_run_keeps_the_details_as_they_were_left(qtbot: QtBot) -> None:
    settings = make_settings()
    first = MainWindow(settings=settings)
    qtbot.addWidget(first)
    first.show()
    with qtbot.waitSignal(first.arranged, timeout=20_000):
        pass
    first.select_node(tag_id(first, "debian:12"))
    first.close()  # saves geometry and dock state
    again = MainWindow(settings=settings)
    qtbot.addWidget(again)
    again.show()
    with qtbot.waitSignal(again.arranged, timeout=20_000):
        pass
    assert again.panel.isVisible()  # restored as left, before any selection


def test_a_theme_change_keeps_the_selection(qtbot: QtBot) -> None:
    window = opened(qtbot)
    node = tag_id(window, "python:3-bookworm")
    window.select_node(node)
    window.set_theme("dark")  # every item takes the new colours, in place
    assert window.controller.selected == node
    assert window.view.tree.nodes[node].isSelected()
    assert window.panel.details is not None and window.panel.title.text() == "python:3-bookworm"
    card = window.view.tree.nodes[node]._brush.color()
    assert card.name() == QColor(DARK.card).name()
    assert window.view.backgroundBrush().color().name() == QColor(DARK.background).name()
    assert not window.view.tree.dimmed(node) and window.view.tree.dimmed(
        tag_id(window, "alpine:3.24")
    )
    window.set_theme("light")
    assert window.controller.selected == node
    assert window.view.tree.nodes[node]._brush.color().name() == QColor(LIGHT.card).name()


def test_a_theme_change_recolours_the_story_already_built(qtbot: QtBot) -> None:
    """Its caption is drawn in the theme's text colour: on the old background it was ~1.1:1."""
    window = opened(qtbot)
    window.set_theme("light")
    window.show_tab(1)
    window.set_theme("dark")
    assert window.kernel.scene.backgroundBrush().color().name() == QColor(DARK.background).name()
    window.set_theme("light")
    assert window.kernel.scene.backgroundBrush().color().name() == QColor(LIGHT.background).name()


def test_many_actions_in_any_order_raise_nothing(qtbot: QtBot) -> None:
    """A seeded monkey: selections, filters, collapses, tabs, presenting, themes, zoom,
    resizes and reloads interleaved; pytest-qt fails the test on an exception in any slot."""
    import random

    window = opened(qtbot)
    rng = random.Random(20261127)

    def any_node() -> None:
        if window.view.tree.nodes:
            window.select_node(rng.choice(list(window.view.tree.nodes)))

    def collapse() -> None:
        if window.view.tree.nodes:
            window.controller.toggle_collapse(rng.choice(list(window.view.tree.nodes)))

    actions = [
        any_node,
        any_node,
        window.clear_selection,
        collapse,
        window.controller.expand_all,
        window.action("dangling").trigger,
        window.action("intermediates").trigger,
        window.action("focus").trigger,
        lambda: window.show_tab(rng.choice([0, 1])),
        window.action("present").trigger,
        lambda: window.view.zoom(rng.choice([0.5, 0.8, 1.25, 2.0])),
        window.view.fit,
        lambda: window.set_theme(rng.choice(["light", "dark", "system"])),
        lambda: window.kernel.show_step(rng.randrange(8)),
        window.controller.reload,
        lambda: window.resize(rng.choice([800, 1024, 1600]), rng.choice([600, 768, 1024])),
        window.panel.toggleViewAction().trigger,
    ]
    for _ in range(150):
        rng.choice(actions)()
        qtbot.wait(5)
    with qtbot.waitSignal(window.arranged, timeout=20_000):
        window.controller.reload()
    assert window.view.tree.nodes  # still showing a tree


def tree_on_screen(window: MainWindow) -> QRectF:
    """Where the whole tree is drawn, in viewport pixels."""
    view = window.view
    return QRectF(view.mapFromScene(view.tree.tree_rect()).boundingRect())


def test_a_fitted_tree_is_fitted_again_when_its_viewport_changes(qtbot: QtBot) -> None:
    """The window resized, the details dock opened: the tree fits again, until the user zooms
    or pans; from then on the view stays where the user put it."""
    window = opened(qtbot)
    view = window.view
    window.panel.hide()
    qtbot.wait(50)
    view.fit(animated=False)
    assert view.fitted
    window.resize(900, 700)
    qtbot.waitUntil(lambda: window.width() == 900)
    qtbot.wait(50)
    whole = QRectF(view.viewport().rect())
    assert whole.contains(tree_on_screen(window)), (tree_on_screen(window), whole)
    window.panel.show()  # the dock takes width from the tree
    qtbot.wait(50)
    assert QRectF(view.viewport().rect()).contains(tree_on_screen(window))
    view.zoom(1.6)
    scale = view.scale_now()
    assert not view.fitted
    window.resize(1300, 850)
    qtbot.wait(50)
    assert view.scale_now() == scale  # the user's zoom is kept


def test_arrow_keys_walk_the_tree_from_the_selection(qtbot: QtBot) -> None:
    """With a card selected: Down to its parent, Up back to a child, Left/Right along the
    row, Enter shows the details, C collapses it; with none selected the arrows pan."""
    window = opened(qtbot)
    view, session = window.view, window.controller
    python = tag_id(window, "python:3-bookworm")
    window.select_node(python)
    parent = next(iter(session.shown.predecessors(python)))
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert session.selected == parent
    qtbot.keyClick(view, Qt.Key.Key_Up)
    assert session.selected in set(session.shown.successors(parent))
    here = session.selected
    qtbot.keyClick(view, Qt.Key.Key_Right)
    qtbot.keyClick(view, Qt.Key.Key_Left)
    assert session.selected == here or session.positions[here].x == max(
        p.x for n, p in session.positions.items() if p.level == session.positions[here].level
    )
    window.panel.hide()
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert window.panel.isVisible()
    qtbot.keyClick(view, Qt.Key.Key_C)
    qtbot.waitUntil(lambda: session.selected in session.tree_filter.collapsed)
    window.clear_selection()
    before = view.mapToScene(view.viewport().rect().center())
    qtbot.keyClick(view, Qt.Key.Key_Left)
    assert session.selected is None
    assert view.mapToScene(view.viewport().rect().center()) != before  # panned


def test_the_tree_shows_a_focus_ring_while_it_has_the_keys(qtbot: QtBot) -> None:
    from PySide6.QtGui import QColor

    from fromscratch.gui import palette
    from tests.gui.conftest import shown_window

    window = shown_window(qtbot)
    window.activateWindow()
    window.search.setFocus()
    qtbot.waitUntil(lambda: not window.view.hasFocus())
    assert not window.view.focus_ring

    def edge() -> QColor:
        picture = window.view.viewport().grab().toImage()
        return QColor(picture.pixel(1, picture.height() // 2))

    assert edge() != palette.IMAGE
    window.view.setFocus()
    qtbot.waitUntil(lambda: window.view.hasFocus())
    assert window.view.focus_ring
    assert edge() == palette.IMAGE  # drawn along the viewport's edge
    window.set_presenting(on=True, full_screen=False)
    assert not window.view.focus_ring  # none on a projector


def test_after_a_search_the_keys_go_to_the_tree_and_an_old_text_goes(qtbot: QtBot) -> None:
    """Tab after a search went into the dock; the box kept "myapi:0.3" beside another
    selection."""
    window = opened(qtbot)
    window.search.setFocus()
    qtbot.keyClicks(window.search, "python:3-bookworm")
    qtbot.keyClick(window.search, Qt.Key.Key_Return)
    assert window.view.hasFocus()
    found = window.controller.selected
    other = next(n for n in window.view.tree.nodes if n not in (found, "scratch"))
    window.select_node(other)  # elsewhere: a click, the arrows
    assert window.search.text() == ""
    window.search.setText("python:3-bookworm")
    window.select_node(found)  # the text names it: it stays
    assert window.search.text() == "python:3-bookworm"

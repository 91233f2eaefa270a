"""The window opens the sample offline in a worker, says so, and shows every image."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from fromscratch.core.formats.sample import load_sample
from fromscratch.core.formats.snapshot import save
from fromscratch.core.graph.records import SCRATCH_ID
from fromscratch.gui.window.mainwindow import MainWindow
from tests.gui.conftest import make_settings, shown_window


def test_offline_start_shows_the_sample_with_a_banner(qtbot: QtBot) -> None:
    window = MainWindow(settings=make_settings())
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.arranged, timeout=20_000):
        pass
    assert window.controller.opened is not None and window.controller.opened.kind == "sample"
    assert "sample data" in window.status.source.text()
    assert window.banner.isVisibleTo(window) and "No Docker engine" in window.banner.text.text()
    assert "File > Connect to engine…" in window.banner.text.text()  # not the CLI's flags
    assert "DOCKER_HOST" not in window.banner.text.text()
    ids = {i.id for i in load_sample().images}
    assert set(window.view.tree.nodes) == ids | {SCRATCH_ID}


def test_opening_a_file_and_a_bad_file(qtbot: QtBot, tmp_path: Path) -> None:
    good = save(load_sample(), tmp_path / "s.json.gz")
    window = MainWindow(str(good), settings=make_settings())
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.arranged, timeout=20_000):
        pass
    assert window.controller.opened is not None and window.controller.opened.kind == "snapshot"
    assert str(good) in window.status.source.text()
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": "fromscratch-snapshot", "version": 7}))
    with qtbot.waitSignal(window.loaded, timeout=20_000):
        window.controller.open_path(str(bad))
    assert "version: 7 is newer" in window.banner.text.text()
    assert len(window.view.tree.nodes) == 22  # the open work is kept


def test_save_snapshot_runs_in_a_worker_and_writes_the_file(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = MainWindow(settings=make_settings())
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.arranged, timeout=20_000):
        pass
    target = tmp_path / "saved.json.gz"
    monkeypatch.setattr(
        "PySide6.QtWidgets.QFileDialog.getSaveFileName", lambda *a, **k: (str(target), "")
    )
    window.files.choose_save()
    (task,) = window.files.saves
    with qtbot.waitSignal(task.signals.done, timeout=20_000):
        pass
    assert target.read_bytes()[:2] == b"\x1f\x8b"
    assert str(target) in window.statusBar().currentMessage()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a Linux desktop entry")
def test_file_menu_adds_the_app_to_the_applications_menu(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    window = MainWindow(settings=make_settings())
    qtbot.addWidget(window)
    action = next(a for a in window.actions() if a.text() == "Add to the &applications menu")
    action.trigger()
    entry = tmp_path / "applications" / "io.github.fromscratch.desktop"
    qtbot.waitUntil(lambda: "applications menu" in window.statusBar().currentMessage())
    assert entry.exists() and "Exec=" in entry.read_text()


def test_data_is_shown_as_text_never_as_html(qtbot: QtBot, tmp_path: Path) -> None:
    """Tags and paths come from files: `<img src=/dev/zero>` in one used to be rendered (it
    loads the file). Every place that shows them shows the characters."""
    from PySide6.QtCore import Qt

    from fromscratch.core.formats.inventory import Inventory
    from tests.core.helpers import child_of, digest, image, step

    hostile = '<img src="/dev/zero">:1'
    base = image("base:1", [digest("b")], [step("ADD b", 1)])
    evil = child_of(base, hostile, 1)
    folder = tmp_path / "<b>bold"
    folder.mkdir()
    path = save(Inventory((base, evil), source="<i>engine</i>"), folder / "s.json")
    window = MainWindow(str(path), settings=make_settings())
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.arranged, timeout=20_000):
        pass
    status = window.status.source
    assert status.textFormat() == Qt.TextFormat.PlainText and "<b>bold" in status.text()
    assert window.banner.text.textFormat() == Qt.TextFormat.PlainText
    window.select_node(evil.id)
    assert window.panel.title.textFormat() == Qt.TextFormat.PlainText
    assert window.panel.title.text() == hostile
    tooltip = window.view.tree.nodes[evil.id].toolTip()
    assert "<img" not in tooltip and "&lt;img" in tooltip
    assert "<img" not in window.panel.legend.text()


HOSTILE = [
    '<img src="/dev/zero">',
    '<a href="file:///etc/passwd">x</a>',
    "&amp;",
    "\u202egnp.exe",
    "line one\nline two",
    "<h1>hello</h1>",
]


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_strings_in_steps_tags_and_paths_stay_characters(
    qtbot: QtBot, tmp_path: Path, text: str
) -> None:
    """A build step, a tag and a file path holding markup, an entity, a right-to-left
    override or a newline: the title, the steps table and its tooltip, the card's tooltip, the
    recent-files menu all show the characters (a tooltip that looks like HTML is rendered as
    HTML by Qt, and `&` in a menu entry is a shortcut marker)."""
    from PySide6.QtCore import Qt

    from fromscratch.core.formats.inventory import Inventory
    from tests.core.helpers import digest, image, step

    tag = f"x{text}:1".replace("\n", " ")  # a newline in a tag is refused by engines
    base = image("base:1", [digest("b")], [step("ADD b", 1)])
    evil = image(tag, [digest("b"), digest("e")], [step("ADD b", 1), step(f"RUN {text}", 2)])
    folder = tmp_path / f"a&b {text[:8].replace('/', '_')}"
    folder.mkdir()
    path = save(Inventory((base, evil), source="s"), folder / "s.json")
    window = MainWindow(str(path), settings=make_settings())
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.arranged, timeout=20_000):
        pass
    window.select_node(evil.id)
    assert window.panel.title.textFormat() == Qt.TextFormat.PlainText
    assert window.panel.title.text() == tag
    table = window.panel.table
    cells = [table.item(r, 1) for r in range(table.rowCount())]
    (cell,) = [c for c in cells if c is not None and "RUN" in c.text()]
    tip = cell.toolTip()
    assert tip.startswith("<qt>") and "<img" not in tip and "<a " not in tip and "<h1" not in tip
    card = window.view.tree.nodes[evil.id].toolTip()
    assert "<img" not in card and "<a " not in card and "<h1" not in card
    (entry,) = [a for a in window.files.recent_menu.actions() if "s.json" in a.text()]
    assert entry.text() == "&1 " + str(path).replace("&", "&&")  # shown as the path's "a&b"
    # the search's completions hold the tag as it is (a list view draws plain text)
    completions = window.search.completer().completionModel()
    window.search.completer().setCompletionPrefix("x")
    shown = [completions.index(r, 0).data() for r in range(completions.rowCount())]
    assert tag in shown
    # the story's walk ends at the image: its caption says the tag as characters
    story = window.storyline
    walk = story.walk
    assert walk is not None and walk.chain[-1] == evil.id
    story.show_walk(len(walk.steps) - 1)
    assert story.caption.title.textFormat() == Qt.TextFormat.PlainText
    assert tag in story.caption.title.text() and tag in story.caption.text.text()
    # the kernel picture draws its boxes' labels with QPainter: characters, never markup
    window.show_tab(1)
    labels = [f"{b.text} {b.sub}" for b in window.kernel.scene.blocks.values()]
    assert any(tag in label for label in labels)
    window.grab()  # painted without trouble
    note = window.kernel.kernel_note.text()
    assert "<img" not in note and "<a " not in note and "<h1" not in note


def test_a_missing_file_says_so_and_the_window_is_not_empty(qtbot: QtBot, tmp_path: Path) -> None:
    """It used to leave an empty window that said "nothing loaded"."""
    missing = tmp_path / "images.json"
    window = MainWindow(str(missing), settings=make_settings())
    qtbot.addWidget(window)
    window.resize(1366, 768)  # a small first window would show the sample as an overview
    window.show()
    qtbot.waitUntil(lambda: len(window.view.tree.nodes) > 1, timeout=20_000)  # drawn
    text = window.banner.text.text()
    assert f"{missing}: no such file" in text and "Showing the bundled sample instead" in text
    opened = window.controller.opened
    assert opened is not None and opened.kind == "sample" and len(opened.graph) == 22
    assert window.controller.refused_file


def test_every_menu_item_has_its_own_mnemonic(qtbot: QtBot) -> None:
    """Alt and a letter reach every item (Export, Theme, Filters ... had none)."""
    import re

    from PySide6.QtWidgets import QMenu

    window = MainWindow(settings=make_settings())
    qtbot.addWidget(window)
    menus = [a.menu() for a in window.menuBar().actions() if a.menu() is not None]
    while menus:
        menu = menus.pop()
        assert isinstance(menu, QMenu)
        letters = []
        for action in menu.actions():
            if action.isSeparator():
                continue
            if action.menu() is not None:
                menus.append(action.menu())
            found = re.search(r"&([^&])", action.text())
            assert found, f"{menu.title()} > {action.text()}"
            letters.append(found.group(1).lower())
        assert len(letters) == len(set(letters)), (menu.title(), letters)


def test_details_left_open_behind_the_story_come_back_next_launch(qtbot: QtBot) -> None:
    """Quit on the story's tab (which hides the dock): the next launch showed no details."""
    settings = make_settings()
    window = shown_window(qtbot, settings)
    window.select_node(next(iter(window.view.tree.nodes)))
    assert window.panel.isVisible()
    window.show_tab(1)
    assert not window.panel.isVisible()
    window.close()
    again = shown_window(qtbot, settings)
    assert again.panel.isVisible()
    again.panel.hide()  # closed by the user on the tree's tab: stays closed
    again.close()
    third = shown_window(qtbot, settings)
    assert not third.panel.isVisible()


def test_a_disabled_control_looks_disabled_in_every_theme(qtbot: QtBot) -> None:
    """The themes set each colour for every state, so a disabled button (the story's last
    Next, Remove… on recorded data) looked like one that works."""
    from PySide6.QtGui import QPalette
    from PySide6.QtWidgets import QApplication

    window = MainWindow(settings=make_settings())
    qtbot.addWidget(window)
    for theme in ("light", "dark", "projector"):
        window.set_theme(theme, remember=False)
        palette = QApplication.palette()
        role = QPalette.ColorRole.ButtonText
        enabled = palette.color(QPalette.ColorGroup.Active, role)
        assert palette.color(QPalette.ColorGroup.Disabled, role) != enabled, theme

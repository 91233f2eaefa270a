"""Help for the newcomer: F1, the legend in the theme's colours (also from a button beside the
search box), the keys, every way a parent is found, and a hint on the first launch only."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from fromscratch.core.graph.records import EdgeMethod
from fromscratch.gui import palette
from fromscratch.gui.window.help import FIRST_RUN_HINT
from fromscratch.gui.window.mainwindow import MainWindow
from tests.gui.conftest import make_settings, shown_window


def test_f1_opens_help_with_the_legend_in_the_themes_colours(qtbot: QtBot) -> None:
    window = shown_window(qtbot)
    qtbot.keyClick(window, Qt.Key.Key_F1)
    dialog = window.helper.dialog
    assert dialog is not None and dialog.isVisible()
    assert "FROM ubuntu" in dialog.pages["why"].toPlainText()
    legend = dialog.pages["legend"].toHtml().lower()
    for colour in (palette.BASE, palette.IMAGE, palette.VIRTUAL, palette.SCRATCH):
        assert colour.name().lower() in legend
    methods = dialog.pages["methods"].toPlainText()
    assert all(method.value in methods for method in EdgeMethod)
    assert "Page Down" in dialog.pages["keys"].toPlainText()
    dialog.close()
    button = next(
        a for a in window.findChildren(type(window.action("home"))) if a.text() == "Legend"
    )
    button.trigger()
    assert dialog.isVisible() and dialog.tabs.currentWidget() is dialog.pages["legend"]
    window.set_theme("dark")  # the legend follows the theme
    button.trigger()
    assert palette.BASE.name().lower() in dialog.pages["legend"].toHtml().lower()
    window.set_theme("light")


def test_the_first_launch_hint_is_shown_once(qtbot: QtBot) -> None:
    settings = make_settings()
    first = shown_window(qtbot, settings)
    assert first.statusBar().currentMessage() == FIRST_RUN_HINT
    first.close()
    second = shown_window(qtbot, settings)
    assert second.statusBar().currentMessage() != FIRST_RUN_HINT


def test_the_hint_waits_rather_than_hide_a_message(qtbot: QtBot) -> None:
    settings = make_settings()
    window = MainWindow(settings=settings)
    qtbot.addWidget(window)
    window.statusBar().showMessage("Added to the applications menu", 20_000)
    window.show()
    with qtbot.waitSignal(window.arranged, timeout=20_000):
        pass
    assert window.statusBar().currentMessage() == "Added to the applications menu"
    assert not settings.value("hinted", False, type=bool)  # it is shown next time


def test_the_legend_says_what_cards_show_and_no_more(qtbot: QtBot) -> None:
    """It promised each card's own bytes "in brackets"; no card shows brackets. Every kind of
    dashed card it explains is in the words the cards use."""
    from fromscratch.core.graph.records import STAND_INS
    from fromscratch.gui.window.help import HelpDialog

    dialog = HelpDialog(None)
    qtbot.addWidget(dialog)
    legend = dialog.pages["legend"].toPlainText()
    assert "bracket" not in legend
    for what, more in STAND_INS.items():
        assert f'"{what} ({more})"' in legend
    window = shown_window(qtbot)
    cards = [item.subtitle for item in window.view.tree.nodes.values()]
    assert not any("(" in text and "B (" in text for text in cards)  # no bracketed figures


def test_the_keys_page_holds_every_shortcut_the_window_binds(qtbot: QtBot) -> None:
    """The Keys page is made from the menus' table: every shortcut of every action and
    shortcut object of the window is on it, with what it does (a key added anywhere else,
    or changed, without the table fails here)."""
    from PySide6.QtGui import QAction, QKeySequence, QShortcut

    from fromscratch.gui.window.help import page_text
    from fromscratch.gui.window.keys import VIEW_KEYS, key_names

    window = shown_window(qtbot)
    page = page_text("keys")
    rows = {line.split(" | ")[1] for line in page.splitlines() if line.startswith("| ")}
    bound = [
        sequence.toString(QKeySequence.SequenceFormat.NativeText)
        for action in window.findChildren(QAction)
        for sequence in action.shortcuts()
    ]
    bound += [
        s.key().toString(QKeySequence.SequenceFormat.NativeText)
        for s in window.findChildren(QShortcut)
    ]
    assert bound
    for key in bound:
        assert any(key in key_names(row) for row in rows), key
    for row in VIEW_KEYS:
        assert f"| {row.where} | {row.keys} | {row.does} |" in page
    assert "| anywhere | F11 | presentation mode (Esc or F11 leaves) |" in page

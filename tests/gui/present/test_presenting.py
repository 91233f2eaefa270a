"""Presentation picks the projector theme (white, black text, thick strokes, vermillion for
inferred bases) unless the user picked a theme, and gives the window's theme back after."""

from __future__ import annotations

from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from fromscratch.gui import palette
from fromscratch.gui.theme import DARK, LIGHT, PROJECTOR
from tests.gui.conftest import shown_window


def test_presenting_uses_the_projector_theme_unless_one_was_picked(qtbot: QtBot) -> None:
    window = shown_window(qtbot)
    window.set_theme("system")
    before = palette.BACKGROUND.name()
    card = next(iter(window.view.tree.nodes.values()))
    thin = card._pen.widthF()
    window.set_presenting(on=True, full_screen=False)
    assert palette.BACKGROUND.name() == QColor(PROJECTOR.background).name()
    assert palette.VIRTUAL.name() == QColor(PROJECTOR.virtual).name()
    assert card._pen.widthF() == 2 * thin  # thick strokes for the back row
    assert window.theme_actions["projector"].isChecked()
    window.set_presenting(on=False)
    assert palette.BACKGROUND.name() == before and card._pen.widthF() == thin
    assert window.settings.value("theme") == "system"  # nothing saved by presenting

    window.set_theme("dark")  # a theme the user picked stays
    window.set_presenting(on=True, full_screen=False)
    assert palette.BACKGROUND.name() == QColor(DARK.background).name()
    window.set_presenting(on=False)
    window.set_theme("light")
    assert palette.BACKGROUND.name() == QColor(LIGHT.background).name()

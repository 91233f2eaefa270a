"""Presenting, a still, held left button shows a spotlight that follows the pointer; a drag
stays a drag; letting go ends it; outside presentation nothing of it happens."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from fromscratch.gui.present.spotlight import HOLD_MS
from tests.gui.conftest import shown_window


def mouse(widget, kind, point: QPoint, buttons=Qt.MouseButton.LeftButton) -> None:  # type: ignore[no-untyped-def]
    position = QPointF(point)
    event = QMouseEvent(
        kind,
        position,
        QPointF(widget.mapToGlobal(point)),
        Qt.MouseButton.LeftButton
        if kind != QMouseEvent.Type.MouseMove
        else Qt.MouseButton.NoButton,
        buttons,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(widget, event)


def test_a_held_button_shows_a_spotlight_that_follows_and_goes(qtbot: QtBot) -> None:
    window = shown_window(qtbot)
    window.set_presenting(on=True, full_screen=False)
    qtbot.wait(50)  # the bars go: the layout settles
    light = window.presenter.spotlight.light
    target = window.view.viewport()
    mouse(target, QMouseEvent.Type.MouseButtonPress, QPoint(50, 40))
    qtbot.waitUntil(light.isVisible, timeout=HOLD_MS * 4)
    assert light.geometry() == window.rect()
    start = light.centre
    mouse(target, QMouseEvent.Type.MouseMove, QPoint(120, 90))
    assert light.centre - start == QPointF(70, 50)  # it follows the pointer
    mouse(target, QMouseEvent.Type.MouseButtonRelease, QPoint(120, 90), Qt.MouseButton.NoButton)
    assert not light.isVisible()
    # light.radius is a share of the height: the same on a laptop and on a 4K projector
    assert light.radius == window.height() / 7


def test_a_drag_is_not_a_hold_and_not_presenting_is_never(qtbot: QtBot) -> None:
    window = shown_window(qtbot)
    light = window.presenter.spotlight.light
    target = window.view.viewport()
    mouse(target, QMouseEvent.Type.MouseButtonPress, QPoint(50, 40))
    qtbot.wait(HOLD_MS * 2)
    assert not light.isVisible()  # not presenting
    mouse(target, QMouseEvent.Type.MouseButtonRelease, QPoint(50, 40), Qt.MouseButton.NoButton)
    window.set_presenting(on=True, full_screen=False)
    mouse(target, QMouseEvent.Type.MouseButtonPress, QPoint(50, 40))
    mouse(target, QMouseEvent.Type.MouseMove, QPoint(90, 40))  # moving at once: a drag
    qtbot.wait(HOLD_MS * 2)
    assert not light.isVisible()
    mouse(target, QMouseEvent.Type.MouseButtonRelease, QPoint(90, 40), Qt.MouseButton.NoButton)

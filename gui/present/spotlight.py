"""Presenting: holding the left mouse button still for a moment shows a spotlight, a bright
circle around the pointer on a dimmed screen, that follows the pointer until the button is
let go (what presentation programs offer to point at one thing for a room).

A press that moves at once stays a drag (the tree pans) or a click: the spotlight waits for a
still, held button."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPainterPath, QPaintEvent
from PySide6.QtWidgets import QApplication, QWidget

HOLD_MS = 350
"""How long the button must be held still."""
STILL_PX = 6
RADIUS_OF_HEIGHT = 1 / 7
"""The circle's radius, of the window's height: the same share on a laptop and at 4K."""


class Spotlight(QWidget):
    """The dimmed cover with its hole; mouse events pass through it."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.centre = QPointF()
        self.hide()

    @property
    def radius(self) -> float:
        return self.height() * RADIUS_OF_HEIGHT

    def follow(self, point: QPointF) -> None:
        self.centre = point
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        cover = QPainterPath()
        cover.setFillRule(Qt.FillRule.OddEvenFill)
        cover.addRect(QRectF(self.rect()))
        r = self.radius
        cover.addEllipse(self.centre, r, r)
        painter.fillPath(cover, QColor(0, 0, 0, 170))


class SpotlightHolder(QObject):
    """Watches the application's mouse while `on`; shows the spotlight over `window`."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        self._light: Spotlight | None = None
        self.on = False
        self._press: QPointF | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(HOLD_MS)
        self._timer.timeout.connect(self._show)

    @property
    def light(self) -> Spotlight:
        """The cover, made the first time it is shown or asked for."""
        if self._light is None:
            self._light = Spotlight(self.window)
        return self._light

    def set_on(self, *, on: bool) -> None:
        app = QApplication.instance()
        if on == self.on or app is None:
            return
        self.on = on
        if on:
            app.installEventFilter(self)
        else:
            app.removeEventFilter(self)
            self._timer.stop()
            if self._light is not None:
                self._light.hide()

    def _show(self) -> None:
        if self._press is None:
            return
        self.light.setGeometry(self.window.rect())
        self.light.follow(self._press)
        self.light.show()
        self.light.raise_()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if not isinstance(event, QMouseEvent) or kind not in (
            QEvent.Type.MouseButtonPress,
            QEvent.Type.MouseMove,
            QEvent.Type.MouseButtonRelease,
        ):
            return False
        point = self.window.mapFromGlobal(event.globalPosition())
        if kind == QEvent.Type.MouseButtonPress and event.button() == Qt.MouseButton.LeftButton:
            self._press = point
            self._timer.start()
            return False
        visible = self._light is not None and self._light.isVisible()
        if kind == QEvent.Type.MouseMove and visible:
            self.light.follow(point)
            return True  # the pointer is pointing: nothing under it pans or drags
        if kind == QEvent.Type.MouseMove and self._press is not None:
            if (point - self._press).manhattanLength() > STILL_PX:
                self._timer.stop()  # a drag, not a hold
                self._press = None
            return False
        if kind == QEvent.Type.MouseButtonRelease and event.button() == Qt.MouseButton.LeftButton:
            self._timer.stop()
            self._press = None
            if visible:
                self.light.hide()
                return True
        return False

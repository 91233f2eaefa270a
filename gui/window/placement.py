"""Where the window goes: a first launch fits the screen it opens on, a saved geometry is
restored and, when it no longer fits (a smaller screen, a projector), shrunk and moved onto it.

The arithmetic is plain (`first_geometry`, `fitted`) so it is tested at every screen size
without a screen.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtGui import QCursor, QGuiApplication
from PySide6.QtWidgets import QWidget

DEFAULT_SIZE = QSize(1600, 1000)
"""The first launch's size on a screen with room for it."""
FIRST_SHARE = 0.95
"""On a smaller screen, this share of its free area inside the frame."""
FRAME = QSize(16, 40)
"""What a window manager adds around a window at most: 8 px borders, a 32 px title bar."""


def inside_frame(available: QRect) -> QRect:
    """Where the window's own area may go so that its frame stays on the screen."""
    side, bottom = FRAME.width() // 2, 8
    return available.adjusted(side, FRAME.height() - bottom, -side, -bottom)


def first_geometry(available: QRect) -> QRect:
    """A first launch's window: the default size, or what fits, centred."""
    inner = inside_frame(available)
    width = min(DEFAULT_SIZE.width(), int(inner.width() * FIRST_SHARE))
    height = min(DEFAULT_SIZE.height(), int(inner.height() * FIRST_SHARE))
    rect = QRect(0, 0, width, height)
    rect.moveCenter(inner.center())
    return rect


def fitted(geometry: QRect, available: QRect) -> QRect:
    """`geometry` shrunk to the free area (its frame included) and moved fully onto it."""
    inner = inside_frame(available)
    size = geometry.size().boundedTo(inner.size())
    left = min(max(geometry.left(), inner.left()), inner.right() - size.width() + 1)
    top = min(max(geometry.top(), inner.top()), inner.bottom() - size.height() + 1)
    return QRect(QPoint(left, top), size)


def available_area(window: QWidget) -> QRect:
    """The free area of the screen the window is on, or, before it is shown, of the screen
    under the mouse (where the user is looking), else the primary one."""
    screen = window.screen() if window.isVisible() else None
    if screen is None:
        screen = QGuiApplication.screenAt(QCursor.pos()) or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else QRect(0, 0, 1600, 1000)


def place(window: QWidget, *, restored: bool) -> None:
    """A first launch fits the screen; a restored geometry is kept while it fits."""
    available = available_area(window)
    if not restored:
        window.setGeometry(first_geometry(available))
        return
    want = fitted(window.geometry(), available)
    if want != window.geometry():
        window.setGeometry(want)

"""Where the window goes, as arithmetic: a first launch fits every screen people have; a saved
geometry that no longer fits is shrunk and moved onto the screen, one that fits is kept."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect

from fromscratch.gui.window.placement import DEFAULT_SIZE, FRAME, first_geometry, fitted


def framed(window: QRect) -> QRect:
    """The window with the largest frame a window manager adds (8 px sides, 32 px title)."""
    return window.adjusted(-FRAME.width() // 2, -FRAME.height() + 8, FRAME.width() // 2, 8)


SCREENS = [QRect(0, 0, 1366, 768), QRect(0, 0, 1024, 768), QRect(0, 0, 800, 600),
           QRect(0, 0, 1280, 800), QRect(0, 0, 3840, 2160), QRect(1920, 0, 1366, 768)]  # fmt: skip


@pytest.mark.parametrize("screen", SCREENS, ids=lambda r: f"{r.width()}x{r.height()}+{r.x()}")
def test_a_first_launch_fits_with_room_for_the_frame(screen: QRect) -> None:
    window = first_geometry(screen)
    assert screen.contains(framed(window)), (window, screen)
    assert window.width() <= DEFAULT_SIZE.width() and window.height() <= DEFAULT_SIZE.height()
    assert window.width() >= min(DEFAULT_SIZE.width(), int(screen.width() * 0.9))


@pytest.mark.parametrize("screen", SCREENS, ids=lambda r: f"{r.width()}x{r.height()}+{r.x()}")
def test_a_saved_geometry_too_big_or_off_screen_is_brought_back(screen: QRect) -> None:
    for saved in (QRect(0, 0, 1900, 1100), QRect(-500, 900, 800, 500), QRect(5000, 40, 700, 500)):
        got = fitted(saved, screen)
        assert screen.contains(framed(got)), (saved, got, screen)
        assert got.width() <= screen.width() - FRAME.width()
        assert got.height() <= screen.height() - FRAME.height()


def test_a_saved_geometry_that_fits_is_kept() -> None:
    saved = QRect(100, 80, 900, 600)
    assert fitted(saved, QRect(0, 0, 1366, 768)) == saved

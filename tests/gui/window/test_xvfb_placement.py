"""Real windows on real X servers (Xvfb) with a window manager (openbox), at the screen sizes
people have: a first launch fits the screen, a saved geometry is restored, one larger than the
screen is shrunk onto it. The picture `--screenshot` takes is the window itself, so its size is
the window's.

Skips without Xvfb or openbox unless FROMSCRATCH_REQUIRE_XVFB=1 (as `.ci/run` sets).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QImage

from tests.gui.conftest import app_process, x_screen

pytestmark = pytest.mark.system


def window_size(tmp_path: Path, display: str, *args: str) -> tuple[int, int]:
    """The size of the app's window as it comes up (no --size): its screenshot's."""
    out = tmp_path / "shot.png"
    done = app_process(
        tmp_path,
        *("-m", "fromscratch", "--screenshot", str(out), *args),
        DISPLAY=display,
        QT_QPA_PLATFORM="xcb",
    )
    assert done.returncode == 0, done.stderr
    image = QImage(str(out))
    return image.width(), image.height()


CLOSE_AT = """
import sys
from PySide6.QtCore import QRect, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QWidget

app = QApplication([])
app.setOrganizationName("fromscratch")
app.setApplicationName("fromscratch")
window = QWidget()
window.setGeometry(QRect(*map(int, sys.argv[1:5])))
window.show()


def close() -> None:
    QSettings().setValue("geometry", window.saveGeometry())  # as MainWindow.closeEvent does
    app.quit()


QTimer.singleShot(500, close)
app.exec()
"""


def close_window_at(tmp_path: Path, display: str, rect: QRect) -> None:
    """What a real window closed at `rect` on `display` leaves in the user's settings."""
    done = app_process(
        tmp_path,
        *("-c", CLOSE_AT, *map(str, (rect.x(), rect.y(), rect.width(), rect.height()))),
        DISPLAY=display,
        QT_QPA_PLATFORM="xcb",
    )
    assert done.returncode == 0, done.stderr


SCREENS = [(1366, 768), (1024, 768), (800, 600)]


@pytest.mark.parametrize("screen", SCREENS, ids=lambda s: f"{s[0]}x{s[1]}")
def test_a_first_launch_fits_the_screen(screen: tuple[int, int], tmp_path: Path) -> None:
    width, height = screen
    with x_screen(width, height) as display:
        got = window_size(tmp_path, display)
    # Room for openbox's frame (borders and title bar), and not a small window either.
    assert got[0] <= width - 16 and got[1] <= height - 40, got
    assert got[0] >= 0.85 * width and got[1] >= 0.8 * height, got


def test_a_saved_geometry_is_restored(tmp_path: Path) -> None:
    with x_screen(1366, 768) as display:
        close_window_at(tmp_path, display, QRect(60, 70, 1000, 620))
        assert window_size(tmp_path, display) == (1000, 620)


def test_a_saved_geometry_larger_than_the_screen_is_shrunk(tmp_path: Path) -> None:
    """Saved on a large monitor, opened on a 1024x768 projector."""
    with x_screen(1920, 1080) as display:
        close_window_at(tmp_path, display, QRect(60, 40, 1800, 1000))
        assert window_size(tmp_path, display) == (1800, 1000)
    with x_screen(1024, 768) as display:
        got = window_size(tmp_path, display)
    assert got[0] <= 1024 - 16 and got[1] <= 768 - 40, got


def test_a_screenshot_changes_no_setting(tmp_path: Path) -> None:
    """`--screenshot --theme dark` draws dark and leaves the user's choice as it was."""
    path = tmp_path / "config" / "fromscratch" / "fromscratch.conf"
    path.parent.mkdir(parents=True)
    path.write_text("[General]\ntheme=light\n")
    before = path.read_bytes()
    done = app_process(
        tmp_path,
        *("-m", "fromscratch", "--screenshot", str(tmp_path / "s.png"), "--theme", "dark"),
    )
    assert done.returncode == 0, done.stderr
    assert path.read_bytes() == before

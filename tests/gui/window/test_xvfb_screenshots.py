"""A real window on a real X server (Xvfb): `fromscratch --screenshot` at two sizes.

Skips without Xvfb unless FROMSCRATCH_REQUIRE_XVFB=1 (as `.ci/run` sets), then it fails.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage

from fromscratch.gui.theme import LIGHT
from tests.gui.conftest import app_process, x_screen

pytestmark = pytest.mark.system


@pytest.fixture(scope="module")
def display() -> Iterator[str]:
    with x_screen(1920, 1080, manager=False) as number:
        yield number


def shoot(display: str, tmp_path: Path, size: str, *args: str) -> QImage:
    """`fromscratch --screenshot` in a real window on Xvfb, offline, light theme."""
    out = tmp_path / "shot.png"
    done = app_process(
        tmp_path,
        *("-m", "fromscratch", "--screenshot", str(out), "--size", size, "--theme", "light"),
        *args,
        DISPLAY=display,
        QT_QPA_PLATFORM="xcb",
    )
    assert done.returncode == 0, done.stderr
    image = QImage(str(out))
    width, height = (int(v) for v in size.split("x"))
    assert (image.width(), image.height()) == (width, height)
    return image


def colours_of(image: QImage, step: int) -> set[int]:
    return {
        image.pixel(x, y)
        for x in range(0, image.width(), step)
        for y in range(0, image.height(), step)
    }


@pytest.mark.parametrize("size", ["1920x1080", "1024x768"])
def test_real_window_screenshot(display: str, size: str, tmp_path: Path) -> None:
    image = shoot(display, tmp_path, size, "--select", "python:3-bookworm")
    # Real content: the light tree background, and many colours (text, cards, chart).
    colours = colours_of(image, 7)
    assert len(colours) > 40
    background = QColor(LIGHT.background).rgb()
    assert sum(1 for c in colours if c == background) == 1


@pytest.mark.parametrize("step", range(1, 9))
def test_kernel_view_steps_on_a_real_window(display: str, step: int, tmp_path: Path) -> None:
    image = shoot(display, tmp_path, "1920x1080", "--view", "kernel", "--step", str(step))
    colours = colours_of(image, 6)
    kernel_orange = QColor("#D55E00")
    # The picture has the host kernel (orange) from step 3 on, VMs' guest kernels before.
    assert any(
        abs(QColor(c).hue() - kernel_orange.hue()) < 8 and QColor(c).saturation() > 150
        for c in colours
    )
    assert len(colours) > 30


@pytest.mark.parametrize("size", [(1024, 768), (3840, 2160)])
def test_presenting_full_screen_every_text_is_a_thirtieth_of_the_screen(
    size: tuple[int, int], tmp_path: Path
) -> None:
    """A real full-screen window (openbox), the whole story on both tabs: measured from the
    fonts the labels and the painted items used (tests.gui.legibility); then B blanks it;
    then Ctrl+3 shows the disk rings, measured likewise."""
    import json

    with x_screen(*size, manager=True) as number:
        done = app_process(
            tmp_path,
            *("-m", "tests.gui.legibility", str(tmp_path)),
            DISPLAY=number,
            QT_QPA_PLATFORM="xcb",
        )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["window"] == list(size) == report["screen"]  # full screen
    assert report["steps"] > 8  # the kernel story and the walk up the tree
    assert report["measured"] > 10 * report["steps"]
    assert report["small"] == []
    assert report["blank"] == [True, True, True]  # B blacks the screen out, `.` ends it
    # Ctrl+3, presenting: the rings' caption and the labels whole at 1/30 (names that do not
    # fit whole are left out, never cut: a few at 1024x768)
    assert report["disk_measured"] >= 3

"""GUI tests run offscreen, with no engine reachable and a private cache folder."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings

from tests.support.tools import need

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def offline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path}/no-engine.sock")
    monkeypatch.setenv("FROMSCRATCH_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture(autouse=True)
def system_theme() -> Iterator[None]:
    """The application's theme and the presenting class floors are process-wide: a test
    that ends presenting leaves neither to the next one."""
    yield
    from PySide6.QtWidgets import QApplication

    from fromscratch.gui.theme import activate, resolve
    from fromscratch.gui.tree.items import NodeItem

    NodeItem.min_px = 0
    app = QApplication.instance()
    if isinstance(app, QApplication):
        activate(app, resolve("system"))


@pytest.fixture(autouse=True)
def no_task_outlives_its_test() -> Iterator[None]:
    """The next test starts with the pool's two threads free: tasks a closed window left
    running (figures of hundreds of images ...) delayed the next test's own load by seconds
    on a busy CI machine."""
    yield
    from PySide6.QtCore import QThreadPool

    QThreadPool.globalInstance().waitForDone(20_000)


@pytest.fixture(autouse=True, scope="session")
def no_task_outlives_the_tests() -> Iterator[None]:
    """Tasks of windows the tests closed (disk figures of hundreds of images ...) are waited
    for before the interpreter exits: one still running would emit into deleted objects."""
    yield
    from PySide6.QtCore import QThreadPool

    QThreadPool.globalInstance().waitForDone(30_000)


_counter = [0]
_SETTINGS = tempfile.TemporaryDirectory(prefix="fs-settings-")
"""Every window's settings file lives here; the folder goes when the test process ends."""


def make_settings() -> QSettings:
    """A private, empty settings file per window (tests never share or keep preferences)."""
    _counter[0] += 1
    path = Path(_SETTINGS.name) / f"s{_counter[0]}.ini"
    return QSettings(str(path), QSettings.Format.IniFormat)


REPO = Path(__file__).parents[2]


def app_process(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """`python ARGS` in a fresh process as a user starts the app: offscreen unless `env` says
    otherwise, no engine, private cache and settings."""
    return subprocess.run(
        [sys.executable, *args],
        env={
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "DOCKER_HOST": f"unix://{tmp_path}/none.sock",
            "FROMSCRATCH_CACHE_DIR": str(tmp_path),
            "XDG_CONFIG_HOME": str(tmp_path / "config"),
            **env,
        },
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@contextmanager
def x_screen(width: int, height: int, *, manager: bool = True) -> Iterator[str]:
    """An Xvfb screen of this size, with openbox managing its windows unless `manager` is
    False; yields the DISPLAY. Skips without them (fails with FROMSCRATCH_REQUIRE_XVFB=1)."""
    need("Xvfb")
    if manager:
        need("openbox")
    number = 90 + os.getpid() % 50
    while Path(f"/tmp/.X11-unix/X{number}").exists():  # another server's: take the next
        number += 1
    server = subprocess.Popen(
        ["Xvfb", f":{number}", "-screen", "0", f"{width}x{height}x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    window_manager: subprocess.Popen[bytes] | None = None
    try:
        deadline = time.monotonic() + 10
        while not Path(f"/tmp/.X11-unix/X{number}").exists():
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"Xvfb :{number} did not start")
            time.sleep(0.05)
        if manager:
            window_manager = subprocess.Popen(
                ["openbox", "--sm-disable"],
                env={**os.environ, "DISPLAY": f":{number}"},
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            time.sleep(0.5)  # openbox takes the screen before the window maps
        yield f":{number}"
    finally:
        if window_manager is not None:
            window_manager.terminate()
            window_manager.wait(10)
        server.terminate()
        server.wait(10)


def shown_window(qtbot: Any, settings: QSettings | None = None) -> Any:
    """The main window, shown, after its first tree is on screen (no engine: the sample)."""
    from fromscratch.gui.window.mainwindow import MainWindow

    window = MainWindow(settings=settings or make_settings())
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.arranged, timeout=20_000):
        pass
    return window


def text_px(widget: Any) -> int:
    """The pixel height a widget's text is drawn at (its font may be set in points or
    pixels)."""
    from PySide6.QtGui import QFontInfo

    return int(QFontInfo(widget.font()).pixelSize())

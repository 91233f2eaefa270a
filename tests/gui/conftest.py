"""GUI tests run offscreen, with no engine reachable and a private cache folder."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def offline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path}/no-engine.sock")
    monkeypatch.setenv("FROMSCRATCH_CACHE_DIR", str(tmp_path / "cache"))


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

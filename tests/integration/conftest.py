"""The integration session starts its own dockerd (private socket and data root) and stops it.

Without dockerd, root, or the privileges dockerd needs (an unprivileged container's root),
these tests skip with the reason; with FROMSCRATCH_REQUIRE_DOCKER=1 (as CI sets) they fail
instead, so a missing engine can never pass for a green run. A daemon that cannot start, or a
set-up that fails half-way, leaves no process and no folder behind.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from fromscratch.testing.dockerd import (
    Dockerd,
    DockerdUnavailable,
    start_dockerd,
    unavailable_reason,
)
from tests.integration.scenarios import build_zoo


def _require() -> bool:
    return os.environ.get("FROMSCRATCH_REQUIRE_DOCKER", "") not in ("", "0")


def _cannot(reason: str) -> None:
    if _require():
        pytest.fail(f"FROMSCRATCH_REQUIRE_DOCKER=1 but {reason}")
    pytest.skip(reason)


def _why(log: str) -> str:
    """The line of dockerd's log that says why it stopped (its last error), shortened."""
    lines = [line for line in log.splitlines() if line.strip()]
    errors = [line for line in lines if "level=error" in line or "failed" in line.lower()]
    line = (errors or lines or ["no log"])[-1]
    message = re.search(r'msg="((?:[^"\\]|\\.)*)"', line)
    return (message.group(1) if message else line)[:300]


@contextmanager
def private_dockerd() -> Iterator[Dockerd]:
    """A daemon of the test's own, stopped and deleted however the test (or its set-up) ends;
    a skip (or, in CI, a failure) with the reason when none can run here."""
    reason = unavailable_reason()
    if reason is not None:
        _cannot(reason)
    try:
        daemon = start_dockerd()
    except DockerdUnavailable as exc:
        _cannot(f"a private dockerd cannot run here: {_why(str(exc))}")
        raise  # not reached: _cannot skips or fails
    try:
        yield daemon
    finally:
        daemon.stop()


@pytest.fixture(scope="session")
def dockerd() -> Iterator[Dockerd]:
    with private_dockerd() as daemon:
        yield daemon


@pytest.fixture(scope="session")
def zoo(dockerd: Dockerd) -> dict[str, str]:
    """Every lineage case built once per session; expected parent by tag."""
    return build_zoo(dockerd)


@pytest.fixture
def engine_window(
    qtbot: Any,
    dockerd: Dockerd,
    zoo: dict[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Any:
    """The main window opened on the test engine (offscreen), after its first arrangement."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from fromscratch.gui.mainwindow import MainWindow
    from tests.gui.conftest import make_settings

    monkeypatch.setenv("DOCKER_HOST", dockerd.url)
    monkeypatch.setenv("FROMSCRATCH_CACHE_DIR", str(tmp_path))
    window = MainWindow(settings=make_settings())
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.arranged, timeout=30_000):
        pass
    return window

"""The integration session starts its own engines (private socket and data root) and stops them:
the host's dockerd for every test, and for the lineage tests also Docker 28 (containerd image
store, overlay2) and Podman 5 from a Debian sid root (tests.support.dockerd).

Without dockerd, root, or the privileges dockerd needs (an unprivileged container's root),
these tests skip with the reason; with FROMSCRATCH_REQUIRE_DOCKER=1 (as CI sets) they fail
instead, so a missing engine can never pass for a green run. A daemon that cannot start, or a
set-up that fails half-way, leaves no process and no folder behind.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.integration.scenarios import build_zoo
from tests.support.dockerd import (
    Dockerd,
    DockerdUnavailable,
    EngineKind,
    start_dockerd,
    unavailable_reason,
)


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
def private_dockerd(kind: EngineKind = EngineKind.DOCKER_HOST) -> Iterator[Dockerd]:
    """A daemon of the test's own, stopped and deleted however the test (or its set-up) ends;
    a skip (or, in CI, a failure) with the reason when none can run here."""
    reason = unavailable_reason(kind)
    if reason is not None:
        _cannot(reason)
    try:
        daemon = start_dockerd(kind)
    except DockerdUnavailable as exc:
        _cannot(f"a private {kind.value} engine cannot run here: {_why(str(exc))}")
        raise  # not reached: _cannot skips or fails
    try:
        yield daemon
    finally:
        daemon.stop()


class Engines:
    """The session's engines, each started (and its zoo built) the first time a test asks."""

    def __init__(self, stack: ExitStack) -> None:
        self.stack = stack
        self.daemons: dict[EngineKind, Dockerd] = {}
        self.zoos: dict[EngineKind, dict[str, str]] = {}

    def daemon(self, kind: EngineKind) -> Dockerd:
        if kind not in self.daemons:
            self.daemons[kind] = self.stack.enter_context(private_dockerd(kind))
        return self.daemons[kind]

    def zoo(self, kind: EngineKind) -> dict[str, str]:
        if kind not in self.zoos:
            self.zoos[kind] = build_zoo(self.daemon(kind))
        return self.zoos[kind]


@pytest.fixture(scope="session")
def engines() -> Iterator[Engines]:
    with ExitStack() as stack:
        yield Engines(stack)


@pytest.fixture(scope="session")
def dockerd(engines: Engines) -> Dockerd:
    """The host's own dockerd (Debian 12: Docker 20.10)."""
    return engines.daemon(EngineKind.DOCKER_HOST)


@pytest.fixture(scope="session")
def zoo(engines: Engines, dockerd: Dockerd) -> dict[str, str]:
    """Every lineage case built once per session; expected parent by tag."""
    return engines.zoo(EngineKind.DOCKER_HOST)


@pytest.fixture(scope="session", params=list(EngineKind), ids=lambda kind: kind.value)
def engine(request: pytest.FixtureRequest, engines: Engines) -> Dockerd:
    """Each engine people run today in turn: Docker 20.10 (the host's), Docker 28 with the
    containerd image store and with overlay2, Podman 5 (engines-today)."""
    kind: EngineKind = request.param
    return engines.daemon(kind)


@pytest.fixture(scope="session")
def engine_zoo(engines: Engines, engine: Dockerd) -> dict[str, str]:
    """The zoo built on `engine`."""
    return engines.zoo(engine.kind)


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
    from fromscratch.gui.window.mainwindow import MainWindow
    from tests.gui.conftest import make_settings

    monkeypatch.setenv("DOCKER_HOST", dockerd.url)
    monkeypatch.setenv("FROMSCRATCH_CACHE_DIR", str(tmp_path))
    window = MainWindow(settings=make_settings())
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.arranged, timeout=30_000):
        pass
    return window

"""Failures against real daemons: none, permission denied, killed mid-load, hung."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from fromscratch.core.engine.endpoint import Endpoint
from fromscratch.core.engine.failures import EngineState, EngineUnavailable
from fromscratch.core.engine.gateway import EngineGateway
from fromscratch.core.task import TaskContext
from tests.integration.conftest import private_dockerd
from tests.support.dockerd import Dockerd

pytestmark = pytest.mark.integration


def test_no_daemon_is_a_clear_state(tmp_path: Path) -> None:
    gateway = EngineGateway(Endpoint(f"unix://{tmp_path}/missing.sock", "test"))
    with pytest.raises(EngineUnavailable) as info:
        gateway.load()
    assert info.value.state is EngineState.NO_ENGINE


def test_permission_denied_socket_mentions_the_docker_group(dockerd: Dockerd) -> None:
    # Root may open any socket, so ask as `nobody` (in a forked child that drops privileges),
    # as a user outside the docker group would.
    os.chmod(dockerd.socket, 0o660)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: never returns into pytest
        code = 1
        try:
            os.close(read_end)
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
            try:
                EngineGateway(Endpoint(dockerd.url, "t")).engine_facts()
                answer = "CONNECTED"
            except EngineUnavailable as exc:
                answer = f"{exc.state.name}|{exc}"
            os.write(write_end, answer.encode())
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        answer = pipe.read()
    os.waitpid(pid, 0)
    assert answer.startswith("PERMISSION|")
    assert "docker group" in answer


@pytest.fixture
def doomed() -> Iterator[Dockerd]:
    """A second daemon of our own that the test may kill (removed whatever happens)."""
    with private_dockerd() as daemon:
        daemon.load_forest("8,8", prefix="doomed")
        yield daemon


def test_daemon_killed_during_a_load_ends_in_a_state_not_a_hang(doomed: Dockerd) -> None:
    gateway = EngineGateway(Endpoint(doomed.url, "test"), timeout=5)

    def progress(done: int, total: int) -> None:
        if done == 10:
            doomed.kill(signal.SIGKILL)
            doomed.process.wait(10)  # type: ignore[union-attr]

    started = time.monotonic()
    try:
        with pytest.raises(EngineUnavailable) as info:
            gateway.load(TaskContext(progress))
    finally:
        gateway.close()
    assert info.value.state in (EngineState.NO_ENGINE, EngineState.TRANSIENT)
    assert time.monotonic() - started < 15


def test_hung_daemon_times_out(doomed: Dockerd) -> None:
    gateway = EngineGateway(Endpoint(doomed.url, "test"), timeout=1.5)
    gateway.engine_facts()  # a kept-alive connection, then the daemon freezes
    doomed.kill(signal.SIGSTOP)
    result: list[BaseException] = []
    worker = threading.Thread(target=lambda: _capture(gateway, result))
    worker.start()
    worker.join(20)
    doomed.kill(signal.SIGCONT)
    gateway.close()
    assert not worker.is_alive()
    assert isinstance(result[0], EngineUnavailable)
    assert result[0].state is EngineState.TIMEOUT


def _capture(gateway: EngineGateway, out: list[BaseException]) -> None:
    try:
        gateway.load()
    except BaseException as exc:
        out.append(exc)

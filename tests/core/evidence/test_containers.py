"""How a throwaway container's failures are told apart: a slow container is a timeout, an
engine that goes away is said to be away, and the container is removed either way.

The client is a stand-in recording its calls: these are the branches a real engine reaches
only by dying at the right moment (tests/integration covers the working runs)."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from fromscratch.core.engine.failures import EngineState, EngineUnavailable
from fromscratch.core.evidence.containers import EvidenceError, run_once


class RecordingClient:
    base_url = "http+docker://localhost"

    def __init__(self, wait: BaseException | dict[str, int], *, remove_fails: bool = False):
        self.wait_answer = wait
        self.remove_fails = remove_fails
        self.calls: list[str] = []

    def create_host_config(self, **config: Any) -> dict[str, Any]:
        return config

    def create_container(self, image: str, **options: Any) -> dict[str, str]:
        self.calls.append("create")
        return {"Id": "c0ffee"}

    def start(self, container: str) -> None:
        self.calls.append("start")

    def wait(self, container: str, timeout: float) -> dict[str, int]:
        self.calls.append("wait")
        if isinstance(self.wait_answer, BaseException):
            raise self.wait_answer
        return self.wait_answer

    def kill(self, container: str) -> None:
        self.calls.append("kill")

    def logs(self, container: str, **streams: bool) -> bytes:
        return b"6.1.0-test\n"

    def remove_container(self, container: str, force: bool) -> None:  # noqa: FBT001
        self.calls.append("remove")
        if self.remove_fails:
            raise requests.exceptions.ConnectionError("Connection refused")


def test_a_finished_container_gives_its_output_and_is_removed() -> None:
    client = RecordingClient({"StatusCode": 0})
    assert run_once(client, "busybox", ["uname", "-r"]) == (0, "6.1.0-test\n")
    assert client.calls == ["create", "start", "wait", "remove"]


def test_a_container_that_does_not_answer_is_a_timeout_and_is_killed() -> None:
    client = RecordingClient(requests.exceptions.ReadTimeout("Read timed out. (read timeout=20)"))
    with pytest.raises(EvidenceError, match="busybox: no answer within 20 s"):
        run_once(client, "busybox", ["sleep", "99"])
    assert client.calls == ["create", "start", "wait", "kill", "remove"]


def test_an_engine_gone_while_waiting_is_not_called_a_timeout() -> None:
    broken = requests.exceptions.ConnectionError(
        "Connection aborted.", ConnectionResetError(104, "Connection reset by peer")
    )
    client = RecordingClient(broken, remove_fails=True)
    with pytest.raises(EngineUnavailable) as info:
        run_once(client, "busybox", ["uname", "-r"])
    assert info.value.state is EngineState.TRANSIENT
    assert "no answer within" not in str(info.value)
    assert client.calls[-1] == "remove"  # tried, and its own failure did not hide this one

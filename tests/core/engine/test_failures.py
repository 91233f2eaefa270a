"""Every failure family maps to a state and one actionable sentence."""

from __future__ import annotations

import docker.errors
import pytest
import requests

from fromscratch.core.engine.failures import EngineState, EngineUnavailable, classify


def wrapped(outer: BaseException, inner: BaseException) -> BaseException:
    try:
        try:
            raise inner
        except BaseException as exc:
            raise outer from exc
    except BaseException as final:
        return final


@pytest.mark.parametrize(
    ("exc", "state"),
    [
        (
            wrapped(
                docker.errors.DockerException("Error while fetching server API version"),
                FileNotFoundError(2, "No such file or directory"),
            ),
            EngineState.NO_ENGINE,
        ),
        (requests.exceptions.ConnectionError("Connection refused"), EngineState.NO_ENGINE),
        (ConnectionRefusedError(111, "Connection refused"), EngineState.NO_ENGINE),
        (
            wrapped(
                docker.errors.DockerException("Error while fetching server API version"),
                PermissionError(13, "Permission denied"),
            ),
            EngineState.PERMISSION,
        ),
        (requests.exceptions.ReadTimeout("Read timed out. (read timeout=3)"), EngineState.TIMEOUT),
        (TimeoutError("timed out"), EngineState.TIMEOUT),
        (
            docker.errors.APIError("400 Client Error: client version 1.99 is too new"),
            EngineState.API_VERSION,
        ),
        (docker.errors.ImageNotFound("No such image"), EngineState.NOT_FOUND),
        (ConnectionResetError(104, "Connection reset by peer"), EngineState.TRANSIENT),
        (requests.exceptions.ChunkedEncodingError("broken"), EngineState.TRANSIENT),
    ],
)
def test_classify(exc: BaseException, state: EngineState) -> None:
    result = classify(exc, "unix:///var/run/docker.sock")
    assert result.state is state
    text = str(result)
    assert "\n" not in text and "unix:///var/run/docker.sock" in text
    assert ";" in text  # what happened; what to do


def test_permission_advice_mentions_the_docker_group() -> None:
    assert "docker group" in str(EngineUnavailable(EngineState.PERMISSION, "x"))


def test_a_refusal_from_the_engine_is_not_the_sockets_permission() -> None:
    """A container runtime's "permission denied" comes in the engine's answer: the socket let
    us in, so the advice is not the docker group."""
    response = requests.Response()
    response.status_code = 500
    refusal = docker.errors.APIError(
        "500 Server Error",
        response=response,
        explanation='OCI runtime create failed: exec: "/bin/busybox": permission denied',
    )
    state = classify(refusal, "unix:///var/run/docker.sock")
    assert state.state is EngineState.REFUSED
    assert "permission denied" in str(state) and "docker group" not in str(state)
    socket_denied = wrapped(
        requests.exceptions.ConnectionError("Connection aborted."),
        PermissionError(13, "Permission denied"),
    )
    assert classify(socket_denied, "unix:///var/run/docker.sock").state is EngineState.PERMISSION


@pytest.mark.parametrize("state", list(EngineState))
def test_each_sentence_says_what_to_do_where_it_is_read(state: EngineState) -> None:
    """The command line names its flags, the window its menu; neither names the other's
    actions (the CLI used to say "try Reload")."""
    from fromscratch.core.engine.failures import Surface

    failure = EngineUnavailable(state, "unix:///x.sock", "detail")
    assert str(failure) == failure.sentence(Surface.COMMAND_LINE)
    cli, window = failure.sentence(Surface.COMMAND_LINE), failure.sentence(Surface.WINDOW)
    assert "Reload" not in cli and "File >" not in cli
    assert "--host" not in window and "DOCKER_HOST" not in window
    if state is EngineState.NO_ENGINE:
        assert "--host or DOCKER_HOST" in cli and "File > Connect to engine…" in window

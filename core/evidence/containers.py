"""Throwaway containers on the viewer's engine, locked down and always removed.

Every container the app makes has no network, a read-only root, every capability dropped,
no new privileges, 64 pids and 64 MB, a timeout, and the label :data:`HELLO_LABEL`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from fromscratch.core.engine.endpoint import Endpoint
from fromscratch.core.engine.failures import EngineState, classify

T = TypeVar("T")
log = logging.getLogger(__name__)

SAFETY: dict[str, Any] = {
    "network_mode": "none",
    "read_only": True,
    "cap_drop": ["ALL"],
    "security_opt": ["no-new-privileges"],
    "pids_limit": 64,
    "mem_limit": "64m",
}
"""Host config of every container the app runs."""
HELLO_LABEL = "io.github.fromscratch.example"
"""Label on every container and image the app makes (so they can be found and removed)."""


class EvidenceError(Exception):
    """The evidence could not be gathered; the message says why in one line."""


def call(endpoint: Endpoint, work: Callable[[], T]) -> T:
    """Run docker-py calls (core.engine.client.docker_call); ours pass through as they are."""
    from fromscratch.core.engine.client import docker_call

    return docker_call(endpoint, work, (EvidenceError,))


def run_once(
    client: Any,
    image: str,
    command: list[str],
    timeout: float = 20.0,
    entrypoint: list[str] | None = None,
) -> tuple[int, str]:
    """Run `command` in a throwaway, locked-down container; (exit code, output). Always removed."""
    config = client.create_host_config(**SAFETY)
    created = client.create_container(
        image,
        command=command,
        entrypoint=entrypoint,
        host_config=config,
        network_disabled=True,
        labels={HELLO_LABEL: "run"},
    )
    container = created["Id"]
    try:
        result = _start_and_wait(client, container, image, timeout)
    except BaseException:
        _remove_quietly(client, container)  # the first failure is the one to report
        raise
    client.remove_container(container, force=True)  # one left behind must not go unsaid
    return result


def _start_and_wait(client: Any, container: str, image: str, timeout: float) -> tuple[int, str]:
    try:
        client.start(container)
    except Exception as exc:
        text = str(exc)
        if "executable file not found" in text or "no such file or directory" in text:
            return 127, text
        raise
    try:
        result = client.wait(container, timeout=timeout)
    except Exception as exc:
        failure = classify(exc, client.base_url)
        if failure.state is EngineState.TIMEOUT:
            _kill_quietly(client, container)
            raise EvidenceError(f"{image}: no answer within {timeout:.0f} s") from None
        raise failure from exc  # the engine went away or refused: say that, not a timeout
    output = client.logs(container, stdout=True, stderr=True).decode(errors="replace")
    return int(result.get("StatusCode", -1)), output


def _kill_quietly(client: Any, container: str) -> None:
    try:
        client.kill(container)
    except Exception:  # it may have ended by itself meanwhile; removal follows anyway
        log.debug("could not kill %s", container, exc_info=True)


def _remove_quietly(client: Any, container: str) -> None:
    try:
        client.remove_container(container, force=True)
    except Exception:
        log.warning("could not remove container %s after a failure", container, exc_info=True)

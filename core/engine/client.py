"""The one place a docker-py client is made: TLS, ssh, named pipes and container operations go
through docker-py, while listing and inspecting use our raw transport (core.engine.transport).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from fromscratch.core.engine.endpoint import Endpoint
from fromscratch.core.engine.failures import EngineState, EngineUnavailable, classify

T = TypeVar("T")
MIN_API = "1.24"
"""What the client is made with before it asks the engine for its version."""


def docker_client(endpoint: Endpoint, timeout: float = 60.0) -> Any:
    """docker-py's low-level ``APIClient`` for `endpoint` (its API version negotiated).

    A `unix://` socket that does not exist fails at once, without making a client (which
    would leak a half-made connection pool). Every failure is an :class:`EngineUnavailable`.
    """
    path = endpoint.socket_path
    if path is not None and not Path(path).exists():
        raise EngineUnavailable(EngineState.NO_ENGINE, endpoint.url)
    try:
        import docker  # ~0.1 s: only when an engine is used

        tls: Any = False
        if endpoint.tls is not None:
            files = endpoint.tls
            cert = (files.cert, files.key) if files.cert and files.key else None
            tls = docker.tls.TLSConfig(
                client_cert=cert,
                ca_cert=files.ca if files.verify else None,
                verify=files.verify,
            )
        # The version is asked on our own transport where it can reach the engine: docker-py's
        # negotiation left the socket of a refused or timed-out connection open (a
        # ResourceWarning for every engine that went away while the window watched it).
        version = _raw_version(endpoint, timeout)
        client = docker.APIClient(
            base_url=endpoint.url, tls=tls, timeout=int(timeout), version=version or MIN_API
        )
    except EngineUnavailable:
        raise
    except Exception as exc:
        raise classify(exc, endpoint.url) from exc
    if version is None:  # TLS, ssh, named pipes: docker-py negotiates
        try:
            client._version = client._retrieve_server_version()
        except Exception as exc:
            client.close()
            raise classify(exc, endpoint.url) from exc
    return client


def _raw_version(endpoint: Endpoint, timeout: float) -> str | None:
    """The engine's API version asked on our own transport (None where only docker-py can
    reach it). Raises EngineUnavailable."""
    from fromscratch.core.engine.transport import RawTransport, open_transport

    transport = open_transport(endpoint, timeout=min(timeout, 10.0))
    if not isinstance(transport, RawTransport):
        transport.close()
        return None
    try:
        answer = transport.get_json("/version")
    finally:
        transport.close()
    version = answer.get("ApiVersion") if isinstance(answer, dict) else None
    return str(version) if version else MIN_API


def docker_call(
    endpoint: Endpoint, work: Callable[[], T], passing: tuple[type[Exception], ...] = ()
) -> T:
    """Run docker-py calls; their failures become :class:`EngineUnavailable` with advice.
    EngineUnavailable, and the caller's own `passing` errors, pass through as they are."""
    try:
        return work()
    except Exception as exc:
        if isinstance(exc, (EngineUnavailable, *passing)):
            raise
        raise classify(exc, endpoint.url) from exc

"""Every way talking to an engine fails, mapped to a state and one sentence saying what to do.

Failures arrive as `docker.errors.DockerException`, `requests.exceptions.RequestException`
(docker-py) or plain `OSError` / `http.client` errors (our raw socket transport); all of them
end up as :class:`EngineUnavailable` so callers handle one type.
"""

from __future__ import annotations

import enum


class EngineState(enum.Enum):
    """Why no data came from the engine."""

    NO_ENGINE = "no engine"
    PERMISSION = "permission denied"
    API_VERSION = "API version"
    TIMEOUT = "timeout"
    TRANSIENT = "transient"
    NOT_FOUND = "not found"
    REFUSED = "refused"
    """The engine answered and refused the request (a container runtime's error ...)."""


class Surface(enum.Enum):
    """Where a sentence is read, which says how to pick another engine there."""

    COMMAND_LINE = "--host or DOCKER_HOST"
    WINDOW = "File > Connect to engine…"


ADVICE = {
    EngineState.NO_ENGINE: (
        "No Docker engine answers at {where}; start Docker (or Podman), or pick another "
        "engine with {pick}."
    ),
    EngineState.PERMISSION: (
        "Permission denied on {where}; add yourself to the docker group "
        "(sudo usermod -aG docker $USER, then log in again) or use rootless Docker."
    ),
    EngineState.API_VERSION: (
        "The engine at {where} refused this client's API version ({detail}); update Docker "
        "or this app."
    ),
    EngineState.TIMEOUT: (
        "The engine at {where} did not answer in time; it may be busy or hung, so check "
        "`docker info` and restart it if needed."
    ),
    EngineState.TRANSIENT: (
        "The engine at {where} gave no usable answer ({detail}); try again, and restart the "
        "engine if it keeps happening."
    ),
    EngineState.NOT_FOUND: "The engine at {where} no longer has {detail}; reload to refresh.",
    EngineState.REFUSED: "The engine at {where} refused: {detail}",
}


_VERSION_MARKERS = (
    "client version",
    "is too new",
    "is too old",
    "minimum supported api",
    "invalidversion",
    "api version is not supported",
)


class EngineUnavailable(Exception):
    """A failed engine call, with its state and a user-facing sentence in `str(exc)`."""

    def __init__(self, state: EngineState, where: str, detail: str = "") -> None:
        self.state = state
        self.where = where
        self.detail = detail
        super().__init__(self.sentence(Surface.COMMAND_LINE))

    def sentence(self, surface: Surface) -> str:
        """What happened and what to do, as read on the command line or in the window."""
        return ADVICE[self.state].format(
            where=self.where, detail=self.detail or self.state.value, pick=surface.value
        )


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def classify(exc: BaseException, where: str) -> EngineUnavailable:
    """Map any transport or SDK failure to an :class:`EngineUnavailable`."""
    if isinstance(exc, EngineUnavailable):
        return exc
    import http.client  # here, not at the top: the offline start never needs them
    import socket

    chain = _chain(exc)
    text = " ".join(str(e) for e in chain)
    lowered = text.lower()
    status = getattr(getattr(exc, "response", None), "status_code", None)
    if status == 404 or type(exc).__name__ in ("ImageNotFound", "NotFound"):
        return EngineUnavailable(EngineState.NOT_FOUND, where, _first_line(str(exc)))
    if isinstance(status, int) and status >= 400:
        # The engine answered: whatever it says ("permission denied" from a container
        # runtime, a seccomp or AppArmor refusal), the socket let us in.
        message = getattr(exc, "explanation", None) or str(exc)
        return EngineUnavailable(EngineState.REFUSED, where, _first_line(str(message), 300))
    if any(isinstance(e, PermissionError) for e in chain) or "permission denied" in lowered:
        return EngineUnavailable(EngineState.PERMISSION, where)
    if any(isinstance(e, TimeoutError | socket.timeout) for e in chain) or "timed out" in lowered:
        return EngineUnavailable(EngineState.TIMEOUT, where)
    if any(isinstance(e, FileNotFoundError | ConnectionRefusedError) for e in chain) or any(
        s in lowered for s in ("no such file", "connection refused", "newconnectionerror")
    ):
        return EngineUnavailable(EngineState.NO_ENGINE, where)
    # "Error while fetching server API version" wraps the cases above: check those first.
    if any(marker in lowered for marker in _VERSION_MARKERS):
        return EngineUnavailable(EngineState.API_VERSION, where, _first_line(str(exc)))
    if any(isinstance(e, ConnectionError | http.client.HTTPException | EOFError) for e in chain):
        return EngineUnavailable(EngineState.TRANSIENT, where, _first_line(str(exc)) or "reset")
    return EngineUnavailable(EngineState.TRANSIENT, where, _first_line(text) or type(exc).__name__)


def _first_line(text: str, limit: int = 120) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"

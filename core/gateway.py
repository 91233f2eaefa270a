"""Loading an :class:`Inventory` from a live engine: blocking calls, meant for a worker thread.

The same code reads a recorded engine (a dict of path -> JSON, :class:`RecordedTransport`), so
tests exercise exactly what a live load runs.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from core.cache import InspectCache
from core.endpoint import Endpoint, candidates
from core.failures import EngineState, EngineUnavailable
from core.model import EngineFacts, Image, Inventory
from core.parse import InputError, parse_container, parse_engine, parse_image
from core.perf import no_gc
from core.snapshot import now_iso
from core.transport import Transport, open_transport

Progress = Callable[[int, int], None]
"""Called with (done, total) as images are inspected."""


class Cancelled(Exception):
    """The caller asked the load to stop (a newer reload, or the app is quitting)."""


class RecordedTransport:
    """Answers GETs from recorded engine JSON; missing paths are 404s, like a real engine."""

    def __init__(self, answers: Mapping[str, Any], where: str = "recorded engine") -> None:
        self.answers = dict(answers)
        self.where = where
        self.calls: list[str] = []

    def get_json(self, path: str) -> Any:
        self.calls.append(path)
        if path not in self.answers:
            raise EngineUnavailable(EngineState.NOT_FOUND, self.where, path)
        answer = self.answers[path]
        if isinstance(answer, BaseException):
            raise answer
        return answer

    def close(self) -> None:
        """Nothing to release."""


@dataclass(frozen=True, slots=True)
class Connected:
    """A reachable engine: where it is, why that one, and its version facts."""

    endpoint: Endpoint
    engine: EngineFacts


class EngineGateway:
    """Blocking access to one engine. Not thread-safe: one gateway per worker."""

    def __init__(
        self,
        endpoint: Endpoint,
        transport: Transport | None = None,
        cache: InspectCache | None = None,
        timeout: float = 10.0,
    ) -> None:
        self.endpoint = endpoint
        self.transport = transport or open_transport(endpoint, timeout)
        self.cache = cache

    def engine_facts(self) -> EngineFacts:
        """`/version` (kernel, API) and `/info` (OS, storage, containerd store, runtimes)."""
        version = self.transport.get_json("/version")
        try:
            info = self.transport.get_json("/info")
        except EngineUnavailable as exc:
            if exc.state is not EngineState.NOT_FOUND:
                raise
            info = {}
        return parse_engine(version, info)

    def load(
        self, progress: Progress | None = None, cancel: threading.Event | None = None
    ) -> Inventory:
        """Every image (inspect + history, cached by id) and container, plus engine facts."""
        engine = self.engine_facts()
        listing = self.transport.get_json("/images/json?all=1")
        containers = self.transport.get_json("/containers/json?all=1")
        if not isinstance(listing, list) or not isinstance(containers, list):
            raise EngineUnavailable(EngineState.TRANSIENT, self.endpoint.url, "unexpected listing")
        images: list[Image] = []
        total = len(listing)
        with no_gc():
            for done, summary in enumerate(listing, start=1):
                if cancel is not None and cancel.is_set():
                    raise Cancelled
                image = self._image(summary)
                if image is not None:
                    images.append(image)
                if progress is not None:
                    progress(done, total)
        return Inventory(
            images=tuple(images),
            containers=tuple(parse_container(c, "container") for c in containers),
            engine=engine,
            source=self.endpoint.describe(),
            captured=now_iso(),
        )

    def _image(self, summary: Any) -> Image | None:
        image_id = summary.get("Id", "") if isinstance(summary, dict) else ""
        cached = self.cache.get(image_id) if self.cache is not None else None
        if cached is None:
            try:
                inspect = self.transport.get_json(f"/images/{image_id}/json")
                history = self.transport.get_json(f"/images/{image_id}/history")
            except EngineUnavailable as exc:
                if exc.state is EngineState.NOT_FOUND:
                    return None  # removed between the list and the inspect
                raise
            if self.cache is not None:
                self.cache.put(image_id, inspect, history)
        else:
            inspect, history = cached
            # Tags move between images; the list call has the current ones.
            inspect = {
                **inspect,
                "RepoTags": summary.get("RepoTags"),
                "RepoDigests": summary.get("RepoDigests"),
            }
        try:
            return parse_image(inspect, history, f"image {image_id[:19]}")
        except InputError as exc:
            raise EngineUnavailable(EngineState.TRANSIENT, self.endpoint.url, str(exc)) from None

    def close(self) -> None:
        self.transport.close()


def connect(
    host: str | None = None,
    cache: InspectCache | None = None,
    timeout: float = 10.0,
    env: Mapping[str, str] | None = None,
) -> tuple[EngineGateway, EngineFacts]:
    """The first reachable engine among the candidates, and its facts.

    Raises the failure of the *first* candidate when none answers: that is the one the user
    configured (or the default socket), so its advice is the relevant one.
    """
    first_error: EngineUnavailable | None = None
    for endpoint in candidates(host, env):
        try:
            gateway = EngineGateway(endpoint, cache=cache, timeout=timeout)
            return gateway, gateway.engine_facts()
        except EngineUnavailable as exc:
            first_error = first_error or exc
    assert first_error is not None
    raise first_error

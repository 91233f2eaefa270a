"""Loading an :class:`Inventory` from a live engine: blocking calls, meant for a worker thread.

The same code reads a recorded engine (a dict of path -> JSON, :class:`RecordedTransport`), so
tests exercise exactly what a live load runs.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fromscratch.core.engine.cache import InspectCache
from fromscratch.core.engine.endpoint import Endpoint, candidates
from fromscratch.core.engine.failures import EngineState, EngineUnavailable
from fromscratch.core.formats.identity import one_per_image
from fromscratch.core.formats.inventory import Container, EngineFacts, Image, Inventory
from fromscratch.core.formats.parse import InputError, parse_container, parse_engine, parse_image
from fromscratch.core.formats.snapshot import now_iso
from fromscratch.core.perf import no_gc
from fromscratch.core.task import TaskContext

if TYPE_CHECKING:
    from fromscratch.core.engine.transport import Transport


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


LOAD_DEADLINE = 300.0
LOAD_DEADLINE_PER_IMAGE = 0.05
"""A whole load gives up after 5 min plus 50 ms an image (10,000 images: 13 min; a cold
local load of that many takes ~10 s): each request has its own deadline too."""


def fits(image: Image) -> bool:
    """Whether the history has one layer-making step per layer (what every builder writes);
    a history that does not fit is used for this load but never cached."""
    if image.history is None:
        return True
    return sum(not step.empty_layer for step in image.history) == len(image.layers)


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
        if transport is None:
            from fromscratch.core.engine.transport import (
                open_transport,  # http.client: only when connecting
            )

            transport = open_transport(endpoint, timeout)
        self.transport = transport
        self.cache = cache
        self.inspect_query = ""
        """`?manifests=1` on the containerd image store (API 1.48+): the platform manifest
        tells one image apart from the indexes that wrap it (core.formats.identity)."""

    def engine_facts(self) -> EngineFacts:
        """`/version` (kernel, API) and `/info` (OS, storage, containerd store, runtimes)."""
        version = self.transport.get_json("/version")
        try:
            info = self.transport.get_json("/info")
        except EngineUnavailable as exc:
            if exc.state is not EngineState.NOT_FOUND:
                raise
            info = {}
        try:
            return parse_engine(version, info)
        except InputError as exc:
            raise self._odd(f"/version or /info: {exc}") from None

    def _odd(self, detail: str) -> EngineUnavailable:
        """An answer of the wrong shape: the engine (or something in front of it) is not
        speaking the Engine API as it should."""
        return EngineUnavailable(
            EngineState.TRANSIENT, self.endpoint.url, f"unexpected answer to {detail}"
        )

    def containers(self) -> tuple[Container, ...]:
        """Every container, running or not (`/containers/json?all=1`)."""
        containers = self.transport.get_json("/containers/json?all=1")
        if not isinstance(containers, list):
            raise self._odd("/containers/json: not a list")
        try:
            return tuple(parse_container(c, f"[{i}]") for i, c in enumerate(containers))
        except InputError as exc:
            raise self._odd(f"/containers/json: {exc}") from None

    def load(self, context: TaskContext | None = None) -> Inventory:
        """Every image (inspect + history, cached by id) and container, plus engine facts.
        Reports progress per image; raises core.task.Cancelled when asked to stop."""
        context = context or TaskContext()
        started = time.monotonic()
        engine = self.engine_facts()
        self.inspect_query = "?manifests=1" if _wants_manifests(engine) else ""
        listing = self.transport.get_json("/images/json?all=1")
        if not isinstance(listing, list):
            raise self._odd("/images/json: not a list")
        parsed_containers = self.containers()
        for index, summary in enumerate(listing):
            if not isinstance(summary, dict) or not isinstance(summary.get("Id"), str):
                raise self._odd(f"/images/json: [{index}] has no image id")
        images: list[Image] = []
        total = len(listing)
        summaries: list[dict[str, Any]] = listing
        cached = {
            s.get("Id", ""): self.cache.get(s.get("Id", "")) if self.cache is not None else None
            for s in summaries
        }
        missing = [image_id for image_id, entry in cached.items() if entry is None]
        with no_gc(), _Fetcher(self, missing) as fetched:
            allowed = LOAD_DEADLINE + LOAD_DEADLINE_PER_IMAGE * total
            for done, summary in enumerate(summaries, start=1):
                context.check()
                if time.monotonic() - started > allowed:
                    raise EngineUnavailable(
                        EngineState.TIMEOUT,
                        self.endpoint.url,
                        f"{done - 1} of {total} images read in {allowed:.0f} s",
                    )
                image_id = summary["Id"]
                entry = cached.get(image_id)
                image = None
                if entry is not None:
                    # Tags move between images; the list call has the current ones.
                    inspect = {
                        **entry[0],
                        "RepoTags": summary.get("RepoTags"),
                        "RepoDigests": summary.get("RepoDigests"),
                    }
                    image = self._parse_cached(image_id, inspect, entry[1])
                    if image is None:  # a damaged or stale entry: dropped, asked for again
                        fresh = self.fetch(image_id, self.transport)
                        image = self._keep(image_id, fresh) if fresh is not None else None
                else:
                    fresh = next(fetched)
                    image = self._keep(image_id, fresh) if fresh is not None else None
                if image is not None:
                    images.append(image)
                context.progress(done, total)
        inventory = Inventory(
            images=tuple(images),
            containers=parsed_containers,
            engine=engine,
            source=self.endpoint.describe(),
            captured=now_iso(),
        )
        return one_per_image(inventory)

    def fetch(self, image_id: str, transport: Transport) -> tuple[Any, Any] | None:
        """Inspect + history of one image; None when it vanished after the list call."""
        try:
            inspect = transport.get_json(f"/images/{image_id}/json{self.inspect_query}")
            history = transport.get_json(f"/images/{image_id}/history")
        except EngineUnavailable as exc:
            if exc.state is EngineState.NOT_FOUND:
                return None
            raise
        return inspect, history

    def _parse(self, image_id: str, inspect: Any, history: Any) -> Image:
        try:
            return parse_image(inspect, history, f"image {image_id[:19]}")
        except InputError as exc:
            raise EngineUnavailable(EngineState.TRANSIENT, self.endpoint.url, str(exc)) from None

    def _keep(self, image_id: str, entry: tuple[Any, Any]) -> Image:
        """Parse a fresh answer; cache it only when it parsed and its history fits its layers
        (one wrong answer must not poison every later run)."""
        image = self._parse(image_id, *entry)
        if self.cache is not None and fits(image):
            self.cache.put(image_id, *entry)
        return image

    def _parse_cached(self, image_id: str, inspect: Any, history: Any) -> Image | None:
        """A cached entry as an image, or None (and the entry dropped) when it no longer
        parses or fits."""
        try:
            image = parse_image(inspect, history, f"cached image {image_id[:19]}")
        except InputError:
            image = None
        if image is None or not fits(image):
            if self.cache is not None:
                self.cache.drop(image_id)
            return None
        return image

    def close(self) -> None:
        self.transport.close()


def _wants_manifests(engine: EngineFacts) -> bool:
    if not engine.containerd_store:
        return False
    try:
        major, minor = (int(part) for part in engine.api_version.split(".")[:2])
    except ValueError:
        return False
    return (major, minor) >= (1, 48)


FETCH_WORKERS = 3
"""Connections used for a cold load. The engine serves inspect/history calls in parallel, so
while one answer is parsed here the next ones are being served: a cold `fromscratch tree` of
1,110 images went from 1.54 s (one connection) to 1.12 s (docs/benchmarks.md)."""


class _Fetcher:
    """Yields (inspect, history) for `ids` in order; over several kept-alive connections when the
    transport is our raw one, else one by one on the gateway's own transport."""

    def __init__(self, gateway: EngineGateway, ids: list[str]) -> None:
        self.gateway, self.ids = gateway, ids
        self.pool: Any = None  # a ThreadPoolExecutor on cold loads
        self.local = threading.local()
        self.opened: list[Transport] = []
        self.lock = threading.Lock()
        self.timeout = 10.0

    def __enter__(self) -> Iterator[tuple[Any, Any] | None]:
        gateway = self.gateway
        from fromscratch.core.engine.transport import RawTransport

        self.raw = RawTransport
        if isinstance(gateway.transport, RawTransport) and len(self.ids) > 8:
            from concurrent.futures import ThreadPoolExecutor

            self.timeout = gateway.transport.timeout
            self.pool = ThreadPoolExecutor(FETCH_WORKERS, thread_name_prefix="inspect")
            return iter(self.pool.map(self._work, self.ids))
        return (gateway.fetch(i, gateway.transport) for i in self.ids)

    def _work(self, image_id: str) -> tuple[Any, Any] | None:
        transport = getattr(self.local, "transport", None)
        if transport is None:
            transport = self.raw(self.gateway.endpoint, self.timeout)
            self.local.transport = transport
            with self.lock:
                self.opened.append(transport)
        return self.gateway.fetch(image_id, transport)

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
        for transport in self.opened:
            transport.close()


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
        socket_path = endpoint.socket_path
        if socket_path is not None and not Path(socket_path).exists():
            first_error = first_error or EngineUnavailable(EngineState.NO_ENGINE, endpoint.url)
            continue  # nothing listens there: fail fast, without opening a connection
        try:
            gateway = EngineGateway(endpoint, cache=cache, timeout=timeout)
            return gateway, gateway.engine_facts()
        except EngineUnavailable as exc:
            first_error = first_error or exc
    assert first_error is not None
    raise first_error

"""Engine events as a "something changed" signal, for live updates.

Events cannot drive incremental updates (a moved tag sends no `untag`; an untagged build sends
nothing: see the docker-ancestry notes), so an event just means "re-list soon" (core.engine.effects
says what: the containers only, or everything); the caller debounces and re-lists, and the
inspect cache keeps that cheap.

The stream is opened with `until = now + 30 s`, so a hung daemon cannot block us for ever, and
re-opened from the last event's time (inclusive, so duplicates are dropped). A dead daemon ends
the stream; we back off (0.5 s doubling to 4 s: an engine that comes back is seen within 5 s,
and an absent one costs one connection attempt every 4 s) and try again until told to stop.
Whether the engine answers is reported as it changes (`on_presence`), so the window can fall
back to the last snapshot when it goes and return to live data when it is back.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from fromscratch.core.engine.client import docker_client
from fromscratch.core.engine.endpoint import Endpoint
from fromscratch.core.engine.failures import EngineUnavailable

log = logging.getLogger(__name__)
WINDOW = 30
"""Seconds each subscription lasts before it is renewed."""
FIRST_RETRY, LAST_RETRY = 0.5, 4.0
"""Back-off while the engine is away, in seconds."""


class EventWatcher:
    """Run :meth:`run` in a worker thread; :meth:`stop` from any thread ends it promptly."""

    def __init__(
        self,
        endpoint: Endpoint,
        on_event: Callable[[str, str], None],
        on_presence: Callable[[bool], None] | None = None,
    ) -> None:
        self.endpoint = endpoint
        self.on_event = on_event
        """Called with (Type, Action), e.g. ("image", "tag"), from the worker thread."""
        self.on_presence = on_presence
        """Called with True when the engine answers again, False when it stops answering
        (each only on a change; the first answer or failure counts as one)."""
        self.present: bool | None = None
        self._stopping = threading.Event()
        self.started = time.time()
        """Events from this moment on count, even those before the stream is open."""
        self._stream: Any = None
        self._lock = threading.Lock()

    def stop(self) -> None:
        self._stopping.set()
        with self._lock:
            stream = self._stream
        if stream is not None:
            try:
                stream.close()  # unblocks the worker's read at once
            except Exception:
                log.debug("closing the event stream failed", exc_info=True)

    def _presence(self, *, present: bool) -> None:
        if present != self.present:
            self.present = present
            if self.on_presence is not None and not self._stopping.is_set():
                self.on_presence(present)

    def run(self) -> None:
        since: float = self.started
        seen: set[tuple[Any, ...]] = set()
        backoff = FIRST_RETRY
        while not self._stopping.is_set():
            try:
                client = docker_client(self.endpoint, timeout=WINDOW + 10)
            except EngineUnavailable as exc:  # away for now: try again, less and less often
                log.debug("no engine to watch (%s); retrying in %.1f s", exc.state.value, backoff)
                self._presence(present=False)
                self._stopping.wait(backoff)
                backoff = min(backoff * 2, LAST_RETRY)
                continue
            try:
                now = time.time()
                stream = client.events(
                    since=since,
                    until=now + WINDOW,
                    decode=True,
                    filters={"type": ["image", "container"]},
                )
                with self._lock:
                    self._stream = stream
                if self._stopping.is_set():
                    break
                self._presence(present=True)
                for event in stream:
                    key = (
                        event.get("timeNano"),
                        event.get("Type"),
                        event.get("Action"),
                        (event.get("Actor") or {}).get("ID"),
                    )
                    if key in seen:
                        continue
                    seen.add(key)
                    since = max(since, int(event.get("timeNano", 0)) / 1e9)
                    self.on_event(str(event.get("Type", "")), str(event.get("Action", "")))
                backoff = FIRST_RETRY
                since = max(since, now - 1)  # a quiet window: no need to look far back next time
                if len(seen) > 10_000:
                    seen.clear()
            except Exception:  # the stream breaks when the engine goes: watch again later
                log.debug("event stream broke; retrying in %.1f s", backoff, exc_info=True)
                self._presence(present=False)
                self._stopping.wait(backoff)
                backoff = min(backoff * 2, LAST_RETRY)
            finally:
                with self._lock:
                    stream, self._stream = self._stream, None
                if stream is not None:
                    with contextlib.suppress(Exception):
                        stream.close()  # its socket: a broken stream does not close it
                client.close()

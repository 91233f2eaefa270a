"""Following the engine's changes for `fromscratch watch` (and scripts): list images and
containers, then on every engine event (events only say "look again", core.engine.changes)
list them again and report the difference. A burst of events gives one listing; an engine
that goes away is said so, and on its return the listing catches up on what changed
meanwhile. The event stream runs in bounded windows resumed with `since` (core.engine.events),
so a frozen engine cannot hang the watcher.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime

from fromscratch.core.engine.changes import Change, Listing, changes, listing
from fromscratch.core.engine.endpoint import Endpoint
from fromscratch.core.engine.events import EventWatcher
from fromscratch.core.engine.failures import EngineState, EngineUnavailable
from fromscratch.core.engine.gateway import EngineGateway
from fromscratch.core.formats.parse import InputError

DEBOUNCE = 0.15
"""Seconds to let a burst of events (a build, `docker rm -f`) settle before listing."""


def now_text() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


class ChangeFollower:
    """`emit(change, when)` for each change; `say(text)` when the engine goes or comes back."""

    def __init__(
        self,
        endpoint: Endpoint,
        emit: Callable[[Change, str], None],
        say: Callable[[str], None],
        gateway: EngineGateway | None = None,
    ) -> None:
        self.endpoint = endpoint
        self.emit = emit
        self.say = say
        self._gateway = gateway
        self._poke = threading.Event()
        self._stopping = threading.Event()

    def list_now(self) -> Listing:
        """Images and containers, as the engine has them now (EngineUnavailable if away)."""
        if self._gateway is None:
            self._gateway = EngineGateway(self.endpoint, timeout=10.0)
        try:
            transport = self._gateway.transport
            images = transport.get_json("/images/json")
            containers = transport.get_json("/containers/json?all=1")
            if not isinstance(images, list) or not isinstance(containers, list):
                raise InputError("/images/json or /containers/json: not a list")
            return listing(images, containers)
        except InputError as exc:  # an engine (or a proxy) answering in another shape
            self._gateway.close()
            self._gateway = None
            raise EngineUnavailable(
                EngineState.TRANSIENT, self.endpoint.url, f"unexpected answer to {exc}"
            ) from None
        except Exception:
            self._gateway.close()
            self._gateway = None
            raise

    def _presence(self, present: bool) -> None:  # noqa: FBT001 - the watcher's callback
        if present:
            self.say("the engine answers again")
            self._poke.set()  # catch up on what changed while it was away
        else:
            self.say("the engine stopped answering; waiting for it")

    def stop(self) -> None:
        self._stopping.set()
        self._poke.set()

    def run(self) -> None:
        """Until :meth:`stop`. Raises EngineUnavailable when the first listing fails."""
        seen = self.list_now()
        watcher = EventWatcher(self.endpoint, lambda _t, _a: self._poke.set(), self._presence)
        watcher.present = True  # the first listing answered: only a change is news
        thread = threading.Thread(target=watcher.run, name="events", daemon=True)
        thread.start()
        try:
            while not self._stopping.is_set():
                self._poke.wait()
                if self._stopping.is_set():
                    break
                time.sleep(DEBOUNCE)
                self._poke.clear()
                try:
                    now = self.list_now()
                except EngineUnavailable:
                    continue  # the watcher says it and pokes again on its return
                except OSError:
                    continue
                when = now_text()
                for change in changes(seen, now):
                    self.emit(change, when)
                seen = now
        finally:
            watcher.stop()
            thread.join(5)
            if self._gateway is not None:
                self._gateway.close()

"""Live updates: engine events (core.engine.events) in a background thread, debounced into one
`reload_needed` signal, so the tree follows `docker build`, `rmi`, `tag`, `run` ..."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from fromscratch.core.engine.effects import Effect, effect_of
from fromscratch.core.engine.endpoint import Endpoint

if TYPE_CHECKING:
    from fromscratch.core.engine.events import EventWatcher

DEBOUNCE_MS = 400
"""A build or a prune sends bursts of events: reload once, shortly after the last."""
CONTAINERS_MS = 150
"""`docker rm -f` sends kill, die, destroy within milliseconds: list once, after them."""
LATER_MS = 2000
"""How long after a load without the engine its return starts being watched."""


class LiveUpdates(QObject):
    """`reload_needed`: images changed; `containers_changed`: only containers did (created,
    started, paused, stopped, renamed, removed); `presence_changed(bool)`: the engine went
    away (False) or answers again (True). All on the GUI thread."""

    event_seen = Signal(str, str)
    reload_needed = Signal()
    containers_changed = Signal()
    presence_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.endpoint: Endpoint | None = None
        self._watcher: EventWatcher | None = None
        self._thread: threading.Thread | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.reload_needed)
        self._containers = QTimer(self)
        self._containers.setSingleShot(True)
        self._containers.setInterval(CONTAINERS_MS)
        self._containers.timeout.connect(self.containers_changed)
        # A bound slot of this QObject, not a lambda: Qt then queues the call into the GUI
        # thread (a lambda would run in the watcher's thread, where timers cannot start).
        self.event_seen.connect(self._on_event)
        self._pending = False
        self._later = QTimer(self)
        self._later.setSingleShot(True)
        self._later.setInterval(LATER_MS)
        self._later.timeout.connect(self._start)

    @Slot(str, str)
    def _on_event(self, kind: str, action: str) -> None:
        effect = effect_of(kind, action)
        if effect is Effect.IMAGES:
            self._timer.start()
            self._containers.stop()  # the reload lists the containers too
        elif effect is Effect.CONTAINERS and not self._timer.isActive():
            self._containers.start()

    @property
    def active(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def watch(self, endpoint: Endpoint | None, *, later: bool = False) -> None:
        """Follow `endpoint` (None stops following). `later`: start in a few seconds (an
        engine that is away is waited for after the first paint, whose start-up it would
        slow by loading docker-py)."""
        if endpoint == self.endpoint and (endpoint is None or self.active or self._pending):
            return
        self.stop()
        self.endpoint = endpoint
        if endpoint is None:
            return
        if later:
            self._pending = True
            self._later.start()
            return
        self._start()

    def _start(self) -> None:
        self._pending = False
        endpoint = self.endpoint
        if endpoint is None or self.active:
            return
        from fromscratch.core.engine.events import (
            EventWatcher,  # docker-py: loaded when there is an engine
        )

        # Signals emitted in the watcher's thread are queued into the GUI thread.
        watcher = EventWatcher(endpoint, self.event_seen.emit, self.presence_changed.emit)
        thread = threading.Thread(target=watcher.run, name="engine-events", daemon=True)
        self._watcher, self._thread = watcher, thread
        thread.start()

    def stop(self, wait: float = 2.0) -> None:
        self._timer.stop()
        self._containers.stop()
        self._later.stop()
        self._pending = False
        if self._watcher is not None:
            self._watcher.stop()
        if self._thread is not None:
            self._thread.join(wait)
        self._watcher = self._thread = None
        self.endpoint = None

"""Live updates: engine events (core.engine.events) in a background thread, debounced into one
`reload_needed` signal, so the tree follows `docker build`, `rmi`, `tag`, `run` ..."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from fromscratch.core.engine.endpoint import Endpoint

if TYPE_CHECKING:
    from fromscratch.core.engine.events import EventWatcher

DEBOUNCE_MS = 400
"""A build or a prune sends bursts of events: reload once, shortly after the last."""


class LiveUpdates(QObject):
    event_seen = Signal(str, str)
    reload_needed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.endpoint: Endpoint | None = None
        self._watcher: EventWatcher | None = None
        self._thread: threading.Thread | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.reload_needed)
        # A bound slot of this QObject, not a lambda: Qt then queues the call into the GUI
        # thread (a lambda would run in the watcher's thread, where timers cannot start).
        self.event_seen.connect(self._on_event)

    @Slot(str, str)
    def _on_event(self, _type: str, _action: str) -> None:
        self._timer.start()

    @property
    def active(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def watch(self, endpoint: Endpoint | None) -> None:
        """Follow `endpoint` (None stops following)."""
        if endpoint == self.endpoint and (endpoint is None or self.active):
            return
        self.stop()
        self.endpoint = endpoint
        if endpoint is None:
            return
        from fromscratch.core.engine.events import (
            EventWatcher,  # docker-py: loaded when there is an engine
        )

        watcher = EventWatcher(endpoint, self.event_seen.emit)  # queued into the GUI thread
        thread = threading.Thread(target=watcher.run, name="engine-events", daemon=True)
        self._watcher, self._thread = watcher, thread
        thread.start()

    def stop(self, wait: float = 2.0) -> None:
        self._timer.stop()
        if self._watcher is not None:
            self._watcher.stop()
        if self._thread is not None:
            self._thread.join(wait)
        self._watcher = self._thread = None
        self.endpoint = None

"""The event watcher never hangs: with no engine it backs off and stops when told."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from fromscratch.core.engine.endpoint import Endpoint
from fromscratch.core.engine.events import EventWatcher


def test_watcher_without_engine_stops_promptly(tmp_path: Path) -> None:
    seen: list[tuple[str, str]] = []
    watcher = EventWatcher(
        Endpoint(f"unix://{tmp_path}/none.sock", "test"),
        lambda kind, action: seen.append((kind, action)),
    )
    thread = threading.Thread(target=watcher.run, daemon=True)
    thread.start()
    time.sleep(0.3)
    assert thread.is_alive()  # retrying, not crashed
    started = time.monotonic()
    watcher.stop()
    thread.join(5)
    assert not thread.is_alive() and time.monotonic() - started < 3
    assert seen == []

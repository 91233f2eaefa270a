"""The last live load, kept on disk: what the window shows when the engine is away."""

from __future__ import annotations

import logging
from pathlib import Path

from fromscratch.core.formats.inventory import Inventory
from fromscratch.core.formats.snapshot import SnapshotError, load
from fromscratch.core.paths import user_cache_dir
from fromscratch.core.session.file_source import describe_file
from fromscratch.core.session.source import Loaded, SourceKind, SourceUnavailable
from fromscratch.core.task import TaskContext

log = logging.getLogger(__name__)


def last_live_path() -> Path:
    """Where the most recent live load is kept for offline study."""
    return user_cache_dir() / "last-live.json.gz"


class LastLiveSource:
    kind = SourceKind.LAST_LIVE
    live = False
    name = "the last live snapshot"

    @property
    def path(self) -> str:
        return str(last_live_path())

    def loading(self) -> str:
        return f"opening {self.path}…"

    def describe(self, inventory: Inventory) -> str:
        return describe_file("last live snapshot", self.path, inventory)

    def load(self, context: TaskContext) -> Loaded:
        path = last_live_path()
        if not path.exists():
            raise SourceUnavailable(f"no live snapshot kept yet at {path}")
        try:
            return Loaded(load(path))
        except SnapshotError as exc:  # a damaged cache file: fall back, say so in the log
            log.warning("ignoring the last live snapshot: %s", exc)
            raise SourceUnavailable(str(exc)) from exc

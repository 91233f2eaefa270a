"""Where the images come from: one protocol for the live engine, a file, the last live snapshot
and the bundled sample (core.session.opening picks among them)."""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple, Protocol

from fromscratch.core.engine.endpoint import Endpoint
from fromscratch.core.formats.inventory import Inventory
from fromscratch.core.task import TaskContext


class SourceKind(StrEnum):
    ENGINE = "engine"
    SNAPSHOT = "snapshot"
    """A file the user chose: our snapshot or `docker image inspect` output."""
    LAST_LIVE = "last-live"
    SAMPLE = "sample"


class SourceUnavailable(Exception):
    """This source has nothing to give right now (no engine, no snapshot kept yet): the next
    one in the list is tried. The message says why, in one sentence for the user."""


class Loaded(NamedTuple):
    """What one load produced."""

    inventory: Inventory
    endpoint: Endpoint | None = None
    """The engine it came from (live sources only): where live evidence runs."""


class Source(Protocol):
    """A place images are read from."""

    @property
    def kind(self) -> SourceKind: ...

    @property
    def live(self) -> bool:
        """True when the data follows an engine (events, evidence, reloads)."""
        ...

    @property
    def path(self) -> str:
        """The file read, for file sources; empty otherwise."""
        ...

    @property
    def name(self) -> str:
        """What the user reads in "Showing <name> instead": `the bundled sample` ..."""
        ...

    def loading(self) -> str:
        """For the status bar while it loads: `loading from the Docker engine…`."""
        ...

    def describe(self, inventory: Inventory) -> str:
        """For the status bar once loaded: which source, and for files what they hold."""
        ...

    def load(self, context: TaskContext) -> Loaded:
        """Read the images (blocking: a worker runs it). Raises :class:`SourceUnavailable` when
        there is nothing here now; any other error (a damaged file) stops the opening."""
        ...

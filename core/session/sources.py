"""What the app opens with no arguments: the live engine, else the last live snapshot, else the
bundled sample, and a one-sentence notice of why when the engine was not reachable."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fromscratch.core.engine.cache import InspectCache
from fromscratch.core.engine.endpoint import Endpoint, EndpointError
from fromscratch.core.engine.failures import EngineUnavailable
from fromscratch.core.engine.gateway import Progress, connect
from fromscratch.core.formats.inventory import Inventory
from fromscratch.core.formats.sample import load_sample
from fromscratch.core.formats.snapshot import SnapshotError, load, save
from fromscratch.core.paths import user_cache_dir

if TYPE_CHECKING:
    from fromscratch.core.story.picture import Stage

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Opened:
    """An inventory, what kind of source it is, and (offline) why the engine was not used."""

    inventory: Inventory
    kind: str
    """`engine`, `snapshot`, `last-live` or `sample`."""
    notice: str = ""
    path: str = ""
    """The file read, for `snapshot` and `last-live`."""
    graph: Any = field(default=None, compare=False)
    """The lineage tree (a `core.graph.tree.Tree`), built with the load, off the GUI thread."""
    endpoint: Endpoint | None = None
    """The engine it came from (live loads only): where live evidence runs."""
    stage: Stage | None = field(default=None, compare=False)
    """What the kernel view's boxes say (fromscratch.core.story.picture), built with the tree."""
    positions: Any = field(default=None, compare=False)
    """The unfiltered tree's layout (core.graph.layout), so a first paint needs no second task."""

    def describe(self) -> str:
        """For the status bar: which source, and for files what they hold and when."""
        inv = self.inventory
        count = f"{len(inv.images)} images"
        if self.kind == "engine":
            return f"Docker engine {inv.source} — {count}"
        if self.kind == "sample":
            return f"{inv.source} — {count}"
        what = "last live snapshot" if self.kind == "last-live" else "snapshot"
        origin = f" of {inv.source}" if inv.source and inv.source != self.path else ""
        when = f", captured {inv.captured}" if inv.captured else ""
        return f"{what} {self.path}{origin}{when} — {count}"


def with_graph(opened: Opened, show_intermediates: bool = False) -> Opened:
    """The same source with its lineage tree (re)built."""
    from dataclasses import replace

    from fromscratch.core.graph.lineage import build_tree
    from fromscratch.core.story.picture import stage

    graph = build_tree(opened.inventory.images, show_intermediates=show_intermediates)
    from fromscratch.core.graph.layout import tidy_layout

    scene = stage(opened.inventory, graph, live=opened.kind == "engine")
    return replace(opened, graph=graph, stage=scene, positions=tidy_layout(graph))


def last_live_path() -> Path:
    """Where the most recent live load is kept for offline study."""
    return user_cache_dir() / "last-live.json.gz"


def open_default(
    host: str | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> Opened:
    """Live engine, else the last live snapshot, else the sample (never raises for an engine)."""
    try:
        gateway, _facts = connect(host, cache=InspectCache(user_cache_dir()))
        try:
            inventory = gateway.load(progress, cancel)
        finally:
            gateway.close()
    except (EngineUnavailable, EndpointError) as exc:
        return with_graph(_offline(str(exc)))
    try:
        save(inventory, last_live_path(), redact_secrets=False)
    except SnapshotError as exc:
        log.warning("could not keep the live snapshot: %s", exc)
    return with_graph(Opened(inventory, "engine", endpoint=gateway.endpoint))


def _offline(reason: str) -> Opened:
    path = last_live_path()
    if path.exists():
        try:
            return Opened(load(path), "last-live", reason, str(path))
        except SnapshotError as exc:
            log.warning("ignoring the last live snapshot: %s", exc)
    return Opened(load_sample(), "sample", reason)


def open_file(
    path: str | Path, progress: Progress | None = None, cancel: threading.Event | None = None
) -> Opened:
    """A snapshot or `docker image inspect` file chosen by the user (raises SnapshotError).
    `progress` and `cancel` are accepted so it runs as a worker task like :func:`open_default`."""
    return with_graph(Opened(load(path), "snapshot", path=str(path)))

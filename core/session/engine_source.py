"""The live engine, found as the docker CLI finds it; each load is kept as the last live
snapshot for offline study."""

from __future__ import annotations

import logging
from dataclasses import replace

from fromscratch.core.engine.cache import InspectCache
from fromscratch.core.engine.endpoint import Endpoint, EndpointError
from fromscratch.core.engine.failures import EngineUnavailable, Surface
from fromscratch.core.engine.gateway import connect
from fromscratch.core.formats.inventory import Container, Inventory
from fromscratch.core.formats.snapshot import SnapshotError, save
from fromscratch.core.paths import user_cache_dir
from fromscratch.core.session.last_live_source import last_live_path
from fromscratch.core.session.source import Loaded, SourceKind, SourceUnavailable
from fromscratch.core.task import TaskContext

log = logging.getLogger(__name__)


class EngineSource:
    """`host` as `--host` gives it; None: DOCKER_HOST, the context, the default socket ...
    (Sources are plain classes: each dataclass costs ~1 ms at every launch.)"""

    kind = SourceKind.ENGINE
    live = True
    path = ""
    name = "the Docker engine"

    def __init__(self, host: str | None = None, surface: Surface = Surface.COMMAND_LINE) -> None:
        self.host = host
        self.surface = surface

    def loading(self) -> str:
        return "loading from the Docker engine…"

    def describe(self, inventory: Inventory) -> str:
        product = inventory.engine.product or "Docker"
        return f"{product} engine {inventory.source} — {inventory.counted()}"

    def load(self, context: TaskContext) -> Loaded:
        try:
            gateway, _facts = connect(self.host, cache=InspectCache(user_cache_dir()))
            try:
                inventory = gateway.load(context)
            finally:
                gateway.close()
            # What earlier evidence read of images' files (What FROM gives you) stays known.
            from fromscratch.core.evidence.contents import ContentsCache  # not on start-up

            contents = ContentsCache(user_cache_dir()).summaries(i.id for i in inventory.images)
            if contents:
                inventory = replace(inventory, contents={**inventory.contents, **contents})
        except EngineUnavailable as exc:
            raise SourceUnavailable(exc.sentence(self.surface)) from exc
        except EndpointError as exc:
            raise SourceUnavailable(str(exc)) from exc
        try:
            save(inventory, last_live_path(), redact_secrets=False)
        except SnapshotError as exc:
            log.warning("could not keep the live snapshot: %s", exc)
        return Loaded(inventory, gateway.endpoint)


def list_containers(endpoint: Endpoint, timeout: float = 5.0) -> tuple[Container, ...]:
    """The engine's containers now, without its images (a container event changes only
    these: core.session.opening.Opened.with_containers). Raises EngineUnavailable."""
    from fromscratch.core.engine.gateway import EngineGateway

    gateway = EngineGateway(endpoint, timeout=timeout)
    try:
        return gateway.containers()
    finally:
        gateway.transport.close()

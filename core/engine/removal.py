"""Removing images (and, when the user chose it, the containers that hold them) on an engine:
exactly the ones a plan lists (core.disk.removal), in its order, and the engine's own disk
figure before and after, so what it freed is said beside what was predicted.

Images are removed by their names, one at a time, never forced: an image goes with its last
name, and an engine that finds a container on it refuses, so nothing is removed that was not
listed. A container made after the plan is found before anything is touched.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from typing import Any

from fromscratch.core.engine.client import docker_call as _call
from fromscratch.core.engine.endpoint import Endpoint
from fromscratch.core.engine.failures import EngineState, EngineUnavailable
from fromscratch.core.task import TaskContext


class RemovalRefused(Exception):
    """The engine's state is not the plan's (a new container holds a listed image); nothing
    was removed. The message says what to do, in one line."""


@dataclass(frozen=True, slots=True)
class Removing:
    """What to remove: the plan's images (id and names, children first) and containers."""

    images: tuple[tuple[str, tuple[str, ...]], ...]
    containers: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RemovalOutcome:
    removed: tuple[str, ...]
    """Ids of the images the engine deleted."""
    containers: tuple[str, ...]
    """Ids of the containers removed first."""
    failed: tuple[tuple[str, str], ...] = field(default=())
    """(image id, the engine's words) for each it refused."""
    before: int | None = None
    after: int | None = None
    """The engine's own figure for its image layers (`/system/df` LayersSize)."""

    @property
    def engine_freed(self) -> int | None:
        if self.before is None or self.after is None:
            return None
        return self.before - self.after


def layers_size(endpoint: Endpoint) -> int | None:
    """The bytes of the engine's image layers, as `docker system df` reports them."""
    from fromscratch.core.engine.transport import open_transport

    transport = open_transport(endpoint, timeout=60.0)
    try:
        answer = transport.get_json("/system/df")
    finally:
        transport.close()
    size = answer.get("LayersSize") if isinstance(answer, dict) else None
    return int(size) if isinstance(size, int) and not isinstance(size, bool) else None


def remove(
    endpoint: Endpoint, what: Removing, context: TaskContext | None = None
) -> RemovalOutcome:
    """Carry `what` out; raises RemovalRefused (nothing removed) or EngineUnavailable. Once
    begun it is not cancelled: half a removal is worse than a slow one."""
    from fromscratch.core.engine.client import docker_client

    context = context or TaskContext()
    client = docker_client(endpoint)
    try:
        _check_holders(client, endpoint, what)
        before = layers_size(endpoint)
        gone: list[str] = []
        for container in what.containers:
            _call(endpoint, partial(client.remove_container, container, force=True))
            gone.append(container)
        removed: list[str] = []
        failed: list[tuple[str, str]] = []
        for number, (image_id, tags) in enumerate(what.images):
            context.progress(number, len(what.images))
            try:
                for name in tags or (image_id,):  # an image goes with its last name
                    _call(endpoint, partial(client.remove_image, name, noprune=False))
            except EngineUnavailable as exc:
                failed.append((image_id, exc.detail or str(exc)))
                continue
            if _exists(client, endpoint, image_id):
                failed.append((image_id, "the engine untagged it but kept the image"))
            else:
                removed.append(image_id)
        after = layers_size(endpoint)
    finally:
        client.close()
    return RemovalOutcome(tuple(removed), tuple(gone), tuple(failed), before, after)


def _exists(client: Any, endpoint: Endpoint, image_id: str) -> bool:
    try:
        _call(endpoint, lambda: client.inspect_image(image_id))
    except EngineUnavailable as exc:
        if exc.state is EngineState.NOT_FOUND:
            return False
        raise
    return True


def _check_holders(client: Any, endpoint: Endpoint, what: Removing) -> None:
    """Refuse, before anything is removed, when a container not in the plan holds an image
    that is (a container made since the plan was shown)."""
    doomed = {image_id for image_id, _tags in what.images}
    listed = set(what.containers)
    for container in _call(endpoint, lambda: client.containers(all=True)):
        image = str(container.get("ImageID") or "")
        if image in doomed and container.get("Id") not in listed:
            name = (container.get("Names") or [container.get("Id", "")[:12]])[0].lstrip("/")
            raise RemovalRefused(
                f"container {name} now holds {image.removeprefix('sha256:')[:12]}, which was "
                "to be removed: nothing was removed; look again and choose anew"
            )

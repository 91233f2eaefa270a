"""What changed on the engine between two listings: images added, removed, tagged and
untagged; containers created, started, paused, unpaused, stopped, renamed and removed.

Engine events cannot be trusted to say this (a tag moved by a rebuild sends no `untag`, an
untagged build sends nothing: see the docker-ancestry notes), so `fromscratch watch` uses
events only as "look again" and reports the difference of two listings: nothing twice,
nothing missed, even across an engine that was away.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from fromscratch.core.formats.parse import InputError, parse_container


class ChangeKind(StrEnum):
    IMAGE_ADDED = "image-added"
    IMAGE_TAGGED = "image-tagged"
    IMAGE_UNTAGGED = "image-untagged"
    IMAGE_REMOVED = "image-removed"
    CONTAINER_CREATED = "container-created"
    CONTAINER_STARTED = "container-started"
    CONTAINER_PAUSED = "container-paused"
    CONTAINER_UNPAUSED = "container-unpaused"
    CONTAINER_STOPPED = "container-stopped"
    CONTAINER_RENAMED = "container-renamed"
    CONTAINER_REMOVED = "container-removed"


@dataclass(frozen=True, slots=True)
class ListedImage:
    id: str
    tags: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ListedContainer:
    id: str
    name: str
    image_id: str
    state: str
    """created, running, paused, restarting, exited, dead."""


@dataclass(frozen=True, slots=True)
class Listing:
    """One look at the engine: images by id, containers by id."""

    images: Mapping[str, ListedImage] = field(default_factory=dict)
    containers: Mapping[str, ListedContainer] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Change:
    kind: ChangeKind
    id: str
    """The image's or the container's id."""
    tags: tuple[str, ...] = ()
    """Images: the tags it has now (or had, when removed)."""
    tag: str = ""
    """Tagged / untagged: which tag."""
    name: str = ""
    """Containers: the name (the new one when renamed)."""
    image_id: str = ""
    """Containers: the image it runs."""

    @property
    def is_image(self) -> bool:
        return self.kind.value.startswith("image-")


def listing(
    images: Iterable[Mapping[str, Any]], containers: Iterable[Mapping[str, Any]]
) -> Listing:
    """A :class:`Listing` from the engine's `GET /images/json` and `/containers/json?all=1`.
    Containers are read as the window reads them (core.formats.parse.parse_container); an
    answer of the wrong shape raises InputError, never a KeyError."""
    listed = {}
    for index, item in enumerate(images):
        image_id = item.get("Id") if isinstance(item, Mapping) else None
        if not isinstance(image_id, str):
            raise InputError(f"/images/json: [{index}] has no image id")
        tags = item.get("RepoTags") or []
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            raise InputError(f"/images/json: [{index}].RepoTags: expected a list of strings")
        listed[image_id] = ListedImage(image_id, tuple(sorted(set(tags) - {"<none>:<none>"})))
    running = {}
    for index, item in enumerate(containers):
        found = parse_container(item, f"/containers/json: [{index}]")
        running[found.id] = ListedContainer(found.id, found.name, found.image_id, found.state)
    return Listing(listed, running)


_STATE_CHANGES = {
    ("paused", "running"): ChangeKind.CONTAINER_UNPAUSED,
    ("running", "paused"): ChangeKind.CONTAINER_PAUSED,
}


def _container_change(before: ListedContainer, after: ListedContainer) -> ChangeKind | None:
    if (before.state, after.state) in _STATE_CHANGES:
        return _STATE_CHANGES[before.state, after.state]
    if after.state == "running" and before.state != "running":
        return ChangeKind.CONTAINER_STARTED
    if before.state in ("running", "paused") and after.state in ("exited", "dead", "created"):
        return ChangeKind.CONTAINER_STOPPED
    return None


def changes(before: Listing, after: Listing) -> list[Change]:
    """Every difference, images first (removed before added, so a moved tag reads as
    untagged here, tagged there), containers after; each in id order."""
    out: list[Change] = []
    old, new = before.images, after.images
    kept = sorted(old.keys() & new.keys())
    moved = {i: (set(old[i].tags), set(new[i].tags), new[i].tags) for i in kept}
    for image_id in sorted(old.keys() - new.keys()):
        out.append(Change(ChangeKind.IMAGE_REMOVED, image_id, old[image_id].tags))
    for image_id, (was, now, tags) in moved.items():
        out += [Change(ChangeKind.IMAGE_UNTAGGED, image_id, tags, tag) for tag in sorted(was - now)]
    for image_id in sorted(new.keys() - old.keys()):
        out.append(Change(ChangeKind.IMAGE_ADDED, image_id, new[image_id].tags))
    for image_id, (was, now, tags) in moved.items():
        out += [Change(ChangeKind.IMAGE_TAGGED, image_id, tags, tag) for tag in sorted(now - was)]
    gone, came = before.containers, after.containers
    for cid in sorted(gone.keys() - came.keys()):
        c = gone[cid]
        out.append(Change(ChangeKind.CONTAINER_REMOVED, cid, name=c.name, image_id=c.image_id))
    for cid in sorted(came.keys() - gone.keys()):
        c = came[cid]
        out.append(Change(ChangeKind.CONTAINER_CREATED, cid, name=c.name, image_id=c.image_id))
        if c.state in ("running", "paused"):
            out.append(Change(ChangeKind.CONTAINER_STARTED, cid, name=c.name, image_id=c.image_id))
        if c.state == "paused":
            out.append(Change(ChangeKind.CONTAINER_PAUSED, cid, name=c.name, image_id=c.image_id))
    for cid in sorted(gone.keys() & came.keys()):
        earlier, later = gone[cid], came[cid]
        if earlier.name != later.name:
            out.append(
                Change(ChangeKind.CONTAINER_RENAMED, cid, name=later.name, image_id=later.image_id)
            )
        kind = _container_change(earlier, later)
        if kind is not None:
            out.append(Change(kind, cid, name=later.name, image_id=later.image_id))
    return out


def as_record(change: Change, when: str) -> dict[str, Any]:
    """The JSON line `watch --format jsonl` prints."""
    record: dict[str, Any] = {"time": when, "kind": change.kind.value}
    if change.is_image:
        record["image"] = {"id": change.id, "tags": list(change.tags)}
        if change.tag:
            record["tag"] = change.tag
    else:
        record["container"] = {"id": change.id, "name": change.name, "image": change.image_id}
    return record


def as_text(change: Change, when: str) -> str:
    """The line `watch` prints: time, kind, then the image or the container."""
    short = change.id.split(":", 1)[-1][:12]
    if change.is_image:
        what = change.tag or ", ".join(change.tags) or "<untagged>"
        return f"{when}  {change.kind.value:<18} {short}  {what}"
    image = change.image_id.split(":", 1)[-1][:12]
    return f"{when}  {change.kind.value:<18} {short}  {change.name}  (image {image})"

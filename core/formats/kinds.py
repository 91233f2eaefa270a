"""What a JSON file holds, told from a few telltale keys before it is read as images: many
files people have look like image lists to a careless reader (a container inspect has an `Id`
too) and would be drawn as a wrong tree. Those are refused in one line that says what the
file is and what to run instead.

Only the telltale keys are decoded (msgspec skips the rest), so telling costs a few ms on a
10,000-image file.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

import msgspec

from fromscratch.core.formats.parse import InputError

INSPECT_ALL = "docker image inspect $(docker image ls -q) > images.json"
"""What to run instead, for every refusal (the README's recipe)."""


class Probe(msgspec.Struct):
    """The keys that tell the kinds apart; everything else is skipped unread."""

    Id: Any = None
    RootFS: Any = None
    State: Any = None
    Names: Any = None
    ImageID: Any = None
    CreatedBy: Any = None
    Config: Any = None
    Layers: Any = None
    RepoTags: Any = None
    ParentId: Any = None
    Digest: Any = None
    Name: Any = None
    ID: Any = None
    Repository: Any = None
    format: Any = None


class Kind(Enum):
    IMAGE = "an image inspect object"
    IMAGE_LISTING = "an image listing (`GET /images/json`)"
    CONTAINER = "a container"
    HISTORY = "a build-history entry (`docker history`, `/images/{id}/history`)"
    SAVE_MANIFEST = "the manifest.json of a `docker save` archive"
    CLI_LISTING = "a `docker images --format` line"
    REGISTRY = "`skopeo inspect` output (a registry's summary of an image)"
    OTHER = "not an image"


def kind_of(probe: Probe) -> Kind:
    """Which kind of object `probe` is (see the module docstring)."""
    if probe.State is not None or probe.Names is not None or probe.ImageID is not None:
        return Kind.CONTAINER
    if isinstance(probe.Config, str) and isinstance(probe.Layers, list):
        return Kind.SAVE_MANIFEST
    if probe.Id is not None and probe.RootFS is None and probe.ParentId is not None:
        return Kind.IMAGE_LISTING
    if probe.CreatedBy is not None and probe.RootFS is None:
        return Kind.HISTORY
    if probe.ID is not None and probe.Repository is not None:
        return Kind.CLI_LISTING
    if probe.Digest is not None and probe.Layers is not None and probe.Name is not None:
        return Kind.REGISTRY
    if probe.Id is not None:
        return Kind.IMAGE
    return Kind.OTHER


MESSAGES = {
    Kind.CONTAINER: "{place} a container, not an image (`docker inspect` of a container, or a "
    "container list): run `{run}`",
    Kind.HISTORY: "{place} a build-history entry (`docker history`, `/images/{{id}}/history`), "
    "not an image: run `{run}`",
    Kind.SAVE_MANIFEST: "{place} the manifest.json of a `docker save` archive, which names "
    "files but holds no image data: `docker load -i ARCHIVE.tar` on an engine and open that, "
    "or run `{run}` there",
    Kind.CLI_LISTING: "{place} a `docker images --format` line, without layers or parents: "
    "run `{run}`",
    Kind.REGISTRY: "{place} `skopeo inspect` output, a registry's summary without build "
    "history or parents: pull the image, then run `{run}`",
    Kind.OTHER: "{place} neither a fromscratch snapshot nor `docker image inspect` output: "
    "run `{run}`",
}


def refuse_others(probes: list[Probe], *, array: bool) -> list[Kind]:
    """The kind of each object; raises InputError for the first one that is neither an image
    nor an image listing, saying what it is and what to run instead."""
    kinds = [kind_of(p) for p in probes]
    for index, kind in enumerate(kinds):
        if kind not in (Kind.IMAGE, Kind.IMAGE_LISTING):
            place = f"[{index}] is" if array else "this is"
            raise InputError(MESSAGES[kind].format(place=place, run=INSPECT_ALL))
    return kinds


PROBE_ARRAY = msgspec.json.Decoder(list[Probe])
PROBE_ONE = msgspec.json.Decoder(Probe)

"""Immutable records of what an engine (or a file) says about images and containers.

Everything downstream (lineage, layout, exporters, the GUI) works on these records, never on
raw engine JSON, so a live engine, a snapshot and a plain `docker image inspect` file all take
the same path after parsing (see :mod:`fromscratch.core.formats.parse`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Annotated, Any

import msgspec

from fromscratch.core.formats.names import main_tag


class HistoryStep(
    msgspec.Struct,
    frozen=True,
    gc=False,
    rename={
        "created_by": "CreatedBy",
        "created": "Created",
        "comment": "Comment",
        "empty_layer": "EmptyLayer",
        "size": "Size",
    },
):
    """One build step of an image, oldest first in :attr:`Image.history`.

    Every builder copies its parent's steps verbatim, so a parent's history is a prefix of its
    child's; :meth:`signature` is what that comparison uses. A msgspec Struct with the engine's
    field names, so the JSON history entries decode straight into it (no per-step conversion:
    a 10,000-image host has ~150k steps), and untracked by the cyclic GC (it holds no objects).
    """

    created_by: str = ""
    created: int | float | str = 0
    """As the source gave it: engine seconds or RFC 3339 text (see `parse.epoch_seconds`)."""
    comment: str = ""
    empty_layer: bool | None = None
    """True when the step only changed metadata (ENV, CMD, LABEL ...) and added no layer.
    None only while decoding engine history, which drops the flag (see core.formats.parse)."""
    size: Annotated[int, msgspec.Meta(ge=0, le=2**53)] | None = None

    def signature(self) -> tuple[str, int | float | str, str]:
        """What two copies of the same step have in common, whoever copied it."""
        return (self.created_by, self.created, self.comment)


class SizeBasis(StrEnum):
    """What an image's size and its layers' sizes count; figures of different bases are never
    added, subtracted or compared (engines-today: the same busybox is 2,063,232 bytes on
    overlay2, 2,101,248 unpacked and 1,142,894 compressed on the containerd store)."""

    LAYER_BYTES = "layer bytes"
    """A graph driver's (overlay2 ...) or Podman's: the bytes of the layers' files."""
    UNPACKED_BLOCKS = "unpacked, in 4 KiB disk blocks"
    """The containerd image store's history sizes and `Size.Unpacked`: snapshot disk usage."""
    COMPRESSED = "compressed content"
    """The containerd image store's inspect `Size`, when no unpacked figure is told."""


@dataclass(frozen=True, slots=True)
class Image:
    """One local image, as far as ancestry and the details panel need it."""

    id: str
    tags: tuple[str, ...]
    layers: tuple[str, ...]
    history: tuple[HistoryStep, ...] | None
    """Oldest first; None when the source had no history (ancestry is then weaker)."""
    parent: str = ""
    """The engine's `Parent` field (classic builder only), normalised to `sha256:` form."""
    digests: tuple[str, ...] = ()
    created: str = ""
    os: str = ""
    architecture: str = ""
    size: int = 0
    layer_sizes: tuple[int, ...] | None = None
    cmd: tuple[str, ...] | None = None
    entrypoint: tuple[str, ...] | None = None
    env: tuple[str, ...] = ()
    labels: Mapping[str, str] = field(default_factory=dict, hash=False, compare=False)
    comment: str = ""
    tags_known: bool = True
    """False when the source does not say (Docker 1.8's inspect has no `RepoTags`): then an
    image without tags is not "dangling", its tags are merely not told."""
    size_basis: SizeBasis = SizeBasis.LAYER_BYTES
    """What `size` and `layer_sizes` count."""
    content_size: int | None = None
    """Compressed content bytes (the containerd image store's inspect `Size`), never mixed
    with `size`."""
    manifest: str = ""
    """The platform manifest's digest, when the source tells it (containerd image store): two
    ids with the same manifest are one image wrapped in two indexes."""
    aliases: tuple[str, ...] = ()
    """Other ids of this same image (see core.formats.identity)."""

    @property
    def short_id(self) -> str:
        """The 12 hex digits people know from `docker images`."""
        return self.id.split(":", 1)[-1][:12]

    @property
    def name(self) -> str:
        """The main tag (core.formats.names.main_tag), or the short id for an untagged image."""
        if self.tags:
            return main_tag(self.tags)
        return f"<none>@{self.short_id}" if self.tags_known else f"<untold>@{self.short_id}"


@dataclass(frozen=True, slots=True)
class Container:
    """A container and the image it runs, linked by image id."""

    id: str
    names: tuple[str, ...]
    image_id: str
    image: str
    """What it was started with: a tag, which may have moved to another image since."""
    state: str
    """created, running, paused, restarting, exited, dead."""
    status: str = ""
    """The engine's own words for it when listed: "Up 5 minutes", "Exited (0) 2 hours ago"."""
    ports: tuple[str, ...] = ()
    """Published ports as `docker ps` writes them: "0.0.0.0:8080->80/tcp", "443/tcp"."""
    created: int = 0
    """When it was created (Unix time; 0 when unknown)."""

    @property
    def name(self) -> str:
        return self.names[0] if self.names else self.id[:12]


@dataclass(frozen=True, slots=True)
class EngineFacts:
    """The parts of `/version` and `/info` the app shows; none of them carry ancestry."""

    kernel_version: str = ""
    operating_system: str = ""
    os_type: str = ""
    architecture: str = ""
    server_version: str = ""
    api_version: str = ""
    storage_driver: str = ""
    containerd_store: bool = False
    default_runtime: str = ""
    runtimes: tuple[str, ...] = ()
    product: str = "Docker"
    """Whose engine answers: "Docker", or "Podman" (its /version names a "Podman Engine")."""


@dataclass(frozen=True, slots=True)
class Inventory:
    """Everything one load produced: the input of lineage, and what a snapshot stores."""

    images: tuple[Image, ...]
    containers: tuple[Container, ...] = ()
    engine: EngineFacts = field(default_factory=EngineFacts)
    source: str = ""
    """Where the data came from, for the status bar: an endpoint, a file, or the sample."""
    captured: str = ""
    """ISO time of capture (UTC)."""
    contents: Mapping[str, Mapping[str, Any]] = field(
        default_factory=dict, hash=False, compare=False
    )
    """Image contents summaries by image id (`Contents` as JSON), when gathered."""
    layer_files: Mapping[str, str] = field(default_factory=dict, hash=False, compare=False)
    """Layer indexes a snapshot carries (`snapshot save --with-files`): by diff-ID, the layer
    cache's own file (core.layers.cache), base64."""

    def counted(self) -> str:
        """How many images, as `docker images` counts them (tagged and dangling), and the
        classic builder's build-step images apart (`docker images -a` adds those)."""
        steps = len(build_steps(self.images))
        text = plural(len(self.images) - steps, "image")
        return text + (f", {plural(steps, 'build-step image')}" if steps else "")


def build_steps(images: Iterable[Image]) -> set[str]:
    """The ids of the classic builder's build-step images: untagged images that another image
    names as its Parent (hidden, as `docker images` hides them)."""
    images = list(images)
    parents = {i.parent for i in images if i.parent}
    return {i.id for i in images if not i.tags and i.id in parents}


def plural(count: int, noun: str) -> str:
    """`1 image`, `2 images`, `0 images`: every count says what it counts."""
    return f"{count:,} {noun}" + ("" if count == 1 else "s")

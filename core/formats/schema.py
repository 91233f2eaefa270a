"""The engine JSON we read, as msgspec types: decoded and type-checked in C.

Why msgspec: a 10,250-image inspect file took 0.16-0.22 s to `json.load` and then ~0.17 s more
to check and convert in Python; typed decoding does both in ~0.05 s and names the offending
field (`$[3].RootFS.Layers`), which :func:`explain` turns into our one-line messages.
Fields we do not read are skipped without being built.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

import msgspec

from fromscratch.core.formats.inventory import HistoryStep, SizeBasis

Bytes = Annotated[int, msgspec.Meta(ge=0, le=2**53)]
"""A size: never negative, and within what a float (JSON's number) holds exactly."""
StringOrList = list[str] | str | None
"""Old configs write `Cmd: "sh"`; the engine writes a list."""


class RawRootFS(msgspec.Struct):
    Layers: list[str] | None = None


class RawConfig(msgspec.Struct):
    Cmd: StringOrList = None
    Entrypoint: StringOrList = None
    Env: StringOrList = None
    Labels: dict[str, str] | None = None


class RawOCIHistory(msgspec.Struct):
    """One step of an image config's `history` (OCI): what `podman image inspect` inlines as
    `History` and a `docker save` archive's configs hold; oldest first, flags present."""

    created: str | None = None
    created_by: str | None = None
    comment: str | None = None
    empty_layer: bool | None = None


class RawDescriptor(msgspec.Struct):
    """An OCI descriptor; the containerd image store's inspect and listing have the image's."""

    mediaType: str | None = None
    digest: str | None = None


class RawPlatform(msgspec.Struct):
    os: str | None = None
    architecture: str | None = None


class RawUnpacked(msgspec.Struct):
    Unpacked: Bytes | None = None


class RawImageData(msgspec.Struct):
    Platform: RawPlatform | None = None
    Size: RawUnpacked | None = None


class RawManifest(msgspec.Struct):
    """One entry of `Manifests` (`?manifests=1`, API 1.47+, containerd image store)."""

    ID: str | None = None
    Kind: str | None = None
    Available: bool | None = None
    ImageData: RawImageData | None = None


class RawImage(msgspec.Struct):
    """One object of `docker image inspect`, plus the bundled sample's `X-` extras."""

    Id: str
    RepoTags: list[str] | None = None
    RepoDigests: list[str] | None = None
    Parent: str | None = None
    ParentId: str | None = None
    """`GET /images/json` (an image listing) names the parent here."""
    Created: str | int | None = None
    Os: str | None = None
    Architecture: str | None = None
    Size: Bytes | None = None
    VirtualSize: Bytes | None = None
    """Before Docker 1.10 the whole image's size (`Size` was its own layer's); equal to `Size`
    later, then gone."""
    Comment: str | None = None
    Config: RawConfig | None = None
    RootFS: RawRootFS | None = None
    History: list[RawOCIHistory] | None = None
    """Podman's inspect inlines the config's history here."""
    Descriptor: RawDescriptor | None = None
    """Only the containerd image store writes it: the id is then an index or manifest digest
    and `Size` the compressed content."""
    Manifests: list[RawManifest] | None = None
    XHistory: list[HistoryStep] | None = msgspec.field(default=None, name="X-History")
    XLayerSizes: list[Bytes] | None = msgspec.field(default=None, name="X-LayerSizes")
    XSizeBasis: SizeBasis | None = msgspec.field(default=None, name="X-SizeBasis")
    XContentSize: Bytes | None = msgspec.field(default=None, name="X-ContentSize")
    XManifest: str | None = msgspec.field(default=None, name="X-Manifest")
    XAliases: list[str] | None = msgspec.field(default=None, name="X-Aliases")


class RawEntry(msgspec.Struct):
    """One image of a snapshot: inspect and history kept apart, as the engine serves them."""

    inspect: RawImage
    history: list[HistoryStep] | None = None


class RawContents(msgspec.Struct):
    """What an image's files hold (core.evidence.contents.Contents), as a snapshot keeps it:
    checked here, so a damaged summary is refused with the file, not met later."""

    image_id: str
    dirs: list[tuple[str, Bytes]]
    files: Bytes
    package_managers: list[str]
    kernel_files: list[str] = []
    os_release: str = ""
    executables_at_root: list[str] = []
    largest: list[tuple[str, Bytes]] = []
    links: Bytes = 0
    executables: Bytes = 0
    """Counts (not bytes), as bounded: files with an execute bit ..."""
    libraries: Bytes = 0
    configs: Bytes = 0


class RawSnapshot(msgspec.Struct):
    """A snapshot document (version already checked by :class:`RawHeader`)."""

    images: list[RawEntry]
    format: str = ""
    version: int = 0
    captured: str | None = None
    source: str | None = None
    host: str | None = None
    redacted: bool = False
    engine: dict[str, Any] | None = None
    containers: list[dict[str, Any]] | None = None
    contents: dict[str, RawContents] | None = None
    layer_files: dict[str, str] | None = None
    """Layer indexes by diff-ID (core.layers.cache's files, base64), when saved with them."""


class RawHeader(msgspec.Struct):
    """What is read first, to tell the shapes and versions apart before decoding in full."""

    format: Any = None
    version: Any = None
    Id: Any = None


INSPECT_ARRAY = msgspec.json.Decoder(list[RawImage])
SINGLE_IMAGE = msgspec.json.Decoder(RawImage)
SNAPSHOT = msgspec.json.Decoder(RawSnapshot)
HEADER = msgspec.json.Decoder(RawHeader)

_AT = re.compile(r"^(?P<what>.*?)(?: - at `\$(?P<path>[^`]*)`)?$", re.DOTALL)
_MISSING = re.compile(r"Object missing required field `(?P<field>[^`]+)`")
_EXPECTED = re.compile(r"Expected `(?P<want>[^`]+)`, got `(?P<got>[^`]+)`")


def explain(error: msgspec.ValidationError, where: str = "") -> str:
    """`images[0].RootFS.Layers: expected array, got str` from msgspec's message."""
    match = _AT.match(str(error))
    what, path = (match.group("what"), match.group("path") or "") if match else (str(error), "")
    path = re.sub(r"^\.images\[(\d+)\]\.inspect", r"images[\1]", path)
    path = re.sub(r"^\.images\[(\d+)\]\.history", r"images[\1].history", path)
    location = (where + path).lstrip(".")
    missing = _MISSING.search(what)
    if missing:
        field = missing.group("field")
        hint = "; is this `docker image inspect` output?" if field == "Id" else ""
        return f"{location}.{field}: missing{hint}".lstrip(".")
    expected = _EXPECTED.search(what)
    if expected:
        what = f"expected {expected.group('want')}, got {expected.group('got')}"
    what = what.replace(" | null", "")
    return f"{location or 'document'}: {what[:1].lower()}{what[1:]}"

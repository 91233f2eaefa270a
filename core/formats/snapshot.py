"""Snapshot files: save what a load saw, open it anywhere, recompute lineage on open.

Two inputs are accepted: our own versioned snapshot (JSON, optionally gzip) and the plain output
of `docker image inspect $(docker image ls -q)`, so data can be captured on a server with nothing
installed. Every problem is a :class:`SnapshotError` whose one-line message names the file and
the field; writes are atomic, so a failed save never leaves half a file behind.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import msgspec

from fromscratch.core.files import FileReadError, atomic_write, read_bounded, regular_file
from fromscratch.core.formats import schema
from fromscratch.core.formats.archive import is_archive, read_archive
from fromscratch.core.formats.encoding import plain_json, stream_to_array
from fromscratch.core.formats.identity import one_per_image
from fromscratch.core.formats.inventory import (
    Container,
    EngineFacts,
    Image,
    Inventory,
    SizeBasis,
)
from fromscratch.core.formats.kinds import PROBE_ARRAY, PROBE_ONE, Probe, refuse_others
from fromscratch.core.formats.parents import refuse_parent_cycles
from fromscratch.core.formats.parse import InputError, image_from_raw, parse_container
from fromscratch.core.perf import no_gc

FORMAT = "fromscratch-snapshot"
VERSION = 1
ARCHIVE_SOURCE = "docker save archive"
HINT = "give a snapshot, `docker image inspect` output or a `docker save` archive"
MAX_BYTES = 512 * 1024 * 1024
"""Larger files (or gzip that inflates past this) are refused rather than exhausting memory."""


class SnapshotError(Exception):
    """A file that cannot be opened or saved; the message is one line meant for the user."""


class SnapshotWriteError(SnapshotError):
    """A snapshot that cannot be written (the CLI's exit code 1: the input was fine)."""


def now_iso() -> str:
    """UTC now, to the second, as RFC 3339."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def image_to_json(image: Image) -> dict[str, Any]:
    """An inspect-shaped object with the history inside, oldest first, flags kept."""
    history = None
    if image.history is not None:
        history = [
            {
                "Created": s.created,
                "CreatedBy": s.created_by,
                "Comment": s.comment,
                "EmptyLayer": s.empty_layer,
                "Size": s.size,
            }
            for s in image.history
        ]
    out: dict[str, Any] = {
        "Id": image.id,
        "RepoTags": list(image.tags) if image.tags_known else None,
        "RepoDigests": list(image.digests),
        "Parent": image.parent,
        "Created": image.created,
        "Os": image.os,
        "Architecture": image.architecture,
        "Size": image.size,
        "Comment": image.comment,
        "Config": {
            "Cmd": list(image.cmd) if image.cmd is not None else None,
            "Entrypoint": list(image.entrypoint) if image.entrypoint is not None else None,
            "Env": list(image.env),
            "Labels": dict(image.labels),
        },
        "RootFS": {"Type": "layers", "Layers": list(image.layers)},
    }
    if image.layer_sizes is not None:
        out["X-LayerSizes"] = list(image.layer_sizes)
    if image.size_basis is not SizeBasis.LAYER_BYTES:
        out["X-SizeBasis"] = image.size_basis.value
    if image.content_size is not None:
        out["X-ContentSize"] = image.content_size
    if image.manifest:
        out["X-Manifest"] = image.manifest
    if image.aliases:
        out["X-Aliases"] = list(image.aliases)
    return {"inspect": out, "history": history}


def container_to_json(container: Container) -> dict[str, Any]:
    """The `/containers/json` fields a snapshot keeps."""
    return {
        "Id": container.id,
        "Names": list(container.names),
        "ImageID": container.image_id,
        "Image": container.image,
        "State": container.state,
        "Status": container.status,
        "Ports": list(container.ports),
        "Created": container.created,
    }


def _host() -> str:
    import platform

    return platform.node()


def to_document(inventory: Inventory, *, redacted: bool) -> dict[str, Any]:
    """The JSON document of a snapshot (version :data:`VERSION`)."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "captured": inventory.captured or now_iso(),
        "source": inventory.source,
        "host": _host(),
        "redacted": redacted,
        "engine": asdict(inventory.engine),
        "images": [image_to_json(i) for i in inventory.images],
        "containers": [container_to_json(c) for c in inventory.containers],
        "contents": {k: dict(v) for k, v in inventory.contents.items()},
        **({"layer_files": dict(inventory.layer_files)} if inventory.layer_files else {}),
    }


def save(
    inventory: Inventory, path: str | os.PathLike[str], *, redact_secrets: bool = True
) -> Path:
    """Write a snapshot atomically (gzip when the name ends in `.gz`); returns the path."""
    from fromscratch.core.formats.redact import redact

    target = Path(path)
    data = redact(inventory) if redact_secrets else inventory
    payload = json.dumps(to_document(data, redacted=redact_secrets), separators=(",", ":"))
    raw = payload.encode()
    if target.suffix == ".gz":
        import gzip

        raw = gzip.compress(raw, compresslevel=6, mtime=0)
    try:
        atomic_write(target, raw)
    except OSError as exc:
        raise SnapshotWriteError(
            f"{target}: cannot write it ({exc.strerror or exc}); choose a folder you can write to"
        ) from None
    return target


def read_bytes(path: Path) -> bytes:
    """The file's bytes, un-gzipped, refusing anything larger than :data:`MAX_BYTES`."""
    try:
        return read_bounded(path, MAX_BYTES, hint=HINT)
    except FileReadError as exc:
        raise SnapshotError(str(exc)) from None


def load(path: str | os.PathLike[str]) -> Inventory:
    """Open a snapshot, `docker image inspect` output (any of the shapes `kinds` and
    `encoding` accept), or a `docker save` archive."""
    file = Path(path)
    try:
        regular_file(file, hint=HINT)
    except FileReadError as exc:
        raise SnapshotError(str(exc)) from None
    if is_archive(file):
        try:
            with no_gc():
                return from_document(read_archive(file), source=f"{ARCHIVE_SOURCE} {file}")
        except InputError as exc:
            raise SnapshotError(f"{file}: {exc}") from None
    raw = read_bytes(file)
    try:
        with no_gc():
            return from_bytes(raw, source=str(file))
    except InputError as exc:
        raise SnapshotError(f"{file}: {exc}") from None


def from_bytes(raw: bytes, *, source: str) -> Inventory:
    """Decode either accepted shape straight into checked records (msgspec, see `schema`);
    UTF-16, byte order marks and streams of objects are made plain first (`encoding`)."""
    raw = plain_json(raw)
    try:
        try:
            return _decode(raw, source)
        except InputError as exc:
            if "trailing characters" not in str(exc) or raw.lstrip()[:1] not in (b"{", b"["):
                raise
        return _decode(stream_to_array(raw), source)  # NDJSON, or `jq '.[]'` output
    except RecursionError:
        raise InputError(
            "nested deeper than any image data (hundreds of levels): not a snapshot nor "
            "`docker image inspect` output"
        ) from None


def _decode(raw: bytes, source: str) -> Inventory:
    first = raw.lstrip()[:1]
    try:
        if first == b"[":
            refuse_others(PROBE_ARRAY.decode(raw), array=True)
            return _from_inspect(schema.INSPECT_ARRAY.decode(raw), source)
        if first != b"{":
            msgspec.json.decode(raw)  # raises the precise decode error for non-JSON input
            raise InputError("expected a snapshot object or a `docker image inspect` array")
        header = schema.HEADER.decode(raw)
        if header.format != FORMAT:
            refuse_others([PROBE_ONE.decode(raw)], array=False)
            return _from_inspect([schema.SINGLE_IMAGE.decode(raw)], source)
        _check_version(header.version)
        return _from_snapshot(schema.SNAPSHOT.decode(raw), source)
    except msgspec.ValidationError as exc:
        raise InputError(schema.explain(exc)) from None
    except msgspec.DecodeError as exc:
        text = str(exc)
        what = "truncated JSON" if "truncated" in text else "not valid JSON"
        detail = text.split(": ", 1)[-1] if ":" in text else text
        raise InputError(f"{what} ({detail[:1].lower()}{detail[1:]})") from None


def from_document(document: object, *, source: str) -> Inventory:
    """Records from an already-decoded document (either accepted shape)."""
    try:
        if isinstance(document, list):
            refuse_others(msgspec.convert(document, list[Probe]), array=True)
            return _from_inspect(msgspec.convert(document, list[schema.RawImage]), source)
        if not isinstance(document, dict):
            raise InputError("expected a snapshot object or a `docker image inspect` array")
        if document.get("format") != FORMAT:
            refuse_others([msgspec.convert(document, Probe)], array=False)
            return _from_inspect([msgspec.convert(document, schema.RawImage)], source)
        _check_version(document.get("version"))
        return _from_snapshot(msgspec.convert(document, schema.RawSnapshot), source)
    except msgspec.ValidationError as exc:
        raise InputError(schema.explain(exc)) from None


def _check_version(version: object) -> None:
    if not isinstance(version, int) or isinstance(version, bool):
        raise InputError("version: missing or not a number")
    if version < 1:
        raise InputError(f"version: {version} is no snapshot version (this app writes {VERSION})")
    if version > VERSION:
        raise InputError(f"version: {version} is newer than this app reads ({VERSION}); update it")


def _from_inspect(images: list[schema.RawImage], source: str) -> Inventory:
    records = tuple(image_from_raw(image, None, f"[{i}]") for i, image in enumerate(images))
    refuse_parent_cycles(records, "")
    return one_per_image(Inventory(images=records, source=source))


def _from_snapshot(document: schema.RawSnapshot, source: str) -> Inventory:
    images = tuple(
        image_from_raw(entry.inspect, entry.history, f"images[{i}]")
        for i, entry in enumerate(document.images)
    )
    refuse_parent_cycles(images, "images")
    containers = document.containers or []
    inventory = Inventory(
        images=images,
        containers=tuple(parse_container(c, f"containers[{i}]") for i, c in enumerate(containers)),
        engine=_engine(document.engine),
        source=document.source or source,
        captured=document.captured or "",
        contents={k: msgspec.to_builtins(v) for k, v in (document.contents or {}).items()},
        layer_files=document.layer_files or {},
    )
    return one_per_image(inventory)


def _engine(raw: object) -> EngineFacts:
    if raw is None:
        return EngineFacts()
    if not isinstance(raw, dict):
        raise InputError("engine: expected an object")
    known = {f.name: f for f in fields(EngineFacts)}
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in known:
            continue
        if key == "runtimes":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise InputError("engine.runtimes: expected a list of strings")
            value = tuple(value)
        elif key == "containerd_store":
            if not isinstance(value, bool):
                raise InputError("engine.containerd_store: expected true or false")
        elif not isinstance(value, str):
            raise InputError(f"engine.{key}: expected a string")
        values[key] = value
    return EngineFacts(**values)

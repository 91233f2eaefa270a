"""`docker save` archives opened directly: the images, their build history and their layer
sizes, with no engine (as dive studies an archive).

Both layouts are read: the legacy docker-archive (`manifest.json`, one config JSON per image,
`<id>/layer.tar`) and the OCI image layout (`index.json`, `blobs/sha256/...`; Docker 25+
writes both indexes). The tar, plain or gzip, is streamed once: only members small enough to
be a manifest or a config are kept (layers are skipped, their sizes noted), so memory stays
small whatever the archive's size.
"""

from __future__ import annotations

import hashlib
import json
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

from fromscratch.core.formats.inventory import SizeBasis
from fromscratch.core.formats.parse import InputError

KEEP_BELOW = 16 * 1024 * 1024
"""Members larger than this are layers: never read into memory."""
KEPT_AT_MOST = 512 * 1024 * 1024
OCI_MANIFESTS = (
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.docker.distribution.manifest.v2+json",
)
OCI_INDEXES = (
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
)
REF_NAME = "org.opencontainers.image.ref.name"
IMAGE_NAME = "io.containerd.image.name"
REFERENCE_TYPE = "vnd.docker.reference.type"


def is_archive(path: Path) -> bool:
    """A tar (plain or gzip) rather than JSON: its first bytes say so."""
    try:
        with path.open("rb") as handle:
            head = handle.read(512)
    except OSError:
        return False
    if head[:2] == b"\x1f\x8b":
        import gzip

        try:
            with gzip.open(path, "rb") as inner:
                head = inner.read(512)
        except (OSError, EOFError):
            return False
    return len(head) >= 262 and head[257:262] == b"ustar"


def read_archive(path: Path) -> list[dict[str, Any]]:
    """The archive's images as `docker image inspect`-shaped objects (plus the config's
    `History` and `X-LayerSizes`), for the usual reader; InputError for what is not a
    `docker save` archive."""
    members = _stream(path)
    if "manifest.json" in members.kept:
        return _from_docker_manifest(members)
    if "index.json" in members.kept:
        return _from_oci_index(members)
    raise InputError(
        "a tar archive without manifest.json or index.json: not a `docker save` archive; "
        "run `docker save IMAGE... -o images.tar` or `docker image inspect`"
    )


class _Members(NamedTuple):
    kept: dict[str, bytes]
    """Manifests, configs and indexes by member name."""
    sizes: dict[str, int]
    compressed: set[str]
    """Members whose bytes are gzip or zstd: layers as the containerd store saves them."""


COMPRESSED_MAGIC = (b"\x1f\x8b", b"\x28\xb5\x2f\xfd")


def _stream(path: Path) -> _Members:
    kept: dict[str, bytes] = {}
    sizes: dict[str, int] = {}
    compressed: set[str] = set()
    total = 0
    try:
        with tarfile.open(path, mode="r|*") as tar:
            for member in tar:
                if not member.isfile():
                    continue
                name = member.name.removeprefix("./")
                sizes[name] = member.size
                handle = tar.extractfile(member)
                if handle is None:
                    continue
                data = handle.read(4 if member.size >= KEEP_BELOW else -1)
                if data.startswith(COMPRESSED_MAGIC):
                    compressed.add(name)
                if member.size >= KEEP_BELOW:
                    continue
                if data[:1] in (b"{", b"[") or name.endswith(".json"):
                    total += len(data)
                    if total > KEPT_AT_MOST:
                        raise InputError("holds more manifests and configs than 512 MiB")
                    kept[name] = data
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise InputError(f"a damaged or truncated tar archive ({exc})") from None
    return _Members(kept, sizes, compressed)


def _object(kept: dict[str, bytes], name: str) -> dict[str, Any]:
    """An index or manifest of the archive: a JSON object, else a one-line refusal."""
    value = _json(kept, name)
    if not isinstance(value, dict):
        raise InputError(f"{name}: expected a JSON object, got {type(value).__name__}")
    return value


def _config_digest(manifest: dict[str, Any]) -> object:
    config = manifest.get("config")
    return config.get("digest") if isinstance(config, dict) else None


def _json(kept: dict[str, bytes], name: str) -> Any:
    if name not in kept:
        raise InputError(f"{name}: named by the archive's index but missing from it")
    try:
        return json.loads(kept[name])
    except ValueError:
        raise InputError(f"{name}: not valid JSON") from None


class _Named(NamedTuple):
    """What the archive's index.json says of one image (by its config blob)."""

    manifest: str
    """The platform manifest's digest."""
    wrapper: str
    """The top-level index's digest when the image was saved wrapped in one: the containerd
    image store's id for it (a BuildKit build with its attestation)."""


def _image(
    config_bytes: bytes,
    tags: list[str],
    layer_sizes: list[int] | None,
    *,
    compressed: bool,
    named: _Named | None,
) -> dict[str, Any]:
    """An inspect-shaped object from an image config (the id is the config's digest)."""
    try:
        config = json.loads(config_bytes)
    except ValueError:
        raise InputError("an image config that is not valid JSON") from None
    if not isinstance(config, dict):
        raise InputError("an image config that is not an object")
    rootfs = config.get("rootfs") or {}
    layers = rootfs.get("diff_ids") if isinstance(rootfs, dict) else None
    image: dict[str, Any] = {
        "Id": "sha256:" + hashlib.sha256(config_bytes).hexdigest(),
        "RepoTags": tags,
        "Created": config.get("created"),
        "Os": config.get("os"),
        "Architecture": config.get("architecture"),
        "Config": config.get("config"),
        "RootFS": {"Type": "layers", "Layers": layers or []},
        "History": config.get("history"),
    }
    if named is not None:
        image["X-Manifest"] = named.manifest
        if named.wrapper:
            image["X-Aliases"] = [named.wrapper]
    if layer_sizes is not None and layers is not None and len(layer_sizes) == len(layers):
        image["X-LayerSizes"] = layer_sizes
        image["Size"] = sum(layer_sizes)
        if compressed:  # blob sizes of gzip or zstd layers: never added to unpacked ones
            image["X-SizeBasis"] = SizeBasis.COMPRESSED.value
            image["X-ContentSize"] = image["Size"]
    return image


def _from_docker_manifest(members: _Members) -> list[dict[str, Any]]:
    kept = members.kept
    manifest = _json(kept, "manifest.json")
    if not isinstance(manifest, list):
        raise InputError("manifest.json: expected a list of images")
    named = _index_names(kept) if "index.json" in kept else {}
    images = []
    for index, entry in enumerate(manifest):
        if not isinstance(entry, dict) or not isinstance(entry.get("Config"), str):
            raise InputError(f"manifest.json[{index}].Config: missing")
        config = entry["Config"]
        if config not in kept:
            raise InputError(f"manifest.json[{index}].Config: {config} is not in the archive")
        layer_paths = entry.get("Layers") or []
        if not isinstance(layer_paths, list) or not all(isinstance(x, str) for x in layer_paths):
            raise InputError(f"manifest.json[{index}].Layers: expected a list of paths")
        layer_sizes = [members.sizes[p] for p in layer_paths if p in members.sizes]
        complete = len(layer_sizes) == len(layer_paths)
        tags = [t for t in entry.get("RepoTags") or [] if isinstance(t, str)]
        images.append(
            _image(
                kept[config],
                tags,
                layer_sizes if complete else None,
                compressed=any(p in members.compressed for p in layer_paths),
                named=named.get(config),
            )
        )
    return images


def _blob(digest: object) -> str:
    if not isinstance(digest, str) or ":" not in digest:
        raise InputError(f"index.json: a descriptor without a digest ({digest!r})")
    algorithm, _, hexdigest = digest.partition(":")
    return f"blobs/{algorithm}/{hexdigest}"


class _Found(NamedTuple):
    manifest: dict[str, Any]
    digest: str
    wrapper: str
    tags: list[str]


def _walk_index(kept: dict[str, bytes]) -> Iterator[_Found]:
    """Every image manifest that index.json reaches (through nested indexes), with the
    top-level index that wraps it and the names given on the way."""
    todo: list[tuple[dict[str, Any], list[str], str]] = [(_object(kept, "index.json"), [], "")]
    while todo:
        index, tags, wrapper = todo.pop()
        for descriptor in index.get("manifests") or []:
            if not isinstance(descriptor, dict):
                continue
            notes = descriptor.get("annotations") or {}
            if notes.get(REFERENCE_TYPE) == "attestation-manifest":
                continue  # BuildKit's provenance: no image of its own
            names = [n for n in (notes.get(IMAGE_NAME), notes.get(REF_NAME)) if n]
            here = [*tags, *(n for n in names[:1] if ":" in n.split("/")[-1] or "/" in n)]
            blob = _blob(descriptor.get("digest"))
            kind = descriptor.get("mediaType")
            if kind in OCI_INDEXES:
                todo.append((_object(kept, blob), here, wrapper or descriptor["digest"]))
            elif kind in OCI_MANIFESTS:
                yield _Found(_object(kept, blob), descriptor["digest"], wrapper, here)


def _index_names(kept: dict[str, bytes]) -> dict[str, _Named]:
    names: dict[str, _Named] = {}
    for found in _walk_index(kept):
        config = _config_digest(found.manifest)
        if isinstance(config, str) and ":" in config:
            names.setdefault(_blob(config), _Named(found.digest, found.wrapper))
    return names


def _from_oci_index(members: _Members) -> list[dict[str, Any]]:
    kept = members.kept
    found: dict[str, dict[str, Any]] = {}
    for item in _walk_index(kept):
        config = _blob(_config_digest(item.manifest))
        if config not in kept:
            continue  # an attestation or another platform's manifest not exported
        layers = item.manifest.get("layers") or []
        if not isinstance(layers, list) or not all(isinstance(x, dict) for x in layers):
            raise InputError(f"{_blob(item.digest)}: layers: expected a list of descriptors")
        paths = [_blob(x.get("digest")) for x in layers]
        layer_sizes = [
            members.sizes.get(path, x.get("size", 0)) for path, x in zip(paths, layers, strict=True)
        ]
        image = _image(
            kept[config],
            item.tags,
            layer_sizes,
            compressed=any(p in members.compressed for p in paths),
            named=_Named(item.digest, item.wrapper),
        )
        previous = found.get(image["Id"])
        if previous is not None:  # one image, several names
            previous["RepoTags"] = sorted({*previous["RepoTags"], *item.tags})
            if "X-Aliases" in image:
                previous["X-Aliases"] = sorted(
                    {*previous.get("X-Aliases", []), *image["X-Aliases"]}
                )
        else:
            found[image["Id"]] = image
    return list(found.values())

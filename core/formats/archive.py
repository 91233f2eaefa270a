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
from pathlib import Path
from typing import Any

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
    kept, sizes = _stream(path)
    if "manifest.json" in kept:
        return _from_docker_manifest(kept, sizes)
    if "index.json" in kept:
        return _from_oci_index(kept, sizes)
    raise InputError(
        "a tar archive without manifest.json or index.json: not a `docker save` archive; "
        "run `docker save IMAGE... -o images.tar` or `docker image inspect`"
    )


def _stream(path: Path) -> tuple[dict[str, bytes], dict[str, int]]:
    kept: dict[str, bytes] = {}
    sizes: dict[str, int] = {}
    total = 0
    try:
        with tarfile.open(path, mode="r|*") as tar:
            for member in tar:
                if not member.isfile():
                    continue
                name = member.name.removeprefix("./")
                sizes[name] = member.size
                if member.size >= KEEP_BELOW:
                    continue
                handle = tar.extractfile(member)
                if handle is None:
                    continue
                data = handle.read()
                if data[:1] in (b"{", b"[") or name.endswith(".json"):
                    total += len(data)
                    if total > KEPT_AT_MOST:
                        raise InputError("holds more manifests and configs than 512 MiB")
                    kept[name] = data
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise InputError(f"a damaged or truncated tar archive ({exc})") from None
    return kept, sizes


def _json(kept: dict[str, bytes], name: str) -> Any:
    if name not in kept:
        raise InputError(f"{name}: named by the archive's index but missing from it")
    try:
        return json.loads(kept[name])
    except ValueError:
        raise InputError(f"{name}: not valid JSON") from None


def _image(config_bytes: bytes, tags: list[str], layer_sizes: list[int] | None) -> dict[str, Any]:
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
    if layer_sizes is not None and layers is not None and len(layer_sizes) == len(layers):
        image["X-LayerSizes"] = layer_sizes
        image["Size"] = sum(layer_sizes)
    return image


def _from_docker_manifest(kept: dict[str, bytes], sizes: dict[str, int]) -> list[dict[str, Any]]:
    manifest = _json(kept, "manifest.json")
    if not isinstance(manifest, list):
        raise InputError("manifest.json: expected a list of images")
    images = []
    for index, entry in enumerate(manifest):
        if not isinstance(entry, dict) or not isinstance(entry.get("Config"), str):
            raise InputError(f"manifest.json[{index}].Config: missing")
        config = entry["Config"]
        if config not in kept:
            raise InputError(f"manifest.json[{index}].Config: {config} is not in the archive")
        layer_paths = entry.get("Layers") or []
        layer_sizes = [sizes[p] for p in layer_paths if p in sizes]
        complete = len(layer_sizes) == len(layer_paths)
        tags = [t for t in entry.get("RepoTags") or [] if isinstance(t, str)]
        images.append(_image(kept[config], tags, layer_sizes if complete else None))
    return images


def _blob(digest: object) -> str:
    if not isinstance(digest, str) or ":" not in digest:
        raise InputError(f"index.json: a descriptor without a digest ({digest!r})")
    algorithm, _, hexdigest = digest.partition(":")
    return f"blobs/{algorithm}/{hexdigest}"


def _from_oci_index(kept: dict[str, bytes], sizes: dict[str, int]) -> list[dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    todo: list[tuple[dict[str, Any], list[str]]] = [(_json(kept, "index.json"), [])]
    while todo:
        index, tags = todo.pop()
        for descriptor in index.get("manifests") or []:
            if not isinstance(descriptor, dict):
                continue
            notes = descriptor.get("annotations") or {}
            names = [n for n in (notes.get(IMAGE_NAME), notes.get(REF_NAME)) if n]
            here = [*tags, *(n for n in names[:1] if ":" in n.split("/")[-1] or "/" in n)]
            blob = _blob(descriptor.get("digest"))
            kind = descriptor.get("mediaType")
            if kind in OCI_INDEXES:
                todo.append((_json(kept, blob), here))
            elif kind in OCI_MANIFESTS:
                manifest = _json(kept, blob)
                config = _blob((manifest.get("config") or {}).get("digest"))
                if config not in kept:
                    continue  # an attestation or another platform's manifest not exported
                layers = manifest.get("layers") or []
                layer_sizes = [sizes.get(_blob(x.get("digest")), x.get("size", 0)) for x in layers]
                image = _image(kept[config], here, layer_sizes)
                previous = found.get(image["Id"])
                if previous is not None:  # one image, several names
                    previous["RepoTags"] = sorted({*previous["RepoTags"], *here})
                else:
                    found[image["Id"]] = image
    return list(found.values())

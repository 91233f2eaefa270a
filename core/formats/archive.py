"""`docker save` archives opened directly: the images, their build history and their layer
sizes, with no engine (as dive studies an archive).

Both layouts are read: the legacy docker-archive (`manifest.json`, one config JSON per image,
`<id>/layer.tar`) and the OCI image layout (`index.json`, `blobs/sha256/...`; Docker 25+
writes both indexes). The tar, plain or gzip, is read once: only members small enough to be a
manifest or a config are kept; of a layer only its tar headers are read, to count its bytes as
the engine's graph drivers do (the files' sizes and the links' targets, each hard-linked file
once; a layer's own tar padding and headers are not on disk). A compressed layer (a
containerd store's save) is counted by its compressed bytes, and says so.

Every bound is on the work as well as on what is kept, so a small hostile file cannot hang
the reader or fill memory: the bytes a gzip archive inflates to (by ratio), the bytes kept,
the configs read for the images listed, the images listed, the indexes followed (each once).
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, NamedTuple

from fromscratch.core.formats.imageconfig import inspect_of_config
from fromscratch.core.formats.inflate import READ_BLOCK, Inflated, Peeked
from fromscratch.core.formats.parse import InputError

KEEP_BELOW = 16 * 1024 * 1024
"""Members larger than this are layers: never read into memory."""
KEPT_AT_MOST = 512 * 1024 * 1024
"""Manifests, indexes and configs kept, all together."""
CONFIGS_AT_MOST = 512 * 1024 * 1024
"""The config bytes of all images listed: one config named by 10,000 entries counts 10,000
times, since every image gets its own records of it."""
IMAGES_AT_MOST = 50_000
LINK_HOPS = 40
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
GZIP_MAGIC = b"\x1f\x8b"
COMPRESSED_MAGIC = (GZIP_MAGIC, b"\x28\xb5\x2f\xfd")


def is_archive(path: Path) -> bool:
    """A tar (plain or gzip) rather than JSON: its first bytes say so."""
    try:
        with path.open("rb") as handle:
            head = handle.read(512)
    except OSError:
        return False
    if head[:2] == GZIP_MAGIC:
        try:
            with path.open("rb") as handle:
                head = Inflated(handle).read(512)
        except (OSError, InputError):
            return False
    return _is_tar(head)


def _is_tar(head: bytes) -> bool:
    return len(head) >= 262 and head[257:262] == b"ustar"


def read_archive(path: Path) -> list[dict[str, Any]]:
    """The archive's images as `docker image inspect`-shaped objects (plus the config's
    `History` and `X-LayerSizes`), for the usual reader; InputError for what is not a
    `docker save` archive."""
    members = _read(path)
    if "manifest.json" in members.kept or "index.json" in members.kept:
        images = (
            _from_docker_manifest(members)
            if "manifest.json" in members.kept
            else _from_oci_index(members)
        )
        if not images:
            index = "manifest.json" if "manifest.json" in members.kept else "index.json"
            raise InputError(f"its {index} names no image whose config the archive holds")
        return images
    raise InputError(
        "a tar archive without manifest.json or index.json: not a `docker save` archive; "
        "run `docker save IMAGE... -o images.tar` or `docker image inspect`"
    )


class _Layer(NamedTuple):
    """What the archive holds at one member name that is not kept as JSON."""

    content: int | None
    """Bytes on disk as a graph driver counts them, for a plain tar layer; None otherwise."""
    compressed: int | None
    """The member's bytes, for a gzip or zstd layer."""


class _Members(NamedTuple):
    kept: dict[str, bytes]
    """Manifests, configs and indexes by member name."""
    layers: dict[str, _Layer]
    """Every other file, links resolved: `<id>/layer.tar` as a symbolic link to the copy an
    earlier image's layer wrote is that layer."""


def _read(path: Path) -> _Members:
    kept: dict[str, bytes] = {}
    layers: dict[str, _Layer] = {}
    links: dict[str, str] = {}
    total = 0
    try:
        with path.open("rb") as raw:
            gzipped = raw.read(2) == GZIP_MAGIC
            raw.seek(0)
            source = Inflated(raw) if gzipped else raw
            # A plain tar is read with seeks over what is not needed; gzip only as a stream.
            with _open_tar(source, stream=gzipped) as tar:
                while (member := _next(tar)) is not None:
                    name = _name(member.name)
                    if member.issym() or member.islnk():
                        target = member.linkname
                        if member.issym():
                            target = posixpath.join(posixpath.dirname(name), target)
                        links[name] = _name(target)
                        continue
                    if not member.isfile():
                        continue
                    handle = tar.extractfile(member)
                    if handle is None:
                        continue
                    head = handle.read(min(member.size, 512))
                    json_like = head[:1] in (b"{", b"[") or name.endswith(".json")
                    if member.size < KEEP_BELOW and json_like:
                        data = head + handle.read()
                        total += len(data)
                        if total > KEPT_AT_MOST:
                            raise InputError("holds more manifests and configs than 512 MiB")
                        kept[name] = data
                    elif head.startswith(COMPRESSED_MAGIC):
                        layers[name] = _Layer(None, member.size)
                    elif _is_tar(head) or (len(head) == 512 and not head.strip(b"\x00")):
                        if not gzipped:
                            handle.seek(0)
                            head = b""
                        layers[name] = _Layer(_tar_content(handle, head, stream=gzipped), None)
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise InputError(f"a damaged or truncated tar archive ({exc})") from None
    _follow(links, kept, layers)
    return _Members(kept, layers)


def _open_tar(source: Any, *, stream: bool) -> tarfile.TarFile:
    """A tar read as a stream (gzip, or inside one) or with seeks over the data not needed."""
    if stream:
        return tarfile.open(fileobj=source, mode="r|", bufsize=READ_BLOCK)
    return tarfile.open(fileobj=source, mode="r:")


def _next(tar: tarfile.TarFile) -> tarfile.TarInfo | None:
    """The next member, not kept: tarfile keeps each member read for random access, which one
    pass over 100,000 of them does not need."""
    member = tar.next()
    tar.members.clear()  # type: ignore[attr-defined]  # CPython's list, not in typeshed
    return member


def _name(name: str) -> str:
    """A member's name as indexes give it: no `./`, no `a/../`."""
    return posixpath.normpath(name.removeprefix("./")) if name else name


def _follow(links: dict[str, str], kept: dict[str, bytes], layers: dict[str, _Layer]) -> None:
    """Give each link (symbolic or hard, inside the archive only) what its target holds."""
    for name, target in links.items():
        for _ in range(LINK_HOPS):
            if target not in links or target == name:
                break
            target = links[target]
        if target.startswith(("../", "/")) or target == "..":
            continue  # outside the archive: names nothing in it
        if target in kept:
            kept.setdefault(name, kept[target])
        elif target in layers:
            layers.setdefault(name, layers[target])


def _tar_content(handle: IO[bytes], head: bytes, *, stream: bool) -> int | None:
    """A layer tar's bytes on disk as dockerd's graph drivers count them (`directory.Size`):
    every file's size, each link's target's length, each hard-linked file once, folders none;
    None for a layer that is not a readable tar."""
    total = 0
    source = Peeked(head, handle) if stream else handle
    try:
        with _open_tar(source, stream=stream) as layer:
            while (entry := _next(layer)) is not None:
                if entry.isreg():
                    total += entry.size
                elif entry.issym():
                    total += len(entry.linkname.encode("utf-8", "surrogateescape"))
    except (tarfile.TarError, EOFError, UnicodeError):
        return None
    return total


def _object(kept: dict[str, bytes], name: str) -> dict[str, Any]:
    """An index or manifest of the archive: a JSON object, else a one-line refusal."""
    value = _json(kept, name)
    if not isinstance(value, dict):
        raise InputError(f"{name}: expected a JSON object, got {type(value).__name__}")
    return value


def _json(kept: dict[str, bytes], name: str) -> Any:
    if name not in kept:
        raise InputError(f"{name}: named by the archive's index but missing from it")
    try:
        return json.loads(kept[name])
    except RecursionError:
        raise InputError(f"{name}: JSON nested hundreds of levels deep: not image data") from None
    except ValueError:
        raise InputError(f"{name}: not valid JSON") from None


_KINDS: dict[type, str] = {list: "a list", dict: "an object", str: "a string"}


def _field(value: dict[str, Any], key: str, kind: type, where: str) -> Any:
    """`value[key]` when it is of `kind` (None when absent), else a one-line refusal."""
    found = value.get(key)
    if found is not None and not isinstance(found, kind):
        expected = _KINDS.get(kind, kind.__name__)
        raise InputError(f"{where}.{key}: expected {expected}, got {type(found).__name__}")
    return found


class _Named(NamedTuple):
    """What the archive's index.json says of one image (by its config blob)."""

    manifest: str
    """The platform manifest's digest."""
    wrapper: str
    """The top-level index's digest when the image was saved wrapped in one: the containerd
    image store's id for it (a BuildKit build with its attestation)."""


class _Config(NamedTuple):
    id: str
    value: dict[str, Any]
    size: int


class _Images:
    """The images being made, with the configs each is read from parsed once and the work
    bounded (see :data:`CONFIGS_AT_MOST`, :data:`IMAGES_AT_MOST`)."""

    def __init__(self, members: _Members) -> None:
        self.members = members
        self._configs: dict[str, _Config] = {}
        self._read = 0
        self.listed = 0

    def config(self, name: str, where: str) -> _Config:
        self.listed += 1
        if self.listed > IMAGES_AT_MOST:
            raise InputError(f"lists more than {IMAGES_AT_MOST:,} images: not a `docker save`")
        found = self._configs.get(name)
        if found is None:
            if name not in self.members.kept:
                raise InputError(f"{where}: {name} is not in the archive")
            data = self.members.kept[name]
            try:
                value = json.loads(data)
            except RecursionError:
                raise InputError(f"{name}: JSON nested hundreds of levels deep") from None
            except ValueError:
                raise InputError(f"{name}: an image config that is not valid JSON") from None
            if not isinstance(value, dict):
                raise InputError(f"{name}: an image config that is not an object")
            found = _Config("sha256:" + hashlib.sha256(data).hexdigest(), value, len(data))
            self._configs[name] = found
        self._read += found.size
        if self._read > CONFIGS_AT_MOST:
            raise InputError(
                f"its {self.listed:,} images' configs add up to more than 512 MiB "
                "(one config named again and again?): not a `docker save` to open"
            )
        return found

    def sizes(self, paths: list[str]) -> tuple[list[int] | None, bool]:
        """The layers' sizes and whether they are compressed bytes: layer bytes when every
        layer is a plain tar, compressed bytes when every one is compressed, else none."""
        found = [self.members.layers.get(p) for p in paths]
        if all(f is not None and f.content is not None for f in found):
            return [f.content for f in found if f is not None and f.content is not None], False
        if all(f is not None and f.compressed is not None for f in found):
            return [f.compressed for f in found if f is not None and f.compressed is not None], True
        return None, False


def _image(
    config: _Config,
    tags: list[str],
    layer_sizes: list[int] | None,
    *,
    compressed: bool,
    named: _Named | None,
) -> dict[str, Any]:
    """An inspect-shaped object from an image config (the id is the config's digest)."""
    return inspect_of_config(
        config.id,
        config.value,
        tags,
        layer_sizes,
        compressed=compressed,
        manifest=named.manifest if named is not None else "",
        aliases=[named.wrapper] if named is not None and named.wrapper else (),
    )


def _tags(entry: dict[str, Any], where: str) -> list[str]:
    tags = entry.get("RepoTags")
    if tags is None:
        return []
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise InputError(f"{where}.RepoTags: expected a list of names")
    return tags


def _from_docker_manifest(members: _Members) -> list[dict[str, Any]]:
    kept = members.kept
    manifest = _json(kept, "manifest.json")
    if not isinstance(manifest, list):
        raise InputError("manifest.json: expected a list of images")
    named = _index_names(kept) if "index.json" in kept else {}
    made = _Images(members)
    images = []
    for index, entry in enumerate(manifest):
        where = f"manifest.json[{index}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("Config"), str):
            raise InputError(f"{where}.Config: missing")
        config = _name(entry["Config"])
        layer_paths = entry.get("Layers") or []
        if not isinstance(layer_paths, list) or not all(isinstance(x, str) for x in layer_paths):
            raise InputError(f"{where}.Layers: expected a list of paths")
        tags = _tags(entry, where)
        sizes, compressed = made.sizes([_name(p) for p in layer_paths])
        images.append(
            _image(
                made.config(config, f"{where}.Config"),
                tags,
                sizes,
                compressed=compressed,
                named=named.get(config),
            )
        )
    return images


def _blob(digest: object, where: str) -> str:
    if not isinstance(digest, str) or ":" not in digest:
        raise InputError(f"{where}: a descriptor without a digest ({str(digest)[:80]!r})")
    algorithm, _, hexdigest = digest.partition(":")
    return f"blobs/{algorithm}/{hexdigest}"


class _Found(NamedTuple):
    manifest: dict[str, Any]
    where: str
    digest: str
    wrapper: str
    tags: list[str]


def _walk_index(kept: dict[str, bytes]) -> Iterator[_Found]:
    """Every image manifest that index.json reaches (through nested indexes, each followed
    once), with the top-level index that wraps it and the names given on the way."""
    todo: list[tuple[dict[str, Any], str, list[str], str]] = [
        (_object(kept, "index.json"), "index.json", [], "")
    ]
    seen: set[tuple[str, object]] = set()
    while todo:
        index, where, tags, wrapper = todo.pop()
        descriptors = _field(index, "manifests", list, where) or []
        for number, descriptor in enumerate(descriptors):
            here = f"{where}.manifests[{number}]"
            if not isinstance(descriptor, dict):
                raise InputError(f"{here}: expected an object, got {type(descriptor).__name__}")
            notes = _field(descriptor, "annotations", dict, here) or {}
            if notes.get(REFERENCE_TYPE) == "attestation-manifest":
                continue  # BuildKit's provenance: no image of its own
            names = [n for n in (notes.get(IMAGE_NAME), notes.get(REF_NAME)) if isinstance(n, str)]
            named = [*tags, *(n for n in names[:1] if ":" in n.split("/")[-1] or "/" in n)]
            blob = _blob(descriptor.get("digest"), f"{here}.digest")
            kind = descriptor.get("mediaType")
            if (blob, kind) in seen:
                continue  # an index naming itself, or one manifest named twice
            seen.add((blob, kind))
            if len(seen) > IMAGES_AT_MOST:
                raise InputError(f"its indexes name more than {IMAGES_AT_MOST:,} manifests")
            if kind in OCI_INDEXES:
                todo.append((_object(kept, blob), blob, named, wrapper or descriptor["digest"]))
            elif kind in OCI_MANIFESTS:
                yield _Found(_object(kept, blob), blob, descriptor["digest"], wrapper, named)


def _config_blob(found: _Found) -> str | None:
    config = _field(found.manifest, "config", dict, found.where)
    if config is None:
        return None
    return _blob(config.get("digest"), f"{found.where}.config.digest")


def _index_names(kept: dict[str, bytes]) -> dict[str, _Named]:
    names: dict[str, _Named] = {}
    for found in _walk_index(kept):
        config = _config_blob(found)
        if config is not None:
            names.setdefault(config, _Named(found.digest, found.wrapper))
    return names


def _from_oci_index(members: _Members) -> list[dict[str, Any]]:
    made = _Images(members)
    found: dict[str, dict[str, Any]] = {}
    for item in _walk_index(members.kept):
        config = _config_blob(item)
        if config is None or config not in members.kept:
            continue  # an attestation or another platform's manifest not exported
        layers = _field(item.manifest, "layers", list, item.where) or []
        if not all(isinstance(x, dict) for x in layers):
            raise InputError(f"{item.where}.layers: expected a list of descriptors")
        paths = [_blob(x.get("digest"), f"{item.where}.layers[{n}]") for n, x in enumerate(layers)]
        sizes, compressed = made.sizes(paths)
        image = _image(
            made.config(config, f"{item.where}.config"),
            item.tags,
            sizes,
            compressed=compressed,
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

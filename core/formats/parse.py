"""Engine JSON to :mod:`core.formats.inventory` records, with errors that name the offending field.

The live engine, snapshots and plain `docker image inspect` files all pass through here, so a
recorded response is tested by the same code that reads a real one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from operator import attrgetter
from typing import Any, NamedTuple

import msgspec

from fromscratch.core.formats.inventory import (
    Container,
    EngineFacts,
    HistoryStep,
    Image,
    SizeBasis,
)
from fromscratch.core.formats.schema import (
    RawConfig,
    RawImage,
    RawImageData,
    RawManifest,
    RawOCIHistory,
    explain,
)


class InputError(ValueError):
    """Input data of the wrong shape; the message names the field, e.g. `images[3].RootFS`."""


_METADATA_STEP = re.compile(
    r"^\s*(?:/bin/sh -c #\(nop\)\s*)?(ENV|CMD|LABEL|ENTRYPOINT|EXPOSE|ARG|USER|VOLUME|STOPSIGNAL|"
    r"HEALTHCHECK|SHELL|ONBUILD|MAINTAINER|WORKDIR)\b",
    re.IGNORECASE,
)
_FRACTION = re.compile(r"(\.\d{1,6})\d*")


def epoch_seconds(value: object, where: str) -> int:
    """Seconds since the epoch from an engine int or an RFC 3339 string (nanoseconds allowed)."""
    if isinstance(value, bool):
        raise InputError(f"{where}: expected a time, got a boolean")
    if isinstance(value, int | float):
        return int(value)
    if value is None or value == "":
        return 0
    if not isinstance(value, str):
        raise InputError(f"{where}: expected a time, got {type(value).__name__}")
    text = _FRACTION.sub(r"\1", value.strip()).replace("Z", "+00:00")
    try:
        stamp = datetime.fromisoformat(text)
    except ValueError:
        raise InputError(f"{where}: {value!r} is not an RFC 3339 time") from None
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=UTC)
    return int(stamp.timestamp())


def image_time(value: str | int | None) -> str:
    """An image's creation time as RFC 3339 text: `GET /images/json` gives epoch seconds."""
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        try:
            return datetime.fromtimestamp(value, UTC).isoformat().replace("+00:00", "Z")
        except (OverflowError, OSError, ValueError):
            return str(value)
    return str(value or "")


def normalise_id(value: str) -> str:
    """`sha256:` + hex for any id; Podman reports bare hex."""
    if value and ":" not in value:
        return "sha256:" + value
    return value


def _get(obj: Mapping[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        expected = (
            kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        )
        raise InputError(f"{where}.{key}: expected {expected}, got {type(value).__name__}")
    return value


_STR = {str}


def _strings(value: object, where: str, *, scalar_ok: bool = False) -> tuple[str, ...]:
    """A list of strings; `scalar_ok` accepts a lone string (old configs write `Cmd: "sh"`)."""
    if value is None:
        return ()
    if isinstance(value, str) and scalar_ok:
        return (value,)
    if type(value) is not list or not set(map(type, value)) <= _STR:
        raise InputError(f"{where}: expected a list of strings")
    return tuple(value)


def _mapping(value: object, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InputError(f"{where}: expected an object, got {type(value).__name__}")
    return value


def history_from_raw(raw: list[HistoryStep], layer_count: int) -> tuple[HistoryStep, ...]:
    """Our history (oldest first, every step flagged) from `X-History` / snapshot history
    (already so) or from engine history (newest first, no flags: inferred here)."""
    if None not in map(_EMPTY_FLAG, raw):
        return tuple(raw)
    steps = list(raw)
    if all(step.empty_layer is None for step in steps):
        steps.reverse()  # the engine's history endpoint lists the newest step first
    empties = _empty_flags(steps, layer_count)
    return tuple(
        s if s.empty_layer is not None else msgspec.structs.replace(s, empty_layer=e)
        for s, e in zip(steps, empties, strict=True)
    )


_EMPTY_FLAG = attrgetter("empty_layer")


def _empty_flags(steps: Sequence[HistoryStep], layer_count: int) -> list[bool]:
    """Which steps added no layer. Engine history drops the flag, so it is inferred: first by
    size, then by instruction; the count must match the layer list."""
    by_size = [not (s.size or 0) > 0 for s in steps]
    if sum(not e for e in by_size) == layer_count:
        return by_size
    by_kind = [bool(_METADATA_STEP.match(s.created_by)) for s in steps]
    if sum(not e for e in by_kind) == layer_count:
        return by_kind
    # Fall back: sized steps are layers; fill up with unsized non-metadata steps, oldest first.
    result = list(by_size)
    missing = layer_count - sum(not e for e in result)
    for i, step in enumerate(steps):
        if missing <= 0:
            break
        if result[i] and not by_kind[i] and not step.size:
            result[i] = False
            missing -= 1
    return result


def parse_image(raw: object, history: object | None, where: str = "image") -> Image:
    """One `docker image inspect` object plus its history (None: unknown) as an :class:`Image`.

    `X-History` / `X-LayerSizes` inside the object are accepted (the bundled sample uses them).
    """
    try:
        image = msgspec.convert(raw, RawImage)
    except msgspec.ValidationError as exc:
        raise InputError(explain(exc, where)) from None
    try:
        steps = msgspec.convert(history, list[HistoryStep]) if history is not None else None
    except msgspec.ValidationError as exc:
        raise InputError(explain(exc, f"{where}.history")) from None
    return image_from_raw(image, steps, where)


def _strings_of(value: list[str] | str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    return (value,) if isinstance(value, str) else tuple(value)


def oci_history(steps: list[RawOCIHistory]) -> list[HistoryStep]:
    """An image config's history (oldest first; a missing `empty_layer` means a layer)."""
    return [
        HistoryStep(s.created_by or "", s.created or "", s.comment or "", bool(s.empty_layer), None)
        for s in steps
    ]


def image_from_raw(raw: RawImage, history: list[HistoryStep] | None, where: str = "image") -> Image:
    """An :class:`Image` from decoded, type-checked engine JSON."""
    if not raw.Id:
        raise InputError(f"{where}.Id: missing; is this `docker image inspect` output?")
    layers = tuple(raw.RootFS.Layers or ()) if raw.RootFS is not None else ()
    if "" in layers:  # schema1 images: an empty id names no content, so it is shared by none
        layers = tuple(d or f"<unnamed layer {i} of {raw.Id}>" for i, d in enumerate(layers))
    source = history if history is not None else raw.XHistory
    if source is None and raw.History is not None:
        source = oci_history(raw.History)
    steps = history_from_raw(source, len(layers)) if source is not None else None
    layer_sizes: tuple[int, ...] | None = None
    if raw.XLayerSizes is not None:
        if len(raw.XLayerSizes) != len(layers):
            raise InputError(
                f"{where}.X-LayerSizes: {len(raw.XLayerSizes)} sizes for {len(layers)} layers"
            )
        layer_sizes = tuple(raw.XLayerSizes)
    elif steps is not None:  # sizes from history only when it tells every layer's
        told = [s.size for s in steps if not s.empty_layer]
        if len(told) == len(layers) and None not in told:
            layer_sizes = tuple(size or 0 for size in told)
    sizes = _sizes(raw, layer_sizes)
    config = raw.Config or RawConfig()
    return Image(
        id=normalise_id(raw.Id),
        tags=tuple(t for t in raw.RepoTags or () if t != "<none>:<none>"),
        layers=layers,
        history=steps,
        parent=normalise_id(raw.Parent or raw.ParentId or ""),
        digests=tuple(d for d in raw.RepoDigests or () if d != "<none>@<none>"),
        created=image_time(raw.Created),
        os=raw.Os or "",
        architecture=raw.Architecture or "",
        size=sizes.size,
        layer_sizes=sizes.layer_sizes,
        cmd=_strings_of(config.Cmd),
        entrypoint=_strings_of(config.Entrypoint),
        env=_strings_of(config.Env) or (),
        labels=config.Labels or {},
        comment=raw.Comment or "",
        tags_known=raw.RepoTags is not None,
        size_basis=sizes.basis,
        content_size=sizes.content,
        manifest=normalise_id(raw.XManifest or _platform_manifest(raw)),
        aliases=tuple(normalise_id(a) for a in raw.XAliases or ()),
    )


class _Sizes(NamedTuple):
    size: int
    layer_sizes: tuple[int, ...] | None
    basis: SizeBasis
    content: int | None


def _sizes(raw: RawImage, layer_sizes: tuple[int, ...] | None) -> _Sizes:
    """The image's size, its layers' sizes, on one basis, and the compressed content apart.

    On the containerd image store (`Descriptor` present) inspect `Size` is the compressed
    content while history sizes are unpacked disk usage in 4 KiB blocks: the image's size is
    then the unpacked figure (`Size.Unpacked` of its platform manifest, else the sum of its
    layers), and only when neither is told, the compressed one, with no layer sizes."""
    if raw.XSizeBasis is not None:  # our snapshot: already sorted out
        return _Sizes(raw.Size or 0, layer_sizes, raw.XSizeBasis, raw.XContentSize)
    if raw.Descriptor is None:
        return _Sizes(
            max(raw.Size or 0, raw.VirtualSize or 0), layer_sizes, SizeBasis.LAYER_BYTES, None
        )
    content = raw.Size
    unpacked = _platform_data(raw)
    told = unpacked.Size.Unpacked if unpacked is not None and unpacked.Size is not None else None
    if told is None and layer_sizes is not None:
        told = sum(layer_sizes)
    if told is None:
        return _Sizes(content or 0, None, SizeBasis.COMPRESSED, content)
    return _Sizes(told, layer_sizes, SizeBasis.UNPACKED_BLOCKS, content)


def _platform_entry(raw: RawImage) -> RawManifest | None:
    """The available image manifest of the image's own platform, from `Manifests`."""
    for entry in raw.Manifests or ():
        if entry.Kind != "image" or entry.Available is False or not entry.ID:
            continue
        platform = entry.ImageData.Platform if entry.ImageData is not None else None
        if platform is None or (
            platform.os in (None, raw.Os) and platform.architecture in (None, raw.Architecture)
        ):
            return entry
    return None


def _platform_manifest(raw: RawImage) -> str:
    entry = _platform_entry(raw)
    return entry.ID or "" if entry is not None else ""


def _platform_data(raw: RawImage) -> RawImageData | None:
    entry = _platform_entry(raw)
    return entry.ImageData if entry is not None else None


def parse_container(raw: object, where: str = "container") -> Container:
    """One `/containers/json` entry."""
    obj = _mapping(raw, where)
    names = tuple(n.lstrip("/") for n in _strings(obj.get("Names"), f"{where}.Names"))
    return Container(
        id=_get(obj, "Id", str, where) or "",
        names=names,
        image_id=normalise_id(_get(obj, "ImageID", str, where) or ""),
        image=_get(obj, "Image", str, where) or "",
        state=_get(obj, "State", str, where) or "",
        status=_get(obj, "Status", str, where) or "",
        ports=_ports(obj.get("Ports"), f"{where}.Ports"),
        created=_get(obj, "Created", int, where) or 0,
    )


def _ports(value: object, where: str) -> tuple[str, ...]:
    """`/containers/json` Ports as `docker ps` writes them; a snapshot keeps them so."""
    if value is None:
        return ()
    if not isinstance(value, list):
        raise InputError(f"{where}: expected a list")
    out: list[str] = []
    for i, port in enumerate(value):
        if isinstance(port, str):
            out.append(port)
            continue
        entry = _mapping(port, f"{where}[{i}]")
        private = _get(entry, "PrivatePort", int, f"{where}[{i}]")
        kind = _get(entry, "Type", str, f"{where}[{i}]") or "tcp"
        public = _get(entry, "PublicPort", int, f"{where}[{i}]")
        ip = _get(entry, "IP", str, f"{where}[{i}]") or ""
        inside = f"{private}/{kind}"
        if public:
            host = f"[{ip}]" if ":" in ip else ip
            out.append(f"{host}:{public}->{inside}" if host else f"{public}->{inside}")
        elif private:
            out.append(inside)
    return tuple(dict.fromkeys(out))


def parse_engine(version: object, info: object) -> EngineFacts:
    """The useful subset of `/version` and `/info` (either may be empty)."""
    ver = _mapping(version or {}, "engine.version")
    inf = _mapping(info or {}, "engine.info")
    driver_status = inf.get("DriverStatus") or []
    if not isinstance(driver_status, list):
        driver_status = []
    containerd = any(
        isinstance(pair, list) and pair[:2] == ["driver-type", "io.containerd.snapshotter.v1"]
        for pair in driver_status
    )
    runtimes = inf.get("Runtimes") or {}
    components = ver.get("Components")
    names = (
        [c.get("Name", "") for c in components if isinstance(c, dict)]
        if isinstance(components, list)
        else []
    )
    product = "Podman" if any("podman" in str(n).lower() for n in names) else "Docker"
    return EngineFacts(
        kernel_version=str(ver.get("KernelVersion") or inf.get("KernelVersion") or ""),
        operating_system=str(inf.get("OperatingSystem") or ""),
        os_type=str(ver.get("Os") or inf.get("OSType") or ""),
        architecture=str(ver.get("Arch") or inf.get("Architecture") or ""),
        server_version=str(ver.get("Version") or inf.get("ServerVersion") or ""),
        api_version=str(ver.get("ApiVersion") or ""),
        storage_driver=str(inf.get("Driver") or ""),
        containerd_store=containerd,
        default_runtime=str(inf.get("DefaultRuntime") or ""),
        runtimes=tuple(sorted(runtimes)) if isinstance(runtimes, dict) else (),
        product=product,
    )

"""Engine JSON to :mod:`core.model` records, with errors that name the offending field.

The live engine, snapshots and plain `docker image inspect` files all pass through here, so a
recorded response is tested by the same code that reads a real one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from operator import itemgetter
from typing import Any

from core.model import Container, EngineFacts, HistoryStep, Image


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


_new_step = tuple.__new__  # skips the NamedTuple's Python-level __new__: ~150k steps a load


_ENGINE_KEYS = ("CreatedBy", "Created", "Comment", "EmptyLayer", "Size")
_CONFIG_KEYS = ("created_by", "created", "comment", "empty_layer", "size")


def _steps(raw: list[Any]) -> list[HistoryStep]:
    """Engine keys (`CreatedBy`) or image-config keys (`created_by`); raises AttributeError
    when an entry is not an object."""
    engine = bool(raw) and ("CreatedBy" in raw[0] or "Created" in raw[0])
    by, at, note, empty, size = _ENGINE_KEYS if engine else _CONFIG_KEYS
    return [
        _new_step(
            HistoryStep,
            (e.get(by) or "", e.get(at) or 0, e.get(note) or "", bool(e.get(empty)), e.get(size)),
        )
        for e in raw
    ]


_STR = {str}
_CREATED = {int, str, float}
_SIZE = {int, type(None)}


def _columns_typed(steps: list[HistoryStep]) -> bool:
    """Type check of every step, column by column in C (~150k steps on a large host)."""
    return (
        set(map(type, map(itemgetter(0), steps))) <= _STR
        and set(map(type, map(itemgetter(2), steps))) <= _STR
        and set(map(type, map(itemgetter(1), steps))) <= _CREATED
        and set(map(type, map(itemgetter(4), steps))) <= _SIZE
    )


def _well_typed(step: HistoryStep) -> bool:
    return (
        type(step[0]) is str
        and type(step[2]) is str
        and type(step[1]) in (int, str, float)
        and (step[4] is None or type(step[4]) is int)
    )


def parse_history(raw: object, where: str, layer_count: int) -> tuple[HistoryStep, ...]:
    """Engine history (newest first) or `X-History` / config history (oldest first)."""
    if not isinstance(raw, list):
        raise InputError(f"{where}: expected a list, got {type(raw).__name__}")
    try:
        steps = _steps(raw)
    except AttributeError:
        bad = next(i for i, e in enumerate(raw) if not isinstance(e, dict))
        raise InputError(
            f"{where}[{bad}]: expected an object, got {type(raw[bad]).__name__}"
        ) from None
    if not _columns_typed(steps):
        bad = next(i for i, s in enumerate(steps) if not _well_typed(s))
        raise InputError(f"{where}[{bad}]: CreatedBy, Comment, Created or Size has the wrong type")
    flagged = bool(raw) and all("EmptyLayer" in e or "empty_layer" in e for e in raw)
    if steps and not flagged:
        if "Id" in raw[0] or "Tags" in raw[0]:
            steps.reverse()  # the engine's history endpoint lists the newest step first
        empties = _empty_flags(steps, layer_count)
        steps = [s._replace(empty_layer=e) for s, e in zip(steps, empties, strict=True)]
    return tuple(steps)


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
    obj = _mapping(raw, where)
    image_id = _get(obj, "Id", str, where)
    if not image_id:
        raise InputError(f"{where}.Id: missing; is this `docker image inspect` output?")
    rootfs = _get(obj, "RootFS", dict, where) or {}
    layers = _strings(rootfs.get("Layers"), f"{where}.RootFS.Layers")
    if history is None and "X-History" in obj:
        history, hist_where = obj["X-History"], f"{where}.X-History"
    else:
        hist_where = f"{where}.history"
    steps = parse_history(history, hist_where, len(layers)) if history is not None else None
    sizes_raw = obj.get("X-LayerSizes")
    layer_sizes: tuple[int, ...] | None = None
    if sizes_raw is not None:
        if not isinstance(sizes_raw, list) or not all(isinstance(s, int) for s in sizes_raw):
            raise InputError(f"{where}.X-LayerSizes: expected a list of integers")
        if len(sizes_raw) != len(layers):
            raise InputError(
                f"{where}.X-LayerSizes: {len(sizes_raw)} sizes for {len(layers)} layers"
            )
        layer_sizes = tuple(sizes_raw)
    elif steps is not None and sum(not s.empty_layer for s in steps) == len(layers):
        layer_sizes = tuple(s.size or 0 for s in steps if not s.empty_layer)
    config = _get(obj, "Config", dict, where) or {}
    cfg_where = f"{where}.Config"
    labels = _get(config, "Labels", dict, cfg_where) or {}
    return Image(
        id=normalise_id(image_id),
        tags=tuple(
            t for t in _strings(obj.get("RepoTags"), f"{where}.RepoTags") if t != "<none>:<none>"
        ),
        layers=layers,
        history=steps,
        parent=normalise_id(_get(obj, "Parent", str, where) or ""),
        digests=tuple(
            d
            for d in _strings(obj.get("RepoDigests"), f"{where}.RepoDigests")
            if d != "<none>@<none>"
        ),
        created=str(_get(obj, "Created", (str, int), where) or ""),
        os=_get(obj, "Os", str, where) or "",
        architecture=_get(obj, "Architecture", str, where) or "",
        size=_get(obj, "Size", int, where) or 0,
        layer_sizes=layer_sizes,
        cmd=_strings(config["Cmd"], f"{cfg_where}.Cmd", scalar_ok=True)
        if config.get("Cmd") is not None
        else None,
        entrypoint=(
            _strings(config["Entrypoint"], f"{cfg_where}.Entrypoint", scalar_ok=True)
            if config.get("Entrypoint") is not None
            else None
        ),
        env=_strings(config.get("Env"), f"{cfg_where}.Env", scalar_ok=True),
        labels={str(k): str(v) for k, v in labels.items()},
        comment=_get(obj, "Comment", str, where) or "",
    )


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
    )


def parse_engine(version: object, info: object) -> EngineFacts:
    """The useful subset of `/version` and `/info` (either may be empty)."""
    ver = _mapping(version or {}, "engine.version")
    inf = _mapping(info or {}, "engine.info")
    driver_status = inf.get("DriverStatus") or []
    containerd = any(
        isinstance(pair, list) and pair[:2] == ["driver-type", "io.containerd.snapshotter.v1"]
        for pair in driver_status
    )
    runtimes = inf.get("Runtimes") or {}
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
    )

"""A `docker load` tarball of tiny images that share layer prefixes: a forest with a known
shape, made without a registry.

Every image adds one small layer to its parent's; the roots stand on nothing (FROM scratch).
The name says the place: `forest-3-1-4` stands on `forest-3-1`. The tarball is the legacy
`docker save` layout (manifest.json, one config JSON per image, `<diff-id>/layer.tar`), which
every engine's `docker load` accepts.
"""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

EPOCH = "1970-01-01T00:00:00Z"


@dataclass
class _Forest:
    prefix: str
    files: dict[str, bytes]
    manifest: list[dict[str, object]]


def _layer(text: str) -> bytes:
    """A one-file layer tar with fixed metadata: the same text gives the same diff-id."""
    data = text.encode()
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        entry = tarfile.TarInfo("etc/layer-id")
        entry.size, entry.mtime = len(data), 0
        tar.addfile(entry, io.BytesIO(data))
    return out.getvalue()


def _add(
    forest: _Forest,
    place: Sequence[int],
    parent_layers: list[tuple[str, str]],
    parent_history: list[dict[str, str]],
) -> tuple[list[tuple[str, str]], list[dict[str, str]]]:
    name = "-".join([forest.prefix, *(str(i) for i in place)])
    layer = _layer(f"layer {name}\n")
    diff_id = "sha256:" + hashlib.sha256(layer).hexdigest()
    layer_path = f"{diff_id.removeprefix('sha256:')}/layer.tar"
    forest.files[layer_path] = layer
    layers = [*parent_layers, (diff_id, layer_path)]
    history = [
        *parent_history,
        {"created": EPOCH, "created_by": f"/bin/sh -c #(nop) ADD layer for {name}"},
    ]
    config = {
        "architecture": "amd64",
        "os": "linux",
        "created": EPOCH,
        "config": {"Cmd": ["/bin/sh"], "Labels": {"forest.depth": str(len(place))}},
        "rootfs": {"type": "layers", "diff_ids": [d for d, _ in layers]},
        "history": history,
    }
    raw = json.dumps(config, sort_keys=True).encode()
    config_name = hashlib.sha256(raw).hexdigest() + ".json"
    forest.files[config_name] = raw
    forest.manifest.append(
        {"Config": config_name, "RepoTags": [f"{name}:latest"], "Layers": [p for _, p in layers]}
    )
    return layers, history


def write_forest(path: Path, fanout: Sequence[int], prefix: str = "forest") -> int:
    """Write the tarball; `fanout` (10, 10, 10) gives 10 roots, 10 children each, 10 grand-
    children each (1,110 images). Returns the number of images."""
    forest = _Forest(prefix, {}, [])
    stack: list[tuple[tuple[int, ...], list[tuple[str, str]], list[dict[str, str]]]] = [
        ((), [], [])
    ]
    while stack:  # depth first, children in order (iterative: any depth)
        place, layers, history = stack.pop()
        if len(place) == len(fanout):
            continue
        grown = []
        for i in range(fanout[len(place)]):
            child = (*place, i)
            grown.append((child, *_add(forest, child, layers, history)))
        stack.extend(reversed(grown))
    entries = [*forest.files.items(), ("manifest.json", json.dumps(forest.manifest).encode())]
    with tarfile.open(path, "w") as tar:
        for name, data in entries:
            entry = tarfile.TarInfo(name)
            entry.size, entry.mtime = len(data), 0
            tar.addfile(entry, io.BytesIO(data))
    return len(forest.manifest)

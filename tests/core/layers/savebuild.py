"""A legacy `docker save` archive made in the test: images as tags over lists of layer tars
(a child lists its parent's layers first), with a config and history for each."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from pathlib import Path


def _add(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = 1_700_000_000
    tar.addfile(info, io.BytesIO(data))


def write_save(
    path: Path, images: dict[str, list[bytes]], written: dict[bytes, bytes] | None = None
) -> dict[str, str]:
    """Write the archive; returns each tag's image id. `written`: bytes stored in place of
    a layer's (its config still names the original's diff-ID)."""
    manifest = []
    ids = {}
    done: set[str] = set()
    with tarfile.open(path, "w") as tar:
        for tag, layers in images.items():
            digests = ["sha256:" + hashlib.sha256(data).hexdigest() for data in layers]
            paths = []
            for digest, data in zip(digests, layers, strict=True):
                name = f"{digest[7:]}/layer.tar"
                if name not in done:
                    _add(tar, name, (written or {}).get(data, data))
                    done.add(name)
                paths.append(name)
            config = {
                "architecture": "amd64",
                "os": "linux",
                "created": "2026-12-01T00:00:00Z",
                "config": {"Cmd": ["/bin/sh"], "Env": [f"TAG={tag}"]},
                "rootfs": {"type": "layers", "diff_ids": digests},
                "history": [
                    {"created": "2026-12-01T00:00:00Z", "created_by": f"ADD layer {n} of {d[7:19]}"}
                    for n, d in enumerate(digests)
                ],
            }
            data = json.dumps(config).encode()
            image_id = hashlib.sha256(data).hexdigest()
            ids[tag] = "sha256:" + image_id
            _add(tar, f"{image_id}.json", data)
            manifest.append({"Config": f"{image_id}.json", "RepoTags": [tag], "Layers": paths})
        _add(tar, "manifest.json", json.dumps(manifest).encode())
    return ids

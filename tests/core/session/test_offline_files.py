"""Offline, the story's picture says what a user space holds from its layers when the layer
cache has them (read once from an engine or an archive), instead of "typically …"."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from fromscratch.core.formats.snapshot import load
from fromscratch.core.layers.cache import LayerCache
from fromscratch.core.layers.saved import read_saved
from fromscratch.core.session.file_source import FileSource
from fromscratch.core.session.opening import assemble
from tests.core.layers.layertar import file, folder, layer_tar
from tests.core.layers.savebuild import write_save

BASE = layer_tar(
    folder("bin"),
    file("bin/sh", bytes(900), 0o755),
    file("etc/os-release", b'PRETTY_NAME="Tiny Linux 1"\n'),
    file("sbin/apk", bytes(10), 0o755),
)
APP = layer_tar(file("app", bytes(5), 0o755))


def test_the_picture_reads_the_base_from_cached_layers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FROMSCRATCH_CACHE_DIR", str(tmp_path / "cache"))
    archive = tmp_path / "save.tar"
    write_save(archive, {"tiny:1": [BASE], "app:1": [BASE, APP]})
    inventory = load(str(archive))
    before = assemble(inventory, FileSource(str(archive)))
    assert all("typically" in box.holds for box in before.picture.boxes)
    cache = LayerCache()
    for layer in read_saved(io.BytesIO(archive.read_bytes()), "save.tar").values():
        cache.put(layer)
    after = assemble(inventory, FileSource(str(archive)))
    (box,) = {b.base: b for b in after.picture.boxes}.values()
    assert box.holds == "/bin 900 B, /etc 27 B, /sbin 10 B · 2 programs · apk (Alpine) · no kernel"
    assert box.userspace == "Tiny Linux 1 user space"

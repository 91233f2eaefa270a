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


def test_opening_an_archive_reads_the_pictured_bases_layers_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fromscratch.core.session.opening import pictured_contents
    from fromscratch.core.task import TaskContext

    monkeypatch.setenv("FROMSCRATCH_CACHE_DIR", str(tmp_path / "cache"))
    archive = tmp_path / "save.tar"
    ids = write_save(archive, {"tiny:1": [BASE], "app:1": [BASE, APP]})
    opened = assemble(load(str(archive)), FileSource(str(archive)))
    summaries = pictured_contents(opened, TaskContext())
    assert list(summaries) == [ids["tiny:1"]]  # the pictured base, not the app on it
    (box,) = {b.base: b for b in opened.with_contents(summaries).picture.boxes}.values()
    assert box.userspace == "Tiny Linux 1 user space" and "no kernel" in box.holds
    # read into the cache: the next open has it at once, and reads nothing
    again = assemble(load(str(archive)), FileSource(str(archive)))
    assert again.inventory.contents.keys() >= {ids["tiny:1"]}
    assert pictured_contents(again, TaskContext()) == {}


def test_a_damaged_archive_layer_is_refused_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fromscratch.core.formats.parse import InputError
    from fromscratch.core.session.opening import pictured_contents
    from fromscratch.core.task import TaskContext

    monkeypatch.setenv("FROMSCRATCH_CACHE_DIR", str(tmp_path / "cache"))
    archive = tmp_path / "save.tar"
    write_save(archive, {"tiny:1": [BASE]}, written={BASE: BASE[:1500]})
    opened = assemble(load(str(archive)), FileSource(str(archive)))
    with pytest.raises(InputError, match=r"save.tar: .*layer.tar: a truncated or damaged") as got:
        pictured_contents(opened, TaskContext())
    assert "\n" not in str(got.value)
    assert not list((tmp_path / "cache").glob("**/*.layer"))


def test_a_remote_engines_bases_are_not_read_unasked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reading a remote engine's pictured bases would download them on every first open:
    the story waits for the user to ask (the Files tab, What FROM gives you)."""
    from fromscratch.core.session import opening
    from fromscratch.core.task import TaskContext

    monkeypatch.setenv("FROMSCRATCH_CACHE_DIR", str(tmp_path / "cache"))
    archive = tmp_path / "save.tar"
    write_save(archive, {"tiny:1": [BASE]})
    opened = assemble(load(str(archive)), FileSource(str(archive)))

    class Remote:
        where, local = "tcp://192.0.2.1:2375", False

        def read(self, *_args: object, **_options: object) -> dict[str, object]:
            raise AssertionError("read unasked")

    monkeypatch.setattr(opening.Opened, "layer_source", lambda _self: Remote())
    assert opening.pictured_contents(opened, TaskContext()) == {}

"""Every layer of a `docker save` tar indexed in one pass, whatever its layout: by diff-ID,
a shared legacy layer.tar linked to its first copy, OCI blobs plain or gzip, known blobs
skipped unread, and a damaged save refused in one line. An archive on disk has its layers
read on all cores, with the same result."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import tarfile
import threading
from pathlib import Path

import pytest

from fromscratch.core.formats.parse import InputError
from fromscratch.core.layers.saved import Chunks, read_saved, read_saved_file
from fromscratch.core.layers.tarindex import Cancelled
from tests.core.layers.layertar import file, layer_tar


def saved(members: list[tuple[str, bytes | str]]) -> bytes:
    """An outer tar: (name, bytes) for files, (name, "->target") for symlinks."""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as tar:
        for name, data in members:
            info = tarfile.TarInfo(name)
            if isinstance(data, str):
                info.type, info.linkname = tarfile.SYMTYPE, data.removeprefix("->")
                tar.addfile(info)
            else:
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
    return out.getvalue()


def diff_id(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


BASE, TOP = layer_tar(file("bin/sh", b"sh")), layer_tar(file("app", b"app"))


def test_a_legacy_save_with_a_linked_shared_layer() -> None:
    data = saved(
        [
            ("aaa/layer.tar", BASE),
            ("bbb/layer.tar", "->../aaa/layer.tar"),
            ("ccc/layer.tar", TOP),
            ("config.json", json.dumps({"rootfs": {"diff_ids": [diff_id(BASE)]}}).encode()),
            ("manifest.json", b"[]"),
        ]
    )
    found = read_saved(io.BytesIO(data), "legacy.tar")
    assert set(found) == {diff_id(BASE), diff_id(TOP)}
    assert [e.path for e in found[diff_id(TOP)].entries] == ["app"]
    assert read_saved(io.BytesIO(gzip.compress(data)), "legacy.tar.gz") == found


def test_oci_blobs_plain_or_gzip_and_known_ones_skipped() -> None:
    packed = gzip.compress(TOP)
    data = saved(
        [
            (f"blobs/sha256/{diff_id(BASE)[7:]}", BASE),
            (f"blobs/sha256/{hashlib.sha256(packed).hexdigest()}", packed),
            ("index.json", b"{}"),
        ]
    )
    found = read_saved(Chunks(iter([data[:700], data[700:5000], data[5000:]])), "engine")  # type: ignore[arg-type]
    assert set(found) == {diff_id(BASE), diff_id(TOP)}  # a gzip blob by its inflated digest
    asked: list[str] = []
    skipping = read_saved(
        io.BytesIO(data), "oci", known=lambda d: asked.append(d) or d == diff_id(BASE)
    )
    assert set(skipping) == {diff_id(TOP)} and diff_id(BASE) in asked


def test_a_damaged_save_is_refused_in_one_line() -> None:
    data = saved([("aaa/layer.tar", BASE + layer_tar(file("x", b"y" * 9000)))])
    with pytest.raises(InputError) as caught:
        read_saved(io.BytesIO(data[:3000]), "cut.tar")
    assert str(caught.value).startswith("cut.tar") and "\n" not in str(caught.value)


def many_layers(count: int) -> list[bytes]:
    return [
        layer_tar(*(file(f"layer{n}/f{m}", b"x" * (m % 900)) for m in range(300 + n)))
        for n in range(count)
    ]


@pytest.mark.parametrize("workers", [1, 2, 5])
@pytest.mark.parametrize("packing", ["plain", "gzip blobs", "gzip archive"])
def test_an_archive_on_disk_read_on_all_cores_gives_what_one_pass_gives(
    tmp_path: Path, workers: int, packing: str
) -> None:
    layers = many_layers(6)
    blobs = [gzip.compress(layer) if packing == "gzip blobs" else layer for layer in layers]
    members: list[tuple[str, bytes | str]] = [
        (f"blobs/sha256/{hashlib.sha256(blob).hexdigest()}", blob) for blob in blobs
    ]
    members += [("aaa/layer.tar", layers[0]), ("bbb/layer.tar", "->../aaa/layer.tar")]
    members += [("index.json", b"{}"), ("manifest.json", b"[]")]
    data = saved(members)
    if packing == "gzip archive":
        data = gzip.compress(data)
    path = tmp_path / "save.tar"
    path.write_bytes(data)
    kept: list[str] = []
    threads: set[str] = set()

    def keep(layer: object) -> None:
        kept.append(layer.diff_id)  # type: ignore[attr-defined]
        threads.add(threading.current_thread().name)

    wanted = {diff_id(layers[1]), diff_id(layers[4])}
    found = read_saved_file(path, "save.tar", keep=keep, wanted=wanted, workers=workers)
    assert found == read_saved(io.BytesIO(data), "save.tar", wanted=wanted)
    assert set(found) == wanted
    assert sorted(kept) == sorted(diff_id(layer) for layer in [*layers, layers[0]])
    assert threads == {threading.current_thread().name}  # the cache is written from here

    skipped = read_saved_file(path, "save.tar", known=lambda d: d == diff_id(layers[2]))
    assert set(skipped) == {diff_id(layer) for layer in layers} - (
        {diff_id(layers[2])} if packing != "gzip blobs" else set()  # named by digest
    )


@pytest.mark.parametrize("workers", [1, 3, 8])
def test_of_two_damaged_layers_the_first_in_the_archive_is_refused(
    tmp_path: Path, workers: int
) -> None:
    layers = many_layers(8)
    cut = {2: layers[2][:5000], 6: layers[6][:3000]}  # a truncated layer tar each
    members: list[tuple[str, bytes | str]] = [
        (f"l{n}/layer.tar", cut.get(n, layer)) for n, layer in enumerate(layers)
    ]
    data = saved(members)
    path = tmp_path / "save.tar"
    path.write_bytes(data)
    with pytest.raises(InputError) as one_pass:
        read_saved(io.BytesIO(data), str(path))
    with pytest.raises(InputError) as all_cores:
        read_saved_file(path, str(path), workers=workers)
    assert str(all_cores.value) == str(one_pass.value)
    assert str(all_cores.value).startswith(f"{path}: l2/layer.tar: a truncated")


def test_an_archive_cut_short_is_refused_and_a_cancel_stops_it(tmp_path: Path) -> None:
    data = saved([(f"l{n}/layer.tar", layer) for n, layer in enumerate(many_layers(4))])
    path = tmp_path / "save.tar"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError, match=r"^.*save\.tar: .*truncated") as caught:
        read_saved_file(path, str(path))
    assert "\n" not in str(caught.value)
    path.write_bytes(data)
    with pytest.raises(Cancelled):
        read_saved_file(path, str(path), cancelled=lambda: True)

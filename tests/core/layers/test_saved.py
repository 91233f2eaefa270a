"""Every layer of a `docker save` tar indexed in one pass, whatever its layout: by diff-ID,
a shared legacy layer.tar linked to its first copy, OCI blobs plain or gzip, known blobs
skipped unread, and a damaged save refused in one line."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import tarfile

import pytest

from fromscratch.core.formats.parse import InputError
from fromscratch.core.layers.saved import Chunks, read_saved
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

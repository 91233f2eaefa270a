"""A layer's index from its tar headers: every kind of entry, the diff-ID, three encodings,
and refusals in one line for what is not a layer."""

from __future__ import annotations

import gzip
import hashlib
import io
import tarfile

import pytest
import zstandard

from fromscratch.core.formats import inflate
from fromscratch.core.formats.parse import InputError
from fromscratch.core.layers import tarindex
from fromscratch.core.layers.entries import EntryType, opaque_folder, whiteout_of
from fromscratch.core.layers.tarindex import Cancelled, read_layer, relative
from tests.core.layers.layertar import Item, file, folder, hardlink, layer_tar, symlink

ODD = ("new\nline", "bad-\udcff-utf8", "<b>bold</b>", "rtl-\u202eexe.txt")


def every_kind() -> bytes:
    return layer_tar(
        folder("./"),
        folder("./bin"),
        file("./bin/tool", b"#!/bin/sh\n", 0o4755, uid=1000),
        symlink("./bin/sh", "tool"),
        hardlink("./bin/again", "./bin/tool"),
        Item("./dev-null", tarfile.CHRTYPE, mode=0o666),
        Item("./pipe", tarfile.FIFOTYPE),
        file("./empty", b""),
        *(file(f"./odd/{name}", b"12") for name in ODD),
    )


def test_every_kind_of_entry_is_indexed_as_the_tar_holds_it() -> None:
    data = every_kind()
    layer = read_layer(io.BytesIO(data), "test layer")
    assert layer.diff_id == "sha256:" + hashlib.sha256(data).hexdigest()
    by = {e.path: e for e in layer.entries}
    assert "" not in by and "." not in by  # the root itself is not an entry
    tool = by["bin/tool"]
    assert (tool.type, tool.mode, tool.uid, tool.size) == (EntryType.FILE, 0o4755, 1000, 10)
    assert (by["bin/sh"].type, by["bin/sh"].link) == (EntryType.SYMLINK, "tool")
    assert (by["bin/again"].type, by["bin/again"].link) == (EntryType.HARDLINK, "bin/tool")
    assert by["bin/again"].size == 0  # its bytes are its target's, counted once
    assert by["dev-null"].type == EntryType.DEVICE and by["pipe"].type == EntryType.FIFO
    assert by["empty"].size == 0 and by["bin"].type == EntryType.DIR
    for name in ODD:  # kept exactly: shown escaped later, never interpreted
        assert by[f"odd/{name}"].size == 2
    # what a graph driver counts: files, and a symlink's target length; a hard link not again
    assert layer.content == 10 + len("tool") + 0 + 2 * len(ODD)


@pytest.mark.parametrize("pack", ["gzip", "zstd", "gzip members"])
def test_compressed_layers_give_the_same_index_and_the_diff_id_of_the_plain_tar(
    pack: str,
) -> None:
    data = every_kind()
    packed = {
        "gzip": lambda: gzip.compress(data),
        "zstd": lambda: zstandard.ZstdCompressor().compress(data),
        "gzip members": lambda: gzip.compress(data[:1000]) + gzip.compress(data[1000:]),
    }[pack]()
    plain = read_layer(io.BytesIO(data), "plain")
    assert read_layer(io.BytesIO(packed), pack) == plain


def test_names_are_made_relative_and_a_name_that_climbs_out_is_refused() -> None:
    assert relative("./etc/passwd", "l") == "etc/passwd"
    assert relative("/etc/passwd", "l") == "etc/passwd"  # the engine joins it under the root
    assert relative("a/./b//c", "l") == "a/b/c"
    for bad in ("../etc/passwd", "a/../../x", "/../x"):
        with pytest.raises(InputError, match="climbs out of the layer"):
            read_layer(io.BytesIO(layer_tar(file(bad))), "evil layer")


def test_a_truncated_layer_is_refused_in_one_line() -> None:
    data = layer_tar(file("big", b"y" * 100_000))
    with pytest.raises(InputError) as caught:
        read_layer(io.BytesIO(data[:5000]), "cut layer")
    assert str(caught.value).startswith("cut layer: a truncated or damaged layer tar")
    assert "\n" not in str(caught.value)


def test_a_compression_bomb_stops_at_the_ratio(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(inflate, "INFLATE_FREELY", 1024 * 1024)
    zeros = gzip.compress(layer_tar(file("zeros", bytes(40 * 1024 * 1024))), 9)
    with pytest.raises(InputError, match="inflates more than 100 times"):
        read_layer(io.BytesIO(zeros), "bomb")
    bomb = zstandard.ZstdCompressor(level=19).compress(layer_tar(file("z", bytes(40 << 20))))
    with pytest.raises(InputError, match="inflates more than 100 times"):
        read_layer(io.BytesIO(bomb), "zstd bomb")


def test_millions_of_entries_are_refused_while_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tarindex, "ENTRIES_AT_MOST", 5000)
    data = layer_tar(*(file(f"f{n}") for n in range(9000)), fmt=tarfile.USTAR_FORMAT)
    with pytest.raises(InputError, match="more than 5,000 entries"):
        read_layer(io.BytesIO(data), "many")


def test_reading_stops_when_cancelled() -> None:
    data = layer_tar(*(file(f"f{n}") for n in range(9000)), fmt=tarfile.USTAR_FORMAT)
    with pytest.raises(Cancelled):
        read_layer(io.BytesIO(data), "long", cancelled=lambda: True)


def test_whiteouts_are_read_as_the_oci_spec_writes_them() -> None:
    assert whiteout_of("etc/.wh.motd") == "etc/motd"
    assert whiteout_of(".wh.top") == "top"
    assert whiteout_of("etc/.wh..wh..opq") is None and whiteout_of("etc/motd") is None
    assert opaque_folder("var/lib/.wh..wh..opq") == "var/lib"
    assert opaque_folder(".wh..wh..opq") == "" and opaque_folder("a/.wh.b") is None


@pytest.mark.parametrize(
    "fmt",
    [tarfile.USTAR_FORMAT, tarfile.GNU_FORMAT, tarfile.PAX_FORMAT],
    ids=["ustar", "gnu", "pax"],
)
def test_every_tar_format_reads_as_pythons_tarfile_reads_it(fmt: int) -> None:
    """Our header reader (40x faster than tarfile) against tarfile itself: ustar's prefix,
    GNU long names and links and base-256 numbers, PAX records."""
    deep = "/".join(["folder-with-a-long-name"] * 6)  # > 100 bytes: prefix, L or PAX
    items = [
        file(f"{deep}/file", b"abc", 0o640, uid=2_000_000 if fmt == tarfile.GNU_FORMAT else 7),
        symlink(f"{deep}/link", "../" * 5 + "target/" * (12 if fmt != tarfile.USTAR_FORMAT else 2)),
        file("short", b"s"),
        hardlink("again", "short" if fmt == tarfile.USTAR_FORMAT else f"{deep}/file"),
        folder("empty"),
    ]
    if fmt != tarfile.USTAR_FORMAT:
        items.append(file("caf\u00e9-\u65e5\u672c", b"x"))  # PAX: UTF-8 path; GNU: raw bytes
    data = layer_tar(*items, fmt=fmt)
    ours = {e.path: e for e in read_layer(io.BytesIO(data), "layer").entries}
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        theirs = {m.name.rstrip("/"): m for m in tar.getmembers()}
    assert set(ours) == set(theirs)
    for path, member in theirs.items():
        entry = ours[path]
        assert (entry.mode, entry.uid, entry.gid, entry.mtime) == (
            member.mode,
            member.uid,
            member.gid,
            member.mtime,
        ), path
        assert entry.size == (member.size if member.isreg() else 0), path
        if member.issym():
            assert entry.link == member.linkname
    assert ours["again"].link == theirs["again"].linkname


def test_a_file_that_is_not_a_tar_is_refused() -> None:
    with pytest.raises(InputError, match="not a tar"):
        read_layer(io.BytesIO(b"PK\x03\x04" + bytes(2000)), "a zip")


@pytest.mark.parametrize("compress", [False, True], ids=["plain", "gzip"])
def test_contents_hashed_on_request_across_read_chunks(compress: bool) -> None:  # noqa: FBT001

    big = bytes(range(256)) * (3 * 4096 + 7)  # 3 MiB and a bit: over several read chunks
    tar = layer_tar(file("big", big), file("etc/os-release", b"ID=x\n"), file("after", b"z"))
    raw = gzip.compress(tar, 1) if compress else tar
    layer = read_layer(io.BytesIO(raw), "t", digests={"big", "etc/os-release", "after"})
    assert dict(layer.digests) == {
        "big": "sha256:" + hashlib.sha256(big).hexdigest(),
        "etc/os-release": "sha256:" + hashlib.sha256(b"ID=x\n").hexdigest(),
        "after": "sha256:" + hashlib.sha256(b"z").hexdigest(),
    }
    assert layer.diff_id == "sha256:" + hashlib.sha256(tar).hexdigest()
    assert [e.path for e in layer.entries] == ["big", "etc/os-release", "after"]
    assert read_layer(io.BytesIO(raw), "t").entries == layer.entries  # the same index


def test_the_read_ahead_thread_ends_and_the_switch_interval_comes_back() -> None:
    """Read, refused or cancelled, a layer leaves no reading thread behind and puts back the
    process's switch interval (the reading shortens it while it runs)."""
    import sys
    import threading

    before = sys.getswitchinterval()
    tar = layer_tar(*(file(f"f{n}", bytes(10)) for n in range(20_000)))
    read_layer(io.BytesIO(tar), "t")
    with pytest.raises(InputError, match="truncated"):
        read_layer(io.BytesIO(tar[: len(tar) // 2 + 100]), "t")  # inside an entry
    with pytest.raises(Cancelled):
        read_layer(io.BytesIO(gzip.compress(tar)), "t", cancelled=lambda: True)
    assert sys.getswitchinterval() == before
    for thread in threading.enumerate():
        if thread.name == "layer-read-ahead":
            thread.join(5)
    assert not [t for t in threading.enumerate() if t.name == "layer-read-ahead"]


@pytest.mark.parametrize("field", [b"-0000001000 ", b"\xff" * 12], ids=["octal", "base-256"])
def test_a_negative_size_is_refused_at_once(field: bytes) -> None:
    """A size below zero stepped the reader back over the same header until the 3 million
    entries cap (600 MB of entries, then the wrong reason): one line, at once."""
    tar = bytearray(layer_tar(*(file(f"f{n}", b"x" * 600) for n in range(3))))
    tar[1536 + 124 : 1536 + 136] = field  # the second header's size
    with pytest.raises(
        InputError, match=r"^t: a truncated or damaged layer tar \(a header with a negative size"
    ):
        read_layer(io.BytesIO(bytes(tar)), "t")


@pytest.mark.parametrize("in_c", [True, False], ids=["C reader", "Python reader"])
@pytest.mark.parametrize("field", [b"0000 1000 ", b"00000010x0 ", b"0\x00000000010"])
def test_a_number_that_is_not_one_is_refused_in_one_line(field: bytes, *, in_c: bool) -> None:
    """Digits apart, a letter, a NUL between digits (Go's archive/tar, which wrote and reads
    the engines' layers, refuses them too): one line, not a ValueError's traceback."""
    tar = bytearray(layer_tar(*(file(f"f{n}", b"x" * 600) for n in range(3))))
    tar[1536 + 124 : 1536 + 136] = field  # the second header's size
    with pytest.raises(
        InputError, match=r"^t: a truncated or damaged layer tar \(a header's number field holds"
    ):
        read_layer(io.BytesIO(bytes(tar)), "t", in_c=in_c)

"""Layer tars of every shape, whole and damaged, and the check that the C reader of plain
entries (core/layers/_plainentries.c) reads each one as the Python reader does: the same
index, or the same refusal. Used by test_plain_entries.py (hypothesis) and by
asan_plain_entries.py (the C reader built with AddressSanitizer, in a subprocess)."""

from __future__ import annotations

import io
import random
import tarfile
from typing import Any

from fromscratch.core.formats.parse import InputError
from fromscratch.core.layers import readahead, tarindex

KINDS = (
    tarfile.REGTYPE,
    tarfile.AREGTYPE,
    tarfile.CONTTYPE,
    tarfile.DIRTYPE,
    tarfile.SYMTYPE,
    tarfile.LNKTYPE,
    tarfile.FIFOTYPE,
    tarfile.CHRTYPE,
)
FORMATS = (tarfile.USTAR_FORMAT, tarfile.GNU_FORMAT, tarfile.PAX_FORMAT)
PARTS = ("usr", "lib", "etc", "./", "/", "..", ".", "a b", "<b>", "x\n", "\udcff", "\u202e", "")
SPECIAL = ("etc/os-release", "usr/lib/os-release", "etc/debian_version")
FIELDS = (0, 99, 100, 107, 108, 124, 130, 135, 136, 148, 156, 157, 257, 263, 345, 400, 499)
"""Offsets in a header where damage is tried: the name, each number, the checksum, the type,
the link, the magic, the prefix."""
BYTES = b"\x00 0178+-_x/.\x80\xff\n"
CHUNKS = (512, 700, 1024, 1536, 4096, 65536, 4 * 1024 * 1024)
"""Read-ahead chunk sizes tried: a header or a file's data across a chunk's edge."""

Entry = tuple[str, bytes, int, int, int, int, str]
"""name, type, size, mode, uid, mtime, link."""


def random_entry(rng: random.Random) -> Entry:
    if rng.random() < 0.1:
        name = rng.choice(SPECIAL)
    else:
        depth = rng.randint(1, 4)
        name = "/".join(rng.choice(PARTS) + str(rng.randint(0, 3)) for _ in range(depth))
        if rng.random() < 0.05:
            name = "long/" * rng.randint(20, 40) + name  # a prefix, a GNU name or PAX
        if rng.random() < 0.2:
            name += "/"
    kind = rng.choice(KINDS)
    size = rng.choice((0, 1, 511, 512, 513, 1500, rng.randint(0, 5000)))
    mode = rng.choice((0o644, 0o755, 0o4755, 0o777, rng.randint(0, 0o7777)))
    uid = rng.choice((0, 1000, 65534, 2**21, 2**40))  # the last two: PAX or base-256
    mtime = rng.choice((0, 1_700_000_000, -1, 2**34, rng.randint(0, 2**33)))
    link = rng.choice(("", "target", "../up", "/abs", "x" * 120, "\udcfe"))
    return name, kind, size, mode, uid, mtime, link


def build(entries: list[Entry], fmt: int, *, end: bool = True) -> bytes:
    """The tar tarfile writes of `entries` (an entry it cannot write in `fmt` is left out)."""
    out = io.BytesIO()
    with tarfile.open(
        fileobj=out, mode="w", format=fmt, encoding="utf-8", errors="surrogateescape"
    ) as tar:
        for name, kind, size, mode, uid, mtime, link in entries:
            info = tarfile.TarInfo(name)
            info.type, info.mode, info.uid, info.gid, info.mtime = kind, mode, uid, uid, mtime
            info.linkname = link
            info.size = size if kind in tarfile.REGULAR_TYPES else 0
            try:
                tar.addfile(info, io.BytesIO(b"d" * info.size) if info.size else None)
            except ValueError:  # too long or too big for the format
                continue
    data = out.getvalue()
    return data if end else data[: len(data) - 1024]


def random_tar(rng: random.Random) -> bytes:
    entries = [random_entry(rng) for _ in range(rng.randint(0, 40))]
    return build(entries, rng.choice(FORMATS), end=rng.random() < 0.9)


def damaged(rng: random.Random, data: bytes, times: int) -> bytes:
    """`data` with `times` bytes of its headers' fields changed, or cut short."""
    out = bytearray(data)
    for _ in range(times):
        if len(out) < 512:
            break
        block = rng.randrange(len(out) // 512) * 512
        out[block + min(rng.choice(FIELDS) + rng.randint(0, 3), 511)] = rng.choice(BYTES)
    if rng.random() < 0.2 and len(out) >= 512:  # cut, often inside a header
        block = rng.randrange(len(out) // 512) * 512
        del out[block + rng.randint(1, 511) if rng.random() < 0.7 else rng.randrange(len(out)) :]
    return bytes(out)


def reading(data: bytes, *, in_c: bool) -> Any:
    try:
        return tarindex.read_layer(io.BytesIO(data), "layer", in_c=in_c)
    except InputError as exc:
        return ("refused", str(exc))


def assert_same(data: bytes, chunk: int) -> None:
    """The C reader and the Python one give the same index of `data`, or the same refusal,
    with the read-ahead's chunks of `chunk` bytes."""
    kept = readahead.CHUNK
    readahead.CHUNK = chunk
    try:
        python, c = reading(data, in_c=False), reading(data, in_c=True)
    finally:
        readahead.CHUNK = kept
    assert c == python, (chunk, data)

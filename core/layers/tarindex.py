"""One layer's index from its tar stream: every entry's header, the contents skipped, the
diff-ID (sha256 of the uncompressed tar) computed on the way; plain, gzip or zstd.

The tar is never extracted: only headers are kept. The work is bounded, not only what is kept:
a compression bomb stops at the inflate ratio (core.formats.inflate), a tar of millions of
entries at :data:`ENTRIES_AT_MOST`, each with a one-line refusal naming the layer."""

from __future__ import annotations

import hashlib
import posixpath
from collections.abc import Callable, Collection
from typing import IO

import msgspec

from fromscratch.core.formats.inflate import (
    GZIP_MAGIC,
    ZSTD_MAGIC,
    Inflated,
    Peeked,
    ZstdInflated,
)
from fromscratch.core.formats.parse import InputError
from fromscratch.core.layers.entries import Entry, EntryType
from fromscratch.core.layers.readahead import ReadAhead, quick_switches
from fromscratch.core.layers.tarheaders import PlainRun, TarReader, Truncated

PlainEntries = Callable[
    [bytes, int, list[Entry], type[Entry], tuple[EntryType, ...], frozenset[str], dict[int, int]],
    tuple[int, int],
]


def _compiled() -> PlainEntries | None:
    """The C reader of plain entries (core/layers/_plainentries.c); None when the install
    had no C compiler: the Python reader then reads every entry, 2-3 times slower."""
    try:
        from fromscratch.core.layers._plainentries import run
    except ImportError:
        return None
    return run


COMPILED = _compiled()

ENTRIES_AT_MOST = 3_000_000
"""A layer with more entries is refused: at ~200 bytes each, 3 million already take 600 MB
(the largest real layers hold a few hundred thousand)."""
CHECK_EVERY = 4096
"""Entries between two looks at the cancel flag."""


class Cancelled(Exception):
    """The reading was stopped by its caller; nothing it read is kept."""


TEXTS = frozenset(
    {"etc/os-release", "usr/lib/os-release", "etc/alpine-release", "etc/debian_version"}
)
"""Small files whose words a summary quotes (what the OS says it is): kept with the index."""
TEXT_AT_MOST = 16 * 1024


class LayerIndex(msgspec.Struct, frozen=True, gc=False):
    diff_id: str
    """`sha256:<hex>` of the uncompressed tar, as the image's config lists it."""
    entries: tuple[Entry, ...]
    content: int
    """Bytes on disk as the engine's graph drivers count a layer: every file's size and each
    symbolic link's target length, each hard-linked file once, folders nothing."""
    texts: tuple[tuple[str, str], ...] = ()
    """(path, text) of the files of :data:`TEXTS` this layer writes (their first 16 KiB)."""
    digests: tuple[tuple[str, str], ...] = ()
    """(path, `sha256:<hex>` of its content) of the files whose digests the reading was asked
    for (`diff --content`); none in the cache's copies."""


def check_bounds(count: int, where: str, cancelled: Callable[[], bool] | None) -> None:
    """Every :data:`CHECK_EVERY` entries: refuse a layer past :data:`ENTRIES_AT_MOST`, stop
    when the caller cancelled."""
    if count > ENTRIES_AT_MOST:
        raise InputError(f"{where}: holds more than {ENTRIES_AT_MOST:,} entries: not read")
    if cancelled is not None and cancelled():
        raise Cancelled


def inflated(raw: IO[bytes]) -> IO[bytes]:
    """`raw` as plain bytes: gzip and zstd inflated (by their magic), anything else as is."""
    head = raw.read(4)
    source = Peeked(head, raw)
    if head[:2] == GZIP_MAGIC:
        return Inflated(source)  # type: ignore[arg-type,return-value]  # read() is all used
    if head == ZSTD_MAGIC:
        return ZstdInflated(source)  # type: ignore[arg-type,return-value]
    return source  # type: ignore[return-value]


def relative(name: str, where: str) -> str:
    """A tar name as a path from the image's root: `./` and a leading `/` dropped (the engine
    joins such names under the root too); a name that climbs out (`../`) is refused, as the
    engine refuses to unpack it."""
    path = posixpath.normpath("/" + name).lstrip("/")
    climbs = posixpath.normpath(name.lstrip("/")).split("/")[0] == ".."
    if climbs:
        raise InputError(f"{where}: an entry named {name!r} climbs out of the layer: not a layer")
    return "" if path == "." else path


KINDS = {
    ord("0"): EntryType.FILE,
    0: EntryType.FILE,
    ord("7"): EntryType.FILE,
    ord("S"): EntryType.FILE,
    ord("5"): EntryType.DIR,
    ord("2"): EntryType.SYMLINK,
    ord("1"): EntryType.HARDLINK,
    ord("3"): EntryType.DEVICE,
    ord("4"): EntryType.DEVICE,
    ord("6"): EntryType.FIFO,
}
"""Tar type flags as entries; others (GNU volume labels ...) are not files of the image."""
_PLAIN = frozenset("/.")


def _path(name: str, where: str) -> str:
    """:func:`relative`, with a fast path for the names nearly every tar holds."""
    if name[:1] in _PLAIN or "/." in name or "//" in name:
        return relative(name, where)
    return name.rstrip("/")


def read_layer(
    raw: IO[bytes],
    where: str,
    cancelled: Callable[[], bool] | None = None,
    digests: Collection[str] = (),
    *,
    in_c: bool = True,
) -> LayerIndex:
    """Index the layer tar `raw` (plain, gzip or zstd). `where` names it in refusals. The
    files at the paths of `digests` have their contents hashed on the way. With `in_c` the
    plain entries are read by :data:`COMPILED` when it was built (the same index, faster);
    without, all by the Python reader, the reference."""
    with quick_switches():
        return _read(raw, where, cancelled, digests, COMPILED if in_c else None)


def _read(
    raw: IO[bytes],
    where: str,
    cancelled: Callable[[], bool] | None,
    digests: Collection[str],
    compiled: PlainEntries | None,
) -> LayerIndex:
    ahead = ReadAhead(inflated(raw))  # inflated and hashed on another core
    reader = TarReader(ahead)
    entries: list[Entry] = []
    texts: list[tuple[str, str]] = []
    hashed: list[tuple[str, str]] = []
    content = 0
    shared: dict[int, int] = {}  # one object per distinct mode and time: most repeat
    plain: PlainRun | None = None
    if compiled is not None:
        run = compiled
        special = TEXTS | frozenset(digests)  # files this reading takes more of than a header
        kinds = (EntryType.FILE, EntryType.DIR, EntryType.SYMLINK)

        def plain(buffer: bytes, at: int) -> int:
            nonlocal content
            taken, size = run(buffer, at, entries, Entry, kinds, special, shared)
            if taken != at:
                content += size
                check_bounds(len(entries), where, cancelled)
            return taken

    try:
        for name, flag, mode, uid, gid, header_size, header_mtime, header_link in reader.headers(
            plain
        ):
            kind = KINDS.get(flag)
            if kind is None:
                continue
            path = _path(name, where)
            if not path:
                continue  # the root folder itself
            link = ""
            size = 0
            if kind is EntryType.FILE:
                size = header_size
                content += size
                if path in TEXTS:
                    data = reader.take_data(TEXT_AT_MOST)
                    texts.append((path, data.decode("utf-8", "replace")))
                    if digests and path in digests and size <= TEXT_AT_MOST:
                        hashed.append((path, f"sha256:{hashlib.sha256(data).hexdigest()}"))
                elif digests and path in digests:
                    hashed.append((path, reader.digest_data()))
            elif kind is EntryType.SYMLINK:
                link = header_link
                content += len(link.encode("utf-8", "surrogateescape"))
            elif kind is EntryType.HARDLINK:
                link = _path(header_link, where)
            mode &= 0o7777  # Go writes the type bits too (040000 for a folder)
            mode = shared.setdefault(mode, mode)
            mtime = shared.setdefault(header_mtime, header_mtime)
            entries.append(Entry(path, kind, mode, uid, gid, size, mtime, link))
            if len(entries) % CHECK_EVERY == 0:
                check_bounds(len(entries), where, cancelled)
        reader.drain()  # the end-of-archive blocks and padding are part of the diff-ID
    except Truncated as exc:
        raise InputError(f"{where}: a truncated or damaged layer tar ({exc})") from None
    except InputError as exc:
        if str(exc).startswith(where):
            raise
        raise InputError(f"{where}: a truncated or damaged layer tar ({exc})") from None
    finally:
        ahead.close()
    return LayerIndex(
        f"sha256:{reader.hexdigest()}",
        tuple(entries),
        content,
        tuple(texts),
        tuple(hashed),
    )

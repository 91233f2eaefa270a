"""Every layer of a `docker save` stream indexed in one pass: a file on disk, or the engine's
`GET /images/{name}/get` answer as it arrives. Both layouts are read (the legacy
`<id>/layer.tar` and the OCI `blobs/sha256/<digest>`), layers plain, gzip or zstd; each is
keyed by its diff-ID, computed from its bytes, so no manifest is needed to place it. A layer
the caller already has (the cache) is skipped unread when its member name is its digest."""

from __future__ import annotations

import os
import posixpath
import tarfile
import threading
from collections.abc import Callable, Collection, Iterable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, NamedTuple, cast

from fromscratch.core.formats.inflate import GZIP_MAGIC, READ_BLOCK, ZSTD_MAGIC, Peeked
from fromscratch.core.formats.parse import InputError
from fromscratch.core.layers.tarindex import (
    Cancelled,
    LayerIndex,
    inflated,
    read_layer,
)

if TYPE_CHECKING:
    from concurrent.futures import Future

TAR_MAGIC_AT = 257
LAYER_MAGICS = (b"\x1f\x8b", b"\x28\xb5\x2f\xfd")


class Chunks:
    """An iterable of byte chunks (docker-py's streamed answer) read as a file."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self._chunks: Iterator[bytes] = iter(chunks)
        self._buffer = b""

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self._buffer) < size:
            chunk = next(self._chunks, None)
            if chunk is None:
                break
            self._buffer += chunk
        if size < 0:
            out, self._buffer = self._buffer, b""
        else:
            out, self._buffer = self._buffer[:size], self._buffer[size:]
        return out


def _digest_named(name: str) -> str | None:
    """`sha256:<hex>` for an OCI blob's member name, None for other names."""
    folder, hexa = posixpath.split(name)
    if posixpath.basename(folder) == "sha256" and len(hexa) == 64:
        return f"sha256:{hexa}"
    return None


def _looks_like_layer(head: bytes) -> bool:
    if head.startswith(LAYER_MAGICS):
        return True
    return head[TAR_MAGIC_AT : TAR_MAGIC_AT + 5] == b"ustar" or (
        len(head) == 512 and not head.strip(b"\x00")  # an empty layer: its end blocks only
    )


def read_saved(
    raw: IO[bytes],
    where: str,
    *,
    known: Callable[[str], bool] = lambda _digest: False,
    cancelled: Callable[[], bool] | None = None,
    keep: Callable[[LayerIndex], None] | None = None,
    wanted: Collection[str] | None = None,
    digests: Collection[str] = (),
) -> dict[str, LayerIndex]:
    """Index every layer of the `docker save` tar `raw` (itself plain or gzip), by diff-ID.
    `known(digest)`: skip a blob named by that digest (its index is already kept). Each layer
    read goes to `keep` (the cache) as it is read; only the `wanted` ones (all, by default)
    are returned, so an archive of many images is not held in memory whole. The files at
    the paths of `digests` have their contents hashed."""
    found: dict[str, LayerIndex] = {}
    try:
        with tarfile.open(fileobj=inflated(raw), mode="r|", bufsize=READ_BLOCK) as outer:
            while (member := outer.next()) is not None:
                outer.members.clear()  # type: ignore[attr-defined]  # one pass: keep none
                if not member.isfile():
                    continue  # a legacy save links a shared layer.tar to its first copy
                name = member.name.removeprefix("./")
                digest = _digest_named(name)
                if digest is not None and known(digest):
                    continue
                handle = outer.extractfile(member)
                if handle is None:
                    continue
                head = handle.read(512)
                if not _looks_like_layer(head):
                    continue
                layer = read_layer(
                    cast(IO[bytes], Peeked(head, handle)), f"{where}: {name}", cancelled, digests
                )
                if keep is not None:
                    keep(layer)
                if wanted is None or layer.diff_id in wanted:
                    found[layer.diff_id] = layer
                if cancelled is not None and cancelled():
                    raise Cancelled
    except (tarfile.TarError, EOFError) as exc:
        raise InputError(f"{where}: a damaged or truncated `docker save` tar ({exc})") from None
    return found


WORKERS_AT_MOST = 8
"""Layers of one archive read at once at most (each holds its read-ahead and its entries)."""


class _Member(NamedTuple):
    name: str
    offset: int
    size: int


class _Slice:
    """`size` bytes of the file `fd` from `offset`, read with `pread` (no shared position:
    each worker its own slice of one open file)."""

    def __init__(self, fd: int, offset: int, size: int) -> None:
        self._fd, self._at, self._end = fd, offset, offset + size

    def read(self, size: int = -1) -> bytes:
        left = self._end - self._at
        want = left if size < 0 else min(size, left)
        if want <= 0:
            return b""
        out = os.pread(self._fd, want, self._at)
        if not out:
            raise InputError("the archive ends inside a layer: truncated")
        self._at += len(out)
        return out


def _layer_members(path: Path, where: str, known: Callable[[str], bool]) -> list[_Member]:
    """The members of the plain tar at `path` that may be layers, in order, headers only."""
    members: list[_Member] = []
    try:
        with tarfile.open(path, mode="r:") as outer:
            for member in outer:
                if not member.isfile():
                    continue  # a legacy save links a shared layer.tar to its first copy
                name = member.name.removeprefix("./")
                digest = _digest_named(name)
                if digest is None or not known(digest):
                    members.append(_Member(name, member.offset_data, member.size))
    except (tarfile.TarError, EOFError) as exc:
        raise InputError(f"{where}: a damaged or truncated `docker save` tar ({exc})") from None
    return members


def read_saved_file(
    path: Path,
    where: str,
    *,
    known: Callable[[str], bool] = lambda _digest: False,
    cancelled: Callable[[], bool] | None = None,
    keep: Callable[[LayerIndex], None] | None = None,
    wanted: Collection[str] | None = None,
    digests: Collection[str] = (),
    workers: int | None = None,
) -> dict[str, LayerIndex]:
    """:func:`read_saved` for an archive on disk, its layers read on all cores at once (up to
    :data:`WORKERS_AT_MOST`, or `workers`): inflating, hashing and reading let go of the GIL.
    A compressed archive has no members to seek to: it is read in one pass. When layers are
    damaged, the first in the archive's order is the one refused, as the one-pass read
    would; `keep` is called on this thread."""
    from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait  # not at launch

    with path.open("rb") as raw:
        head = raw.read(4)
        if head[:2] == GZIP_MAGIC or head == ZSTD_MAGIC:
            raw.seek(0)
            return read_saved(
                raw,
                where,
                known=known,
                cancelled=cancelled,
                keep=keep,
                wanted=wanted,
                digests=digests,
            )
        members = _layer_members(path, where, known)
        fd = raw.fileno()
        failed_at = len(members)  # the first member (in order) that failed; later ones stop
        lock = threading.Lock()

        def read(index: int, member: _Member) -> LayerIndex | None:
            def stop() -> bool:
                return index > failed_at or (cancelled is not None and cancelled())

            if stop():
                return None
            head = os.pread(fd, 512, member.offset)
            if not _looks_like_layer(head):
                return None
            slice_ = _Slice(fd, member.offset, member.size)
            try:
                return read_layer(cast(IO[bytes], slice_), f"{where}: {member.name}", stop, digests)
            except Cancelled:
                return None
            except InputError:
                nonlocal failed_at
                with lock:
                    failed_at = min(failed_at, index)
                raise

        count = workers or min(os.cpu_count() or 1, WORKERS_AT_MOST)
        found: dict[str, LayerIndex] = {}
        errors: dict[int, InputError] = {}
        with ThreadPoolExecutor(max(1, count), thread_name_prefix="layer") as pool:
            running: dict[Future[LayerIndex | None], int] = {
                pool.submit(read, index, member): index for index, member in enumerate(members)
            }
            while running:
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    index = running.pop(future)
                    try:
                        layer = future.result()
                    except InputError as exc:
                        errors[index] = exc
                        continue
                    if layer is None or index > failed_at:
                        continue
                    if keep is not None:
                        keep(layer)
                    if wanted is None or layer.diff_id in wanted:
                        found[layer.diff_id] = layer
        if errors:
            raise errors[min(errors)]
        if cancelled is not None and cancelled():
            raise Cancelled
    return found

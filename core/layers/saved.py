"""Every layer of a `docker save` stream indexed in one pass: a file on disk, or the engine's
`GET /images/{name}/get` answer as it arrives. Both layouts are read (the legacy
`<id>/layer.tar` and the OCI `blobs/sha256/<digest>`), layers plain, gzip or zstd; each is
keyed by its diff-ID, computed from its bytes, so no manifest is needed to place it. A layer
the caller already has (the cache) is skipped unread when its member name is its digest."""

from __future__ import annotations

import posixpath
import tarfile
from collections.abc import Callable, Collection, Iterable, Iterator
from typing import IO, cast

from fromscratch.core.formats.inflate import READ_BLOCK, Peeked
from fromscratch.core.formats.parse import InputError
from fromscratch.core.layers.tarindex import (
    Cancelled,
    LayerIndex,
    inflated,
    read_layer,
)

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

"""Compressed streams read as their inflated bytes (gzip, every member as `cat a.gz b.gz`
writes them; zstd), refusing a ratio no image layer has: the bound is on the work, so 5 GiB
of zeros in 5 MB stop after 1 GiB instead of taking a minute and the memory of what reads
them."""

from __future__ import annotations

import zlib
from typing import IO

from fromscratch.core.formats.parse import InputError

READ_BLOCK = 1024 * 1024
INFLATE_RATIO_AT_MOST = 100
INFLATE_FREELY = 1024 * 1024 * 1024
"""A stream may inflate this much at any ratio; past it, at most 100 times its compressed
bytes (layers of real files compress 2-5 times; 5 GiB of zeros compress 1,000 times)."""
GZIP_MAGIC = b"\x1f\x8b"
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"


def _check_ratio(given: int, read_in: int) -> None:
    if given > INFLATE_FREELY and given > INFLATE_RATIO_AT_MOST * read_in:
        raise InputError(
            f"inflates more than {INFLATE_RATIO_AT_MOST} times its size "
            f"({read_in:,} bytes to over {given:,}): no image's layers do; "
            "not a `docker save` archive or image layer to open"
        )


class Inflated:
    """A gzip file read as its inflated bytes (every member, as `cat a.gz b.gz` writes them),
    refusing a ratio no image layer has once past :data:`INFLATE_FREELY`."""

    def __init__(self, raw: IO[bytes]) -> None:
        self._raw = raw
        self._inflater = zlib.decompressobj(wbits=31)
        self._input = b""
        self.read_in = 0
        self.given = 0

    def read(self, size: int = -1) -> bytes:
        want = size if size >= 0 else READ_BLOCK
        out = bytearray()
        try:
            while len(out) < want:
                if self._inflater.eof:  # the next member, after any zero padding
                    self._input = self._inflater.unused_data + self._input
                    self._inflater = zlib.decompressobj(wbits=31)
                    self._input = self._input.lstrip(b"\x00")
                    while not self._input and self._more():
                        self._input = self._input.lstrip(b"\x00")
                    if not self._input:
                        break
                data = self._inflater.unconsumed_tail
                if not data:
                    if not self._input and not self._more():
                        break  # a truncated member: tarfile says so from what it got
                    data, self._input = self._input, b""
                out += self._inflater.decompress(data, want - len(out))
        except zlib.error:
            raise InputError("damaged gzip data; save or copy the archive again") from None
        self.given += len(out)
        _check_ratio(self.given, self.read_in)
        return bytes(out)

    def _more(self) -> bool:
        chunk = self._raw.read(READ_BLOCK)
        self.read_in += len(chunk)
        self._input += chunk
        return bool(chunk)


class ZstdInflated:
    """A zstd stream read as its inflated bytes, with the same bound as :class:`Inflated`."""

    def __init__(self, raw: IO[bytes]) -> None:
        import zstandard

        self._counted = _Counted(raw)
        self._reader = zstandard.ZstdDecompressor().stream_reader(
            self._counted,  # type: ignore[arg-type]  # only its read() is used
            read_size=READ_BLOCK,
            read_across_frames=True,
        )
        self.given = 0

    @property
    def read_in(self) -> int:
        return self._counted.read_in

    def read(self, size: int = -1) -> bytes:
        import zstandard

        try:
            out = self._reader.read(size if size >= 0 else READ_BLOCK)
        except zstandard.ZstdError:
            raise InputError("damaged zstd data; save or copy it again") from None
        self.given += len(out)
        _check_ratio(self.given, self.read_in)
        return bytes(out)


class _Counted:
    def __init__(self, raw: IO[bytes]) -> None:
        self._raw = raw
        self.read_in = 0

    def read(self, size: int = -1) -> bytes:
        chunk = self._raw.read(size)
        self.read_in += len(chunk)
        return chunk


class Peeked:
    """A stream's first bytes, already read (to tell what it is), then the rest of it."""

    def __init__(self, head: bytes, rest: IO[bytes]) -> None:
        self._head, self._rest = head, rest

    def read(self, size: int = -1) -> bytes:
        if not self._head:
            return self._rest.read(size)
        if size < 0:
            out, self._head = self._head + self._rest.read(), b""
            return out
        out, self._head = self._head[:size], self._head[size:]
        return out

"""The headers of a tar stream, read fast: 512-byte blocks parsed by slicing, the contents
skipped (read through, since a stream cannot seek; the reading and hashing of the bytes run
on another core: core.layers.readahead). Python's
tarfile made an object per member and parsed PAX records with regular expressions: 8,500
entries a second, 40 times GNU `tar -t`. Formats: v7, ustar (its prefix field), GNU long
names and links (`L`, `K`), PAX extended and global headers (`path`, `linkpath`, `size`,
`uid`, `gid`, `mtime`), base-256 numbers; each header's checksum is checked."""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Callable, Iterator

from fromscratch.core.formats.parse import InputError
from fromscratch.core.layers.readahead import ReadAhead

BLOCK = 512
CHUNK = 1024 * 1024
ZERO = bytes(BLOCK)
FIELDS = struct.Struct("100s48x8sB100s6s2x32x32x8x8x155s")
"""name, (the numbers, read apart), checksum, type, link, magic, (version, user and group
names, device numbers skipped), prefix."""
NUMBERS = struct.Struct("8s8s8s12s12s")
"""mode, uid, gid, size, mtime: octal text ended by NUL or space (read with NULs as spaces,
which `int` takes), or GNU base-256."""
NUMBERS_AT = 100
NUL_AS_SPACE = bytes.maketrans(b"\x00", b" ")
HAS_DATA = frozenset(b"0\x007SMN")
"""Type flags whose size is data to skip (regular, contiguous, GNU sparse and multi-volume);
links, folders, devices and FIFOs carry none whatever their size says."""


Header = tuple[str, int, int, int, int, int, int, str]
"""An entry's header as :meth:`TarReader.headers` gives it: name, type flag (its byte:
ord("0") for a file, ord("5") a folder, ...), mode, uid, gid, size, mtime, link target. A
plain tuple: a named one cost a call an entry."""


PlainRun = Callable[[bytes, int], int]
"""Takes the run of entries it can from offset `at` of the buffer, data and all, and gives
the offset after them (`at` when it took none); :mod:`core.layers.tarindex` passes the C
reader of plain entries. Only entries whose data lies inside the buffer can be taken."""


class Truncated(InputError):
    pass


def _number(field: bytes) -> int:
    if field and field[0] & 0x80:  # base-256 (GNU): big sizes, negative times
        value = int.from_bytes(field, "big", signed=False) & ~(0x80 << (8 * (len(field) - 1)))
        return -((1 << (8 * len(field) - 1)) - value) if field[0] & 0x40 else value
    text = field.strip(b"\x00 ")
    try:
        return int(text, 8) if text else 0
    except ValueError:  # as Go's archive/tar, which the engines write and read with
        raise InputError(f"a header's number field holds {field!r}: damaged") from None


def _octal(field: bytes) -> int:
    """An octal field, NUL- or space-ended (nearly every header); else as :func:`_number`."""
    try:
        return int(field.rstrip(b"\x00"), 8)
    except ValueError:
        return _number(field)


def _pax(data: bytes) -> dict[str, bytes]:
    """`length key=value\\n` records."""
    out: dict[str, bytes] = {}
    at = 0
    while at < len(data):
        space = data.find(b" ", at)
        if space < 0:
            break
        try:
            length = int(data[at:space])
        except ValueError:
            raise InputError("a PAX header of the wrong shape") from None
        if length <= 0:
            break
        record = data[space + 1 : at + length - 1]  # without the newline
        key, _, value = record.partition(b"=")
        out[key.decode("utf-8", "replace")] = value
        at += length
    return out


class TarReader:
    """Reads `raw` block by block; `raw` reads (and hashes) the bytes on another core
    (:class:`~fromscratch.core.layers.readahead.ReadAhead`)."""

    def __init__(self, raw: ReadAhead) -> None:
        self._raw = raw
        self._buffer = b""
        self._at = 0
        self.count = 0

    def hexdigest(self) -> str:
        """The sha256 of every byte of the stream (read to its end)."""
        return self._raw.hexdigest()

    def _fill(self, want: int) -> bool:
        while len(self._buffer) - self._at < want:
            chunk = self._raw.read(CHUNK)
            if not chunk:
                return False
            self.count += len(chunk)
            self._buffer = self._buffer[self._at :] + chunk
            self._at = 0
        return True

    def take(self, size: int) -> bytes:
        if not self._fill(size):
            raise Truncated("the tar ends inside an entry: truncated")
        out = self._buffer[self._at : self._at + size]
        self._at += size
        return out

    def skip(self, size: int) -> None:
        have = len(self._buffer) - self._at
        if size <= have:
            self._at += size
            return
        size -= have
        self._buffer, self._at = b"", 0
        while size > 0:
            chunk = self._raw.read(min(CHUNK, size) if size > CHUNK else CHUNK)
            if not chunk:
                raise Truncated("the tar ends inside an entry's data: truncated")
            self.count += len(chunk)
            if len(chunk) > size:
                self._buffer, self._at = chunk, size
                return
            size -= len(chunk)

    def drain(self) -> None:
        self._buffer, self._at = b"", 0
        while chunk := self._raw.read(CHUNK):
            self.count += len(chunk)

    def headers(self, plain: PlainRun | None = None) -> Iterator[Header]:
        """Each entry's header; its data is skipped unless the caller takes it with
        :meth:`take_data` before asking for the next. `plain`, when given, is offered the
        buffer at each header that no PAX record or GNU long name before it changes: the
        entries it takes (see :data:`PlainRun`) are not given here."""
        glob: dict[str, bytes] = {}
        extended: dict[str, bytes] = {}
        long_name = long_link = None
        checked = False
        unpack = FIELDS.unpack_from
        numbers_of = NUMBERS.unpack
        while True:
            if not self._fill(BLOCK):
                if self._at == len(self._buffer) and self.count:
                    return  # ended without end blocks, at an entry's edge: as tar takes it
                raise Truncated("the tar ends inside a header: truncated")
            at = self._at
            buffer = self._buffer
            if plain is not None and checked and not (extended or glob or long_name or long_link):
                taken = plain(buffer, at)
                if taken != at:
                    self._at = taken
                    continue
            self._at = at + BLOCK
            if buffer[at] == 0 and buffer[at : at + BLOCK] == ZERO:
                return
            name, chk, kind, link, magic, prefix = unpack(buffer, at)
            numbers = buffer[at + NUMBERS_AT : at + NUMBERS_AT + 48]
            m, u, g, s, t = numbers_of(numbers.translate(NUL_AS_SPACE))
            try:
                mode, uid, gid, size, mtime = int(m, 8), int(u, 8), int(g, 8), int(s, 8), int(t, 8)
            except ValueError:  # base-256, or an empty field
                mode, uid, gid, size, mtime = map(_number, numbers_of(numbers))
            if size < 0:  # read on, it would step back over the same header, endlessly
                raise InputError("a header with a negative size: damaged")
            if not checked:  # the first header says it is a tar; the diff-ID checks the rest
                unsigned = sum(buffer[at : at + BLOCK]) - sum(chk) + 8 * 32
                if _number(chk) != unsigned:
                    raise InputError("a header's checksum does not match: not a tar, or damaged")
                checked = True
            padded = (size + BLOCK - 1) & ~(BLOCK - 1)
            if kind in (0x78, 0x67, 0x4C, 0x4B):  # x, g: PAX; L, K: GNU long name, link
                data = self.take(padded)[:size]
                if kind == 0x78:
                    extended = _pax(data)
                elif kind == 0x67:
                    glob.update(_pax(data))
                elif kind == 0x4C:
                    long_name = data.rstrip(b"\x00")
                else:
                    long_link = data.rstrip(b"\x00")
                continue
            name = name.split(b"\x00", 1)[0]
            if magic == b"ustar\x00" and prefix[0]:  # POSIX: a prefix for long names
                name = prefix.split(b"\x00", 1)[0] + b"/" + name
            link = link.split(b"\x00", 1)[0]
            number = (mode, uid, gid, mtime)
            if extended or glob:
                pax = {**glob, **extended}
                name = pax.get("path", name)
                link = pax.get("linkpath", link)
                try:
                    size = int(pax.get("size", size))
                    if size < 0:
                        raise ValueError
                    number = (
                        number[0],
                        int(pax.get("uid", number[1])),
                        int(pax.get("gid", number[2])),
                        int(float(pax.get("mtime", number[3]))),
                    )
                except ValueError:
                    raise InputError("a PAX header with a number that is not one") from None
                padded = (size + BLOCK - 1) & ~(BLOCK - 1)
                extended = {}
            if long_name is not None:
                name, long_name = long_name, None
            if long_link is not None:
                link, long_link = long_link, None
            self.data_size = size
            yield (
                name.decode("utf-8", "surrogateescape"),
                kind,
                number[0],
                number[1],
                number[2],
                size,
                number[3],
                link.decode("utf-8", "surrogateescape") if link else "",
            )
            if self._taken:
                self._taken = False
            elif kind in HAS_DATA and padded:
                self.skip(padded)

    _taken = False
    data_size = 0

    def digest_data(self) -> str:
        """`sha256:<hex>` of the current entry's data, read through in chunks (a file of any
        size costs one chunk of memory); its data then counts as read."""
        size = self.data_size
        padded = (size + BLOCK - 1) & ~(BLOCK - 1)
        sha = hashlib.sha256()
        left = size
        while left > 0:
            have = len(self._buffer) - self._at
            if have == 0:
                if not self._fill(min(left, CHUNK)):
                    raise Truncated("the tar ends inside an entry's data: truncated")
                continue
            part = min(have, left)
            sha.update(memoryview(self._buffer)[self._at : self._at + part])
            self._at += part
            left -= part
        self.skip(padded - size)
        self._taken = True
        return f"sha256:{sha.hexdigest()}"

    def take_data(self, at_most: int) -> bytes:
        """The current entry's first `at_most` bytes (its data then counts as read)."""
        size = self.data_size
        padded = (size + BLOCK - 1) & ~(BLOCK - 1)
        data = self.take(padded)
        self._taken = True
        return data[: min(size, at_most)]

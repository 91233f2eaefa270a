"""Reading and writing files safely: bounded reads (gzip included), atomic writes."""

from __future__ import annotations

import os
from pathlib import Path


class FileReadError(Exception):
    """A file that cannot be read; the message is one line naming the file."""


def atomic_write(target: Path, data: bytes, *, durable: bool = True) -> None:
    """Write to a temporary file beside `target`, fsync, then rename over it: a reader sees
    the old file or the new one, never half of one.

    `durable=False` skips the fsync: for re-creatable cache entries, where a torn file after a
    power cut is merely re-fetched and 1,000 fsyncs would dominate a cold load."""
    target.parent.mkdir(parents=True, exist_ok=True)
    import tempfile

    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_bounded(path: Path, limit: int, *, hint: str = "") -> bytes:
    """The file's bytes, un-gzipped, refusing a file (or gzip data inflating) past `limit`
    bytes, so no input can exhaust memory. `hint` follows "is a folder" (what to give)."""
    shown = mib(limit)
    try:
        if path.is_dir():
            raise FileReadError(f"{path}: is a folder" + (f"; {hint}" if hint else ""))
        size = path.stat().st_size
        if size > limit:
            raise FileReadError(f"{path}: {mib(size)} is larger than the {shown} limit")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise FileReadError(f"{path}: no such file") from None
    except OSError as exc:
        raise FileReadError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if raw[:2] != b"\x1f\x8b":
        return raw
    import zlib  # imported only when used, which keeps the app start short

    inflater = zlib.decompressobj(wbits=31)
    try:
        out = inflater.decompress(raw, limit + 1)
    except zlib.error:
        raise FileReadError(f"{path}: damaged gzip data; save or copy the file again") from None
    if len(out) > limit or inflater.unconsumed_tail:
        raise FileReadError(f"{path}: inflates past the {shown} limit")
    if not inflater.eof:
        raise FileReadError(f"{path}: gzip data is truncated; save or copy the file again")
    return out


def mib(size: int) -> str:
    """`3.2 MiB`, `512 MiB`: sizes of files, in the binary units file managers show."""
    return f"{size / 2**20:.1f} MiB" if size < 10 * 2**20 else f"{size // 2**20} MiB"

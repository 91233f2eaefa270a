"""Reading and writing files safely: bounded reads (gzip included), atomic writes."""

from __future__ import annotations

import contextlib
import glob
import os
import stat
from pathlib import Path


class FileReadError(Exception):
    """A file that cannot be read; the message is one line naming the file."""


def atomic_write(target: Path, data: bytes, *, durable: bool = True) -> None:
    """Write to a temporary file beside `target`, fsync, then rename over it: a reader sees
    the old file or the new one, never half of one.

    `durable=False` skips the fsync: for re-creatable cache entries, where a torn file after a
    power cut is merely re-fetched and 1,000 fsyncs would dominate a cold load."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if durable:  # a cache entry is re-creatable, and 1,000 sweeps cost ~2 s on a cold load
        _sweep(target)
    import tempfile

    prefix = f".{target.name}.{os.getpid()}."  # the writer's pid: see _sweep
    fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=target.parent)
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


def _sweep(target: Path) -> None:
    """Remove the temporary files of earlier writes of `target` whose writer is gone (killed
    mid-write: kill -9, a crash); a live writer's own file is left alone."""
    for stray in target.parent.glob(f".{glob.escape(target.name)}.*.tmp"):
        pid = stray.name[len(target.name) + 2 :].split(".", 1)[0]
        if not pid.isdigit() or int(pid) == os.getpid() or _alive(int(pid)):
            continue
        with contextlib.suppress(OSError):
            stray.unlink()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process: alive
        return True
    return True


def read_bounded(path: Path, limit: int, *, hint: str = "") -> bytes:
    """The file's bytes, un-gzipped (every member), refusing a file (or gzip data inflating)
    past `limit` bytes, and anything but a regular file (a device such as /dev/zero, a pipe
    that would block), so no input can exhaust memory or hang. `hint` follows "is a folder"."""
    shown = mib(limit)
    info = regular_file(path, hint=hint)
    try:
        if info.st_size > limit:
            raise FileReadError(f"{path}: {mib(info.st_size)} is larger than the {shown} limit")
        with path.open("rb") as handle:
            raw = handle.read(limit + 1)  # a file that grows meanwhile is still bounded
    except FileNotFoundError:
        raise FileReadError(f"{path}: no such file") from None
    except OSError as exc:
        raise FileReadError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if len(raw) > limit:
        raise FileReadError(f"{path}: larger than the {shown} limit")
    if raw[:2] != b"\x1f\x8b":
        return raw
    return _gunzip(path, raw, limit)


def regular_file(path: Path, *, hint: str = "") -> os.stat_result:
    """`path`'s status if it is a regular file; FileReadError (one line) for a folder, a
    device, a pipe (which would block), a socket, or nothing there."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise FileReadError(f"{path}: no such file") from None
    except OSError as exc:
        raise FileReadError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if stat.S_ISDIR(info.st_mode):
        raise FileReadError(f"{path}: is a folder" + (f"; {hint}" if hint else ""))
    if not stat.S_ISREG(info.st_mode):
        what = _special(info.st_mode)
        raise FileReadError(f"{path}: is {what}, not a file; {hint or 'give a file'}")
    return info


def _special(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _gunzip(path: Path, raw: bytes, limit: int) -> bytes:
    """Every member of a gzip stream (`cat a.gz b.gz` and some tools write several)."""
    import zlib  # imported only when used, which keeps the app start short

    shown = mib(limit)
    out = bytearray()
    data = raw
    while data:
        inflater = zlib.decompressobj(wbits=31)
        try:
            out += inflater.decompress(data, limit + 1 - len(out))
        except zlib.error:
            raise FileReadError(f"{path}: damaged gzip data; save or copy the file again") from None
        if len(out) > limit or inflater.unconsumed_tail:
            raise FileReadError(f"{path}: inflates past the {shown} limit")
        if not inflater.eof:
            raise FileReadError(f"{path}: gzip data is truncated; save or copy the file again")
        data = inflater.unused_data.lstrip(b"\x00")  # members may be padded with zeros
    return bytes(out)


def mib(size: int) -> str:
    """`3.2 MiB`, `512 MiB`: sizes of files, in the binary units file managers show."""
    return f"{size / 2**20:.1f} MiB" if size < 10 * 2**20 else f"{size // 2**20} MiB"

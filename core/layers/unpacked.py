"""A layer's index from the folder the engine unpacked it into (overlay2's `diff` folders, as
`GraphDriver` names them), walked directly: no stream, no decompression, no hash. Only on the
engine's own machine, where the folders are readable (root).

The walk gives what the engine's save stream gives (the tests prove it on every engine that
has such folders): overlay's whiteouts (a character device 0:0) become `.wh.NAME` entries and
an opaque folder (the `trusted.overlay.opaque` attribute) a `.wh..wh..opq` entry, as the
engine writes them into the tar; a file's second name on the same inode is a hard link to
the first in walk order (names sorted, a folder before what it holds, as the engine's tar
walk goes). The diff-ID is the engine's own (the image's config), not recomputed. Markers are
written as moby's overlay converter writes them: a whiteout with mode 0600 and the device's
owner and time, an opaque marker with its folder's permissions and owner and no time."""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Callable, Collection, Mapping
from pathlib import Path
from typing import Any

from fromscratch.core.formats.parse import InputError
from fromscratch.core.layers.entries import OPAQUE, WHITEOUT, Entry, EntryType
from fromscratch.core.layers.tarindex import (
    CHECK_EVERY,
    TEXT_AT_MOST,
    TEXTS,
    LayerIndex,
    check_bounds,
)

DRIVERS = frozenset({"overlay2"})
"""Graph drivers whose `UpperDir`/`LowerDir` are one unpacked folder per layer and whose walk
the tests prove equal to the save stream: Docker's overlay2. Podman's `overlay` keeps such
folders too, but its layer tars leave out a folder that only holds changes (`etc` above a
new `etc/x`) while the folder on disk has it: walked, it would say the layer wrote `etc`."""
OPAQUE_ATTRIBUTES = ("trusted.overlay.opaque", "user.overlay.opaque")
HASH_CHUNK = 1024 * 1024


class Unreadable(InputError):
    """A folder of the layer could not be read from here (permissions, gone): the layer is
    read from the engine's save stream instead."""


def layer_folders(graph_driver: Mapping[str, Any], layers: int, root: Path) -> list[Path] | None:
    """An image's unpacked layer folders, bottom first, from its `GraphDriver` (as `docker
    image inspect` gives it), under `root` (`/`, or where the engine's root is seen from
    here); None where the driver keeps none, the count is not the image's, or one cannot be
    read from here."""
    if graph_driver.get("Name") not in DRIVERS:
        return None
    data = graph_driver.get("Data") or {}
    upper = data.get("UpperDir")
    if not isinstance(upper, str) or not upper:
        return None
    lower = data.get("LowerDir")
    lowers = lower.split(":") if isinstance(lower, str) and lower else []
    folders = [root / p.lstrip("/") for p in [*reversed(lowers), upper]]
    if len(folders) != layers:
        return None
    if not all(os.access(f, os.R_OK | os.X_OK) and f.is_dir() for f in folders):
        return None
    return folders


def _byte_order(entry: os.DirEntry[str]) -> bytes:
    return os.fsencode(entry.name)


def _opaque(path: str) -> bool:
    for name in OPAQUE_ATTRIBUTES:
        try:
            if os.getxattr(path, name, follow_symlinks=False) == b"y":
                return True
        except OSError:
            continue
    return False


def _digest(path: str) -> str:
    sha = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(HASH_CHUNK):
            sha.update(chunk)
    return f"sha256:{sha.hexdigest()}"


def _text(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(TEXT_AT_MOST)


def walk_layer(
    folder: Path,
    diff_id: str,
    where: str,
    cancelled: Callable[[], bool] | None = None,
    digests: Collection[str] = (),
) -> LayerIndex:
    """Index the unpacked layer `folder` (its diff-ID as the engine gives it)."""
    entries: list[Entry] = []
    texts: list[tuple[str, str]] = []
    hashed: list[tuple[str, str]] = []
    content = 0
    first_name: dict[tuple[int, int], str] = {}  # (device, inode) -> the first path seen

    def listed(prefix: str, real: str) -> list[tuple[str, os.DirEntry[str]]]:
        with os.scandir(real) as found:
            return [(f"{prefix}{e.name}", e) for e in sorted(found, key=_byte_order)][::-1]

    # depth first, names in byte order, a folder just before what it holds (the tar's walk)
    stack = [listed("", str(folder))]
    try:
        while stack:
            if not stack[-1]:
                stack.pop()
                continue
            path, item = stack[-1].pop()
            info = item.stat(follow_symlinks=False)
            mode = info.st_mode
            kind: EntryType
            link = ""
            size = 0
            if stat.S_ISCHR(mode) and info.st_rdev == 0:  # overlay's whiteout
                folder_part, _, base = path.rpartition("/")
                marker = f"{folder_part}/{WHITEOUT}{base}" if folder_part else WHITEOUT + base
                whiteout = Entry(
                    marker, EntryType.FILE, 0o600, info.st_uid, info.st_gid, 0, int(info.st_mtime)
                )
                entries.append(whiteout)
                continue
            if stat.S_ISDIR(mode):
                kind = EntryType.DIR
            elif stat.S_ISLNK(mode):
                kind = EntryType.SYMLINK
                link = os.readlink(item.path)
                content += len(os.fsencode(link))
            elif stat.S_ISREG(mode):
                key = (info.st_dev, info.st_ino)
                if info.st_nlink > 1 and key in first_name:
                    kind, link = EntryType.HARDLINK, first_name[key]
                else:
                    if info.st_nlink > 1:
                        first_name[key] = path
                    kind, size = EntryType.FILE, info.st_size
                    content += size
                    if path in TEXTS:
                        texts.append((path, _text(item.path).decode("utf-8", "replace")))
                    if digests and path in digests:
                        hashed.append((path, _digest(item.path)))
            elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
                kind = EntryType.DEVICE
            elif stat.S_ISFIFO(mode):
                kind = EntryType.FIFO
            else:
                continue  # sockets: a tar holds none
            entries.append(
                Entry(
                    path,
                    kind,
                    stat.S_IMODE(mode),
                    info.st_uid,
                    info.st_gid,
                    size,
                    int(info.st_mtime),
                    link,
                )
            )
            if kind == EntryType.DIR:
                if _opaque(item.path):
                    marker_mode = stat.S_IMODE(mode) & 0o777
                    opaque = Entry(
                        f"{path}/{OPAQUE}",
                        EntryType.FILE,
                        marker_mode,
                        info.st_uid,
                        info.st_gid,
                        0,
                        0,
                    )
                    entries.append(opaque)
                stack.append(listed(f"{path}/", item.path))
            if len(entries) % CHECK_EVERY == 0:
                check_bounds(len(entries), where, cancelled)
    except OSError as exc:
        raise Unreadable(f"{where}: the unpacked layer could not be read ({exc})") from None
    return LayerIndex(diff_id, tuple(entries), content, tuple(texts), tuple(hashed))

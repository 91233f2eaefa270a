"""Layer tars made in memory for the tests: each entry as a small tuple."""

from __future__ import annotations

import io
import tarfile
from typing import NamedTuple


class Item(NamedTuple):
    name: str
    kind: bytes = tarfile.REGTYPE
    data: bytes = b""
    mode: int = 0o644
    link: str = ""
    uid: int = 0
    gid: int = 0


def file(name: str, data: bytes = b"x", mode: int = 0o644, uid: int = 0) -> Item:
    return Item(name, tarfile.REGTYPE, data, mode, uid=uid, gid=uid)


def folder(name: str, mode: int = 0o755) -> Item:
    return Item(name, tarfile.DIRTYPE, mode=mode)


def symlink(name: str, target: str) -> Item:
    return Item(name, tarfile.SYMTYPE, mode=0o777, link=target)


def hardlink(name: str, target: str) -> Item:
    return Item(name, tarfile.LNKTYPE, link=target)


def layer_tar(*items: Item, fmt: int = tarfile.PAX_FORMAT) -> bytes:
    out = io.BytesIO()
    with tarfile.open(
        fileobj=out, mode="w", format=fmt, encoding="utf-8", errors="surrogateescape"
    ) as tar:
        for item in items:
            info = tarfile.TarInfo(item.name)
            info.type = item.kind
            info.mode = item.mode
            info.uid, info.gid = item.uid, item.gid
            info.mtime = 1_700_000_000
            info.linkname = item.link
            if item.kind in (tarfile.CHRTYPE, tarfile.BLKTYPE):
                info.devmajor, info.devminor = 1, 3
            info.size = len(item.data) if item.kind == tarfile.REGTYPE else 0
            tar.addfile(info, io.BytesIO(item.data) if info.size else None)
    return out.getvalue()

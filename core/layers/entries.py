"""A layer's entries as its tar holds them: path, type, mode, owner, size, time, link target.

Paths are relative to the image's root (`bin/busybox`, never `./` or `/`); names that are not
UTF-8 keep their bytes as surrogates (tarfile's `surrogateescape`), so they round-trip and are
shown escaped, never interpreted (core.text.printable). Whiteouts are entries too, as the OCI
image spec writes them: `dir/.wh.name` removes `dir/name` from the layers below, and
`dir/.wh..wh..opq` hides everything the layers below hold in `dir`."""

from __future__ import annotations

import posixpath
from enum import StrEnum

import msgspec

WHITEOUT = ".wh."
OPAQUE = ".wh..wh..opq"


class EntryType(StrEnum):
    FILE = "file"
    DIR = "dir"
    SYMLINK = "symlink"
    HARDLINK = "hardlink"
    DEVICE = "device"
    FIFO = "fifo"


class Entry(msgspec.Struct, frozen=True, array_like=True, gc=False):
    """One tar entry of a layer (a compact record: hundreds of thousands are kept)."""

    path: str
    type: EntryType
    mode: int
    """Permission bits (and set-uid, set-gid, sticky), as the tar header holds them."""
    uid: int
    gid: int
    size: int
    """A file's bytes; 0 for everything else (a hard link's bytes are its target's)."""
    mtime: int
    link: str = ""
    """A symbolic link's target as written; a hard link's target path in the layer."""


def whiteout_of(path: str) -> str | None:
    """The path a whiteout entry removes (`etc/.wh.motd` -> `etc/motd`), None for others and
    for the opaque marker."""
    folder, name = posixpath.split(path)
    if not name.startswith(WHITEOUT) or name == OPAQUE:
        return None
    return posixpath.join(folder, name.removeprefix(WHITEOUT))


def opaque_folder(path: str) -> str | None:
    """The folder an opaque marker hides the lower layers' contents of; None for others
    ("" for the root)."""
    folder, name = posixpath.split(path)
    return folder if name == OPAQUE else None


def is_marker(path: str) -> bool:
    """A whiteout or opaque marker: an instruction, not a file of the image."""
    return posixpath.basename(path).startswith(WHITEOUT)

"""Files as `fromscratch files` prints them: one line each in text, or JSON records (the
shapes are in README's "JSON shapes"); every name escaped, never interpreted."""

from __future__ import annotations

import json
import stat
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from fromscratch.core.layers.entries import Entry, EntryType, opaque_folder, whiteout_of
from fromscratch.core.text import format_size, printable

TYPE_LETTER = {
    EntryType.FILE: "-",
    EntryType.DIR: "d",
    EntryType.SYMLINK: "l",
    EntryType.HARDLINK: "h",
    EntryType.DEVICE: "c",
    EntryType.FIFO: "p",
}


class Row(NamedTuple):
    entry: Entry
    layer: int
    """1 for the bottom layer (as `--layer N` counts)."""
    image: str
    """The image in the tree that added that layer (its label)."""
    change: str = ""
    """For one layer's own listing: "removed" for a whiteout, "emptied" for an opaque
    marker, "" for a file it writes."""


def mode_text(entry: Entry) -> str:
    return TYPE_LETTER[entry.type] + stat.filemode(entry.mode)[1:]


def text_lines(rows: Iterable[Row]) -> Iterable[str]:
    for row in rows:
        e = row.entry
        if row.change == "removed":
            what = f"removes {printable(whiteout_of(e.path) or e.path)}"
        elif row.change == "emptied":
            what = f"empties {printable(opaque_folder(e.path) or '/')}/ of the layers below"
        else:
            what = printable(e.path) + (f" -> {printable(e.link)}" if e.link else "")
            if e.type == EntryType.DIR:
                what += "/"
        size = format_size(e.size) if e.type == EntryType.FILE else "-"
        yield (
            f"{mode_text(e)} {e.uid:>5}:{e.gid:<5} {size:>9}  layer {row.layer:<3} "
            f"{printable(row.image):<24} {what}"
        )


def json_text(rows: Sequence[Row]) -> str:
    """A JSON array, one object per row. A name that is not UTF-8 is given with U+FFFD in
    `path` (or `link`) and exactly, as hex bytes, in `path_hex` (`link_hex`)."""
    out = []
    for r in rows:
        e = r.entry
        record: dict[str, object] = {"path": _readable(e.path)}
        if not _utf8(e.path):
            record["path_hex"] = _hex(e.path)
        record.update(
            type=str(e.type), mode=e.mode, uid=e.uid, gid=e.gid, size=e.size, mtime=e.mtime
        )
        record["link"] = _readable(e.link)
        if not _utf8(e.link):
            record["link_hex"] = _hex(e.link)
        record.update(layer=r.layer, image=r.image, change=r.change or None)
        out.append(record)
    return json.dumps(out, indent=1, ensure_ascii=False)


def _readable(text: str) -> str:
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _hex(text: str) -> str:
    return text.encode("utf-8", "surrogateescape").hex()

"""`fromscratch waste` and `fromscratch diff` as text (each figure says what it counts) or JSON
(shapes in README's "JSON shapes"); every path escaped, never interpreted."""

from __future__ import annotations

import json
from typing import Any

from fromscratch.core.formats.inventory import plural
from fromscratch.core.layers.diff import Change, ImageDiff
from fromscratch.core.layers.entries import Entry
from fromscratch.core.layers.listing import mode_text
from fromscratch.core.layers.waste import Waste
from fromscratch.core.text import format_size, printable

LISTED = 20
"""Files written more than once, listed in the text report (JSON lists them all)."""


def waste_text(name: str, result: Waste, layers: int) -> str:
    lines = [
        f"{printable(name)}: {layers} layers, {format_size(result.size_bytes)} of files",
        f"  efficiency (dive's score)       {result.efficiency * 100:6.2f} %  "
        "share of the bytes written that a build writing each path once would keep",
        f"  wasted (dive)                   {format_size(result.wasted_bytes):>9}  "
        "every copy of each path written in more than one layer, the kept copy too",
        f"  user bytes (dive)               {format_size(result.user_bytes):>9}  "
        "the files of every layer but the bottom one",
        f"  wasted of the user bytes (dive) {result.wasted_user_percent * 100:6.2f} %",
        f"  reclaimable                     {format_size(result.reclaimable):>9}  "
        "what writing each path once would save (the copy that stays is not waste)",
    ]
    if result.files:
        shown = result.files[:LISTED]
        lines.append(
            f"Paths written more than once ({len(result.files)}"
            + (f", the {LISTED} most written" if len(result.files) > LISTED else "")
            + "):"
        )
        lines.append(f"  {'LAYERS':<10} {'WRITTEN':>9} {'RECLAIMABLE':>11}  PATH")
        for item in shown:
            where = ",".join(str(n + 1) for n in item.layers)
            lines.append(
                f"  {where:<10} {format_size(item.written):>9} "
                f"{format_size(item.reclaimable):>11}  {printable(item.path)}"
            )
    else:
        lines.append("No path is written in more than one layer.")
    return "\n".join(lines) + "\n"


def waste_json(name: str, result: Waste) -> str:
    return json.dumps(
        {
            "image": name,
            "efficiency": result.efficiency,
            "wasted_bytes": result.wasted_bytes,
            "user_bytes": result.user_bytes,
            "wasted_user_percent": result.wasted_user_percent
            if result.wasted_user_percent != float("inf")
            else None,
            "size_bytes": result.size_bytes,
            "reclaimable_bytes": result.reclaimable,
            "files": [
                {
                    "path": _readable(item.path),
                    "layers": [n + 1 for n in item.layers],
                    "written_bytes": item.written,
                    "smallest_bytes": item.smallest,
                    "reclaimable_bytes": item.reclaimable,
                }
                for item in result.files
            ],
        },
        indent=1,
        ensure_ascii=False,
    )


def _readable(text: str) -> str:
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _entry_text(entry: Entry) -> str:
    size = format_size(entry.size) if entry.type == "file" else ""
    link = f" -> {printable(entry.link)}" if entry.link else ""
    return f"{mode_text(entry)} {entry.uid}:{entry.gid} {size}{link}".rstrip()


def diff_text(first: str, second: str, result: ImageDiff) -> str:
    lines = [
        f"{printable(second)} against {printable(first)}: "
        f"{result.shared_layers} bottom layers shared"
    ]
    mark = {Change.ADDED: "+", Change.REMOVED: "-", Change.CHANGED: "~"}
    for item in result.paths:
        path = printable(item.path)
        if item.change == Change.CHANGED:
            assert item.before is not None and item.after is not None
            detail = (
                f"{', '.join(item.what)}: {_entry_text(item.before)} -> {_entry_text(item.after)}"
            )
        else:
            entry = item.after or item.before
            assert entry is not None
            detail = _entry_text(entry)
        lines.append(f"{mark[item.change]} {path}  {detail}")
    lines.append(
        f"{result.count(Change.ADDED)} added ({format_size(result.bytes_added())} in files), "
        f"{result.count(Change.REMOVED)} removed, {result.count(Change.CHANGED)} changed"
    )
    if result.compared:
        lines.append(f"contents compared by digest: {plural(result.compared, 'same-size file')}")
    if result.unsure:
        lines.append(
            f"{plural(result.unsure, 'file')} written again with the same size and metadata: "
            "contents not compared (--content compares them)"
        )
    for key, before, after in result.config:
        lines.append(
            f"config {printable(key)}: {printable(before) or '(none)'} -> "
            f"{printable(after) or '(none)'}"
        )
    for step in result.steps:
        lines.append(f"step: {printable(step)}")
    return "\n".join(lines) + "\n"


def diff_json(first: str, second: str, result: ImageDiff) -> str:
    def entry(value: Entry | None) -> dict[str, Any] | None:
        if value is None:
            return None
        return {
            "type": str(value.type),
            "size": value.size,
            "mode": value.mode,
            "uid": value.uid,
            "gid": value.gid,
            "mtime": value.mtime,
            "link": _readable(value.link),
        }

    return json.dumps(
        {
            "first": first,
            "second": second,
            "shared_layers": result.shared_layers,
            "contents_compared": result.compared,
            "contents_not_compared": result.unsure,
            "paths": [
                {
                    "path": _readable(item.path),
                    "change": str(item.change),
                    "what": list(item.what),
                    "before": entry(item.before),
                    "after": entry(item.after),
                }
                for item in result.paths
            ],
            "config": [{"field": k, "before": b, "after": a} for k, b, a in result.config],
            "steps": list(result.steps),
        },
        indent=1,
        ensure_ascii=False,
    )

"""`fromscratch df`: the disk figures of core.disk.usage as a table (like `docker system df
-v`, plus a row per base) or as JSON with the ids `tree --format json` uses."""

from __future__ import annotations

import json
from collections.abc import Sequence
from enum import StrEnum
from typing import Any

from fromscratch.core.disk.usage import DiskUsage, ImageUsage, NodeUsage
from fromscratch.core.formats.inventory import SizeBasis
from fromscratch.core.graph.records import NodeKind
from fromscratch.core.text import format_size, printable, shorten


class SortBy(StrEnum):
    FREES = "frees"
    UNIQUE = "unique"
    SIZE = "size"


def _image_key(sort: SortBy) -> Any:
    def key(usage: ImageUsage) -> tuple[int, str]:
        figure = usage.size if sort is SortBy.SIZE else usage.unique
        return (-(figure if figure is not None else -1), usage.label)

    return key


def _node_key(sort: SortBy) -> Any:
    def key(usage: NodeUsage) -> tuple[int, str]:
        figure = usage.subtree_bytes if sort is SortBy.SIZE else usage.frees
        return (-figure, usage.label)

    return key


def _bases(usage: DiskUsage) -> list[NodeUsage]:
    """The rows of the second table: nodes that other images stand on."""
    return [n for n in usage.nodes if n.images > 0]


def _size(value: int | None) -> str:
    return format_size(value) if value is not None else "unknown"


def render_text(usage: DiskUsage, sort: SortBy = SortBy.FREES) -> str:
    basis = usage.basis or SizeBasis.LAYER_BYTES
    content = any(image.content is not None for image in usage.images)
    rows = [("IMAGE", "ID", "SIZE", "SHARED", "UNIQUE", *(("COMPRESSED",) if content else ()))]
    for image in sorted(usage.images, key=_image_key(sort)):
        rows.append(
            (
                shorten(printable(image.label), 48),
                image.id.split(":", 1)[-1][:12],
                _size(image.size),
                _size(image.shared),
                _size(image.unique),
                *((_size(image.content),) if content else ()),
            )
        )
    lines = _table(rows)
    lines.append("")
    nodes = [("BASE", "IMAGES ON IT", "HOLDS", "REMOVING IT FREES", "SHARING SAVES")]
    for node in sorted(_bases(usage), key=_node_key(sort)):
        label = "scratch" if node.kind == NodeKind.SCRATCH else printable(node.label)
        if node.stand_in:
            label = f"[{node.stand_in}] {label}"
        nodes.append(
            (
                shorten(label, 48),
                str(node.images),
                format_size(node.subtree_bytes),
                format_size(node.frees),
                format_size(node.saved),
            )
        )
    lines += _table(nodes)
    lines.append("")
    lines.append(
        f"Layers on disk: {format_size(usage.layers_bytes)} (each layer once); images add up to "
        f"{format_size(usage.images_bytes)} (what `docker images` sums). Sizes: {basis.value}."
    )
    if content:
        lines.append(
            "COMPRESSED is each image's content in the store, compressed: never added to the "
            "other figures."
        )
    if usage.unknown:
        lines.append(
            f"{len(usage.unknown)} image(s) without layer sizes are not counted (their source "
            "does not tell them)."
        )
    return "\n".join(lines) + "\n"


def _table(rows: Sequence[tuple[str, ...]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    out = []
    for row in rows:
        cells = [row[0].ljust(widths[0])]
        cells += [
            cell.rjust(width) if i > 1 else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(row[1:], widths[1:], strict=True), start=1)
        ]
        out.append("  ".join(cells).rstrip())
    return out


def to_json_data(usage: DiskUsage, sort: SortBy = SortBy.FREES) -> dict[str, Any]:
    """`{"total": {...}, "images": [...], "nodes": [...]}` (documented in the README)."""
    return {
        "total": {
            "layers_bytes": usage.layers_bytes,
            "images_bytes": usage.images_bytes,
            "size_basis": (usage.basis or SizeBasis.LAYER_BYTES).name.lower(),
        },
        "images": [
            {
                "id": image.id,
                "tags": list(image.tags),
                "size": image.size,
                "shared": image.shared,
                "unique": image.unique,
                **({"content_size": image.content} if image.content is not None else {}),
            }
            for image in sorted(usage.images, key=_image_key(sort))
        ],
        "nodes": [
            {
                "id": node.id,
                "kind": node.kind,
                "label": node.label,
                "subtree_bytes": node.subtree_bytes,
                "frees": node.frees,
                "images": node.images,
                "saved": node.saved,
            }
            for node in sorted(usage.nodes, key=_node_key(sort))
        ],
    }


def facts_for(usage: DiskUsage, node: str) -> tuple[tuple[str, str], ...]:
    """The details dock's lines on disk use for `node`: an image's shared and unique bytes,
    and for a node others stand on, what sharing saves and what removing it frees."""
    out: list[tuple[str, str]] = []
    image = next((i for i in usage.images if i.id == node), None)
    if image is not None and image.size is not None:
        out.append(
            (
                "on disk",
                f"{format_size(image.unique)} used by it alone (removing only it frees "
                f"that), {format_size(image.shared)} shared with other images",
            )
        )
    figures = next((n for n in usage.nodes if n.id == node), None)
    if figures is not None and figures.images:
        count = f"{figures.images} image{'s' if figures.images != 1 else ''}"
        out.append(
            (
                "stands under",
                f"{count}; sharing saves {format_size(figures.saved)}; removing it and "
                f"everything above frees {format_size(figures.frees)}",
            )
        )
    return tuple(out)


def render(usage: DiskUsage, fmt: str, sort: SortBy = SortBy.FREES) -> str:
    if fmt == "json":
        return json.dumps(to_json_data(usage, sort), indent=2) + "\n"
    return render_text(usage, sort)

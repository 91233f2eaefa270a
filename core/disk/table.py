"""The images as rows for a sortable table (the window's Images tab): names, id, created, the
disk figures of `fromscratch df`, the containers on each and the base it comes from."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from fromscratch.core.disk.usage import DiskUsage
from fromscratch.core.formats.inventory import Container
from fromscratch.core.formats.names import main_tag
from fromscratch.core.graph.containers import container_rows
from fromscratch.core.graph.records import NodeKind
from fromscratch.core.graph.tree import Tree, generations


class ImageRow(NamedTuple):
    node: str
    name: str
    """The main tag, or `<none>@id`."""
    tags: tuple[str, ...]
    short_id: str
    created: str
    size: int | None
    own: int | None
    """Bytes of the layers it added to its parent's."""
    unique: int | None
    """Bytes only it uses: what removing it alone frees."""
    frees: int | None
    """What removing it and everything built on it frees."""
    running: int
    containers: int
    dangling: bool
    base: str
    """The base user space it comes from (the image just above scratch, by name)."""


def image_rows(
    tree: Tree, usage: DiskUsage | None, containers: Iterable[Container]
) -> list[ImageRow]:
    """One row per image of `tree`, in tree order; figures None until `usage` is known."""
    unique = {i.id: i.unique for i in usage.images} if usage is not None else {}
    frees = {n.id: n.frees for n in usage.nodes} if usage is not None else {}
    on: dict[str, list[int]] = {}
    for row in container_rows(containers, tree):
        if row.node is not None:
            counts = on.setdefault(row.node, [0, 0])
            counts[0] += row.running
            counts[1] += 1
    bases = generations(tree)
    rows = []
    for node, attrs in tree.nodes(data=True):
        image = attrs["image"]
        if attrs["kind"] != NodeKind.IMAGE or image is None:
            continue
        base = bases.get(node, (0, node))[1]
        base_attrs = tree.nodes[base]
        base_name = main_tag(base_attrs["tags"]) if base_attrs["tags"] else str(base_attrs["label"])
        running, total = on.get(node, (0, 0))
        rows.append(
            ImageRow(
                node,
                str(attrs["label"]),
                image.tags,
                image.short_id,
                image.created,
                attrs["size"],
                attrs["own_size"],
                unique.get(node) if usage is not None else None,
                frees.get(node) if usage is not None else None,
                running,
                total,
                bool(attrs["dangling"]),
                base_name,
            )
        )
    return rows

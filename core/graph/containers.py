"""The containers panel's rows: each container with the image it runs placed on the tree and
the base user space it comes from; and which rows an image selected on the tree has.

A container is placed by the image id it runs (`ImageID`, or another id the same image goes by
on the containerd store), never by the name it was started with: a tag moved by a rebuild
leaves old containers on the old image."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import NamedTuple

from fromscratch.core.formats.inventory import Container
from fromscratch.core.formats.names import main_tag, short_name
from fromscratch.core.graph.records import NodeKind
from fromscratch.core.graph.tree import Tree, ancestry, descendants, generations


class StartedAs(StrEnum):
    """What the name a container was started with names now."""

    ITS_IMAGE = "its image"
    """The image it runs still has that name (or it was started by id or digest)."""
    MOVED = "moved"
    """Another image has that name now (a rebuild moved the tag)."""
    GONE = "gone"
    """No image has that name now (untagged or removed)."""


_ID = re.compile(r"^(sha256:)?[0-9a-f]{6,64}$")


def reference_key(reference: str) -> str | None:
    """A `docker run` image reference as its tag is compared (`busybox` is
    `busybox:latest`, `docker.io/library/` and `localhost/` dropped); None for an id or a
    digest, which name one image for ever."""
    if "@" in reference or _ID.match(reference):
        return None
    last = reference.rsplit("/", 1)[-1]
    return short_name(reference if ":" in last else f"{reference}:latest")


class ContainerRow(NamedTuple):
    id: str
    name: str
    started_as: str
    """The image reference it was started with (`docker run IMAGE`)."""
    node: str | None
    """The image it runs, as a node of the tree (None: not among the images shown)."""
    runs: str
    """That image's name now (its main tag, or `<none>@id`): differs from `started_as` when
    the tag moved to a newer build."""
    short_id: str
    state: str
    status: str
    ports: tuple[str, ...]
    base: str
    """The base user space it comes from: the image just above scratch on its chain."""
    name_now: StartedAs = StartedAs.ITS_IMAGE
    """What `started_as` names now."""
    names_now: str = ""
    """With MOVED: the image that has the name now (its short id)."""

    @property
    def running(self) -> bool:
        return self.state in ("running", "restarting")


def _ids(tree: Tree) -> dict[str, str]:
    """Every id an image shown goes by -> its node."""
    out: dict[str, str] = {}
    for node, attrs in tree.nodes(data=True):
        image = attrs.get("image")
        if image is None:
            continue
        out[str(node)] = str(node)
        for other in (*image.aliases, image.manifest):
            if other:
                out.setdefault(other, str(node))
    return out


def _tagged(tree: Tree) -> dict[str, str]:
    """Every tag of an image shown (as :func:`reference_key` writes it) -> its node."""
    return {
        short_name(tag): str(node)
        for node, attrs in tree.nodes(data=True)
        if attrs.get("image") is not None
        for tag in attrs["tags"]
    }


def name_now(
    container: Container, node: str | None, tagged: dict[str, str]
) -> tuple[StartedAs, str]:
    """What the name `container` was started with names now, and (MOVED) which image."""
    key = reference_key(container.image)
    if key is None or node is None:
        return StartedAs.ITS_IMAGE, ""
    holder = tagged.get(key)
    if holder == node:
        return StartedAs.ITS_IMAGE, ""
    if holder is None:
        return StartedAs.GONE, ""
    return StartedAs.MOVED, holder.removeprefix("sha256:")[:12]


def container_rows(containers: Iterable[Container], tree: Tree) -> list[ContainerRow]:
    """Running first, then paused, then the rest; by name within each."""
    ids = _ids(tree)
    tagged = _tagged(tree)
    bases = generations(tree)
    rows = []
    for container in containers:
        node = ids.get(container.image_id)
        if node is not None:
            attrs = tree.nodes[node]
            runs = main_tag(attrs["tags"]) if attrs["tags"] else str(attrs["label"])
            base = bases.get(node, (0, node))[1]
            base_attrs = tree.nodes[base]
            if base_attrs["kind"] == NodeKind.VIRTUAL:  # named by the lowest local image
                chain = reversed(ancestry(tree, node))
                base = next((n for n in chain if tree.nodes[n]["kind"] == NodeKind.IMAGE), base)
                base_attrs = tree.nodes[base]
            base_name = (
                main_tag(base_attrs["tags"]) if base_attrs["tags"] else str(base_attrs["label"])
            )
        else:
            runs, base_name = container.image_id.removeprefix("sha256:")[:12], ""
        rows.append(
            ContainerRow(
                container.id,
                container.name,
                container.image,
                node,
                runs,
                container.image_id.removeprefix("sha256:")[:12],
                container.state,
                container.status,
                container.ports,
                base_name,
                *name_now(container, node, tagged),
            )
        )
    rank = {"running": 0, "restarting": 0, "paused": 1}
    rows.sort(key=lambda r: (rank.get(r.state, 2), r.name))
    return rows


def rows_on(
    rows: Sequence[ContainerRow], tree: Tree, node: str, *, above: bool = False
) -> list[ContainerRow]:
    """The rows whose image is `node` (and, `above`, any image built on it)."""
    wanted = {node} | (descendants(tree, node) if above and node in tree else set())
    return [row for row in rows if row.node in wanted]

"""The containers panel's rows: each container with the image it runs placed on the tree and
the base user space it comes from; and which rows an image selected on the tree has.

A container is placed by the image id it runs (`ImageID`, or another id the same image goes by
on the containerd store), never by the name it was started with: a tag moved by a rebuild
leaves old containers on the old image."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

from fromscratch.core.formats.inventory import Container
from fromscratch.core.formats.names import main_tag
from fromscratch.core.graph.records import NodeKind
from fromscratch.core.graph.tree import Tree, ancestry, descendants, generations


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

    @property
    def running(self) -> bool:
        return self.state in ("running", "restarting")

    @property
    def moved(self) -> bool:
        """Started by a tag that now names another image."""
        return bool(self.node) and self.started_as != self.runs and ":" in self.started_as


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


def container_rows(containers: Iterable[Container], tree: Tree) -> list[ContainerRow]:
    """Running first, then paused, then the rest; by name within each."""
    ids = _ids(tree)
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

"""What removing images would do, said before anything is removed: exactly which images go
(children first, as the engine needs them), which containers stand in the way, and the
bytes it frees, counted as `fromscratch df` counts them (every layer once: a layer goes when
no image left uses it).

Three kinds of target: one image; an image or inferred base and everything built on it; every
dangling image. Nothing here talks to an engine (core.engine.removal carries a plan out).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from fromscratch.core.disk.usage import layer_users
from fromscratch.core.formats.inventory import Container, SizeBasis, plural
from fromscratch.core.graph.containers import container_rows
from fromscratch.core.graph.records import SCRATCH_ID, NodeKind
from fromscratch.core.graph.tree import Tree, ancestry, descendants


class Target(StrEnum):
    """What to remove."""

    IMAGE = "image"
    """The image alone (what it alone uses is freed; images on it keep their layers)."""
    SUBTREE = "subtree"
    """The image (or inferred base) and every image built on it."""
    DANGLING = "dangling"
    """Every dangling image: untagged, not a build step of another image."""


class RemovalError(ValueError):
    """A target that names nothing to remove; the message says why, in one line."""


@dataclass(frozen=True, slots=True)
class Doomed:
    """One image to remove."""

    id: str
    name: str
    """Its main tag, or `<none>@id`."""
    tags: tuple[str, ...]
    size: int | None


@dataclass(frozen=True, slots=True)
class RemovalPlan:
    target: Target
    images: tuple[Doomed, ...]
    """In the order the engine takes them: every image before the images it stands on."""
    containers: tuple[Container, ...]
    """Containers (running or not) made from those images: they hold them."""
    frees: int | None
    """Bytes of the layers no image left would use; None when a size is unknown."""
    basis: SizeBasis | None
    """What `frees` counts (core.formats.inventory.SizeBasis)."""

    @property
    def blocked(self) -> bool:
        return bool(self.containers)


def plan_removal(
    tree: Tree, containers: Iterable[Container], target: Target, node: str | None = None
) -> RemovalPlan:
    """The plan for `target` (`node`: the image or base, for IMAGE and SUBTREE)."""
    chosen = _chosen(tree, target, node)
    if not chosen:
        raise RemovalError(_nothing(target, tree, node))
    if target is Target.IMAGE and node is not None and tree.child_map[node]:
        on_it = len(descendants(tree, node) & _images(tree))
        raise RemovalError(
            f"{tree.nodes[node]['label']}: {plural(on_it, 'image')} stand on it; remove it "
            "with everything built on it (--subtree), or remove those first"
        )
    order = sorted(chosen, key=lambda n: (-len(ancestry(tree, n)), n))
    doomed = tuple(_doomed(tree, n) for n in order)
    rows = container_rows(containers, tree)
    holding = {row.id for row in rows if row.node in chosen}
    blockers = tuple(c for c in containers if c.id in holding)
    users, sizes, basis, unknown = layer_users(tree)
    frees: int | None = None
    if not chosen & unknown:
        frees = sum(sizes[layer] for layer, who in users.items() if who <= chosen)
    return RemovalPlan(target, doomed, blockers, frees, basis)


def _images(tree: Tree) -> set[str]:
    return {n for n, a in tree.nodes(data=True) if a["kind"] == NodeKind.IMAGE}


def _chosen(tree: Tree, target: Target, node: str | None) -> set[str]:
    images = _images(tree)
    if target is Target.DANGLING:
        return {n for n in images if tree.nodes[n]["dangling"]}
    if node is None or node not in tree:
        return set()
    if target is Target.IMAGE:
        return {node} & images
    return ({node} | descendants(tree, node)) & images


def _nothing(target: Target, tree: Tree, node: str | None) -> str:
    if target is Target.DANGLING:
        return "no dangling images: nothing to remove"
    if node is None or node not in tree:
        return "no such image"
    if node == SCRATCH_ID:
        return "scratch is no image: nothing to remove"
    return f"{tree.nodes[node]['label']} is no local image and nothing stands on it"


def _doomed(tree: Tree, node: str) -> Doomed:
    attrs = tree.nodes[node]
    image = attrs["image"]
    assert image is not None
    return Doomed(node, str(attrs["label"]), image.tags, image.size)


def describe(plan: RemovalPlan) -> list[str]:
    """The plan as lines for people: what goes, what blocks, what it frees."""
    from fromscratch.core.text import format_size, printable

    lines = [f"would remove {plural(len(plan.images), 'image')}:"]
    for image in plan.images:
        tags = ", ".join(t for t in image.tags if t != image.name)
        also = f" (also {tags})" if tags else ""
        name = printable(image.name + also)
        lines.append(
            f"  {name}  {image.id.removeprefix('sha256:')[:12]}  {format_size(image.size)}"
        )
    if plan.frees is None:
        lines.append("frees: unknown (some layer sizes are not known)")
    else:
        basis = "" if plan.basis in (None, SizeBasis.LAYER_BYTES) else f" ({plan.basis.value})"
        lines.append(f"frees {format_size(plan.frees)}{basis}, counted as `fromscratch df` does")
    if plan.containers:
        lines.append(f"held by {plural(len(plan.containers), 'container')}:")
        for container in plan.containers:
            lines.append(
                f"  {printable(container.name)}  {container.state}  ({printable(container.image)})"
            )
    return lines

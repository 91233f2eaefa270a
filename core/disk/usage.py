"""What the images shown cost on disk, counted once per layer: shared and unique bytes per
image, and per node of the tree what its subtree holds, what removing it frees and what
sharing saves. `docker system df -v` answers part of this and gets it wrong on today's
engines (N/A in 29.1, shared base layers counted as unique on the containerd store, 0 B for
ENV-only images); the tree knows every layer, so it is computed here, offline too.

Definitions (the README has them too):

- A layer is identified by its diff-ID and every diff-ID below it (what dockerd's chain ID is
  a digest of), so the same bytes reached by two images count once and the same diff on a
  different base does not. Its size is the image's uncompressed layer size
  (`Image.layer_sizes`: inspect extras or the history's non-empty steps in order).
- Per image: `size` (its layers), `shared` (bytes of its layers another shown image uses
  too), `unique` = size - shared.
- Per node (image, inferred base or scratch): `subtree_bytes` (distinct layers of the images
  at and above it), `frees` (bytes only those images use: removing them frees exactly that),
  `images` (images standing on it, itself not counted) and `saved` (what the images at and
  above it would cost without sharing, minus `subtree_bytes`).
- Totals: the bytes of all distinct layers (what the images occupy) and the sum of image
  sizes (what `docker images` adds up to).

Images whose layer sizes are unknown, or whose sizes are on another basis than the rest
(core.formats.inventory.SizeBasis: never added together), have no figures and are listed.

Subtree figures are computed in linear time plus a sort: each layer adds its size to the
lowest node standing under all its users (for `frees`) and to its users, less the lowest
common nodes of neighbouring users in tree order (for `subtree_bytes`, the classic count of
distinct values in subtrees).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from itertools import pairwise
from typing import NamedTuple

from fromscratch.core.formats.inventory import Image, SizeBasis
from fromscratch.core.graph.records import SCRATCH_ID, NodeKind, stand_in
from fromscratch.core.graph.tree import Tree
from fromscratch.core.perf import no_gc


class ImageUsage(NamedTuple):
    id: str
    tags: tuple[str, ...]
    label: str
    size: int | None
    """Bytes of its layers; None when unknown (then so are the others)."""
    shared: int | None
    unique: int | None
    content: int | None = None
    """The compressed content size (containerd image store), apart: never added to `size`."""


class NodeUsage(NamedTuple):
    id: str
    kind: NodeKind
    label: str
    subtree_bytes: int
    frees: int
    images: int
    saved: int
    stand_in: str = ""
    """What a node that is no image stands for (core.graph.records.stand_in)."""


@dataclass(frozen=True, slots=True)
class DiskUsage:
    basis: SizeBasis | None
    """What the figures count; None when no image has layer sizes."""
    layers_bytes: int
    images_bytes: int
    images: tuple[ImageUsage, ...]
    nodes: tuple[NodeUsage, ...]
    unknown: tuple[str, ...]
    """Ids of images without figures (sizes unknown, or on another basis)."""


def _counted(images: list[Image]) -> tuple[SizeBasis | None, set[str]]:
    """The basis most images with layer sizes have, and the ids of those images."""
    sized = [i for i in images if i.layer_sizes is not None and len(i.layer_sizes) == len(i.layers)]
    if not sized:
        return None, set()
    basis = Counter(i.size_basis for i in sized).most_common(1)[0][0]
    return basis, {i.id for i in sized if i.size_basis is basis}


class _Layers:
    """Each layer (a prefix of some image's diff-IDs) as a small int, shared by every image
    with that prefix: what a chain ID names, without hashing (a chain ID is a digest of the
    same prefix)."""

    def __init__(self) -> None:
        self._ids: dict[tuple[int, str], int] = {}

    def of(self, layers: tuple[str, ...]) -> list[int]:
        out: list[int] = []
        ids = self._ids
        previous = -1
        for layer in layers:
            key = (previous, layer)
            found = ids.get(key)
            if found is None:
                found = ids[key] = len(ids)
            out.append(found)
            previous = found
        return out


class _Walk:
    """Tree order, depths and binary-lifting ancestors of every node reachable from scratch."""

    def __init__(self, tree: Tree) -> None:
        succ = tree.child_map
        self.order: list[str] = []
        self.index: dict[str, int] = {}
        self.depth: dict[str, int] = {}
        parent: dict[str, str] = {}
        stack = [SCRATCH_ID] if SCRATCH_ID in succ else []
        self.depth[SCRATCH_ID] = 0
        while stack:
            node = stack.pop()
            self.index[node] = len(self.order)
            self.order.append(node)
            for kid in succ[node]:
                if kid not in self.depth:
                    self.depth[kid] = self.depth[node] + 1
                    parent[kid] = node
                    stack.append(kid)
        self.parent = parent
        self.up: list[dict[str, str]] = [{n: parent.get(n, n) for n in self.order}]
        span = max(self.depth.values(), default=0)
        while (1 << len(self.up)) <= span:
            last = self.up[-1]
            self.up.append({n: last[last[n]] for n in self.order})

    def lca(self, a: str, b: str) -> str:
        depth = self.depth
        if depth[a] < depth[b]:
            a, b = b, a
        rise = depth[a] - depth[b]
        k = 0
        while rise:
            if rise & 1:
                a = self.up[k][a]
            rise >>= 1
            k += 1
        if a == b:
            return a
        for level in reversed(self.up):
            if level[a] != level[b]:
                a, b = level[a], level[b]
        return self.up[0][a]


def layer_users(
    tree: Tree,
) -> tuple[dict[int, frozenset[str]], dict[int, int], SizeBasis | None, set[str]]:
    """Every layer (as a small int) with the images of `tree` that use it and its size; the
    basis of the sizes; and the images without figures (unknown sizes, another basis)."""
    nodes_images = [
        (node, attrs["image"])
        for node, attrs in tree.node_records.items()
        if attrs["kind"] == NodeKind.IMAGE and attrs["image"] is not None
    ]
    basis, counted = _counted([image for _node, image in nodes_images])
    users: dict[int, set[str]] = {}
    sizes: dict[int, int] = {}
    unknown: set[str] = set()
    chains = _Layers()
    for node, image in nodes_images:
        if image.id not in counted:
            unknown.add(node)
            continue
        assert image.layer_sizes is not None
        for chain, size in zip(chains.of(image.layers), image.layer_sizes, strict=True):
            users.setdefault(chain, set()).add(node)
            sizes[chain] = size
    return {k: frozenset(v) for k, v in users.items()}, sizes, basis, unknown


def disk_usage(tree: Tree) -> DiskUsage:
    """The figures for every image and node of `tree` (the lineage, filtered or not); with
    the cyclic GC paused: it only builds records, and collections over a heap of 10,000
    images cost more than the work (measured: 750 -> see docs/benchmarks.md)."""
    with no_gc():
        return _disk_usage(tree)


def _disk_usage(tree: Tree) -> DiskUsage:
    records = tree.node_records
    nodes_images = [
        (node, attrs["image"])
        for node, attrs in records.items()
        if attrs["kind"] == NodeKind.IMAGE and attrs["image"] is not None
    ]
    basis, counted = _counted([image for _node, image in nodes_images])
    walk = _Walk(tree)
    index = walk.index
    sizes: dict[int, int] = {}
    users: dict[int, list[str]] = {}
    image_size: dict[str, int] = {}
    chains = _Layers()
    for node, image in nodes_images:
        if image.id not in counted or node not in index:
            continue
        assert image.layer_sizes is not None
        image_size[node] = sum(image.layer_sizes)
        for chain, size in zip(chains.of(image.layers), image.layer_sizes, strict=True):
            who = users.get(chain)
            if who is None:
                users[chain] = [node]
                sizes[chain] = size
            else:
                who.append(node)
    own_free: dict[str, int] = {}
    distinct: dict[str, int] = {}
    shared: dict[str, int] = {}
    for chain, who in users.items():
        size = sizes[chain]
        if len(who) == 1:  # most layers: one image's own
            (node,) = who
            distinct[node] = distinct.get(node, 0) + size
            own_free[node] = own_free.get(node, 0) + size
            continue
        who.sort(key=index.__getitem__)
        for node in who:
            distinct[node] = distinct.get(node, 0) + size
            shared[node] = shared.get(node, 0) + size
        for left, right in pairwise(who):
            meet = walk.lca(left, right)
            distinct[meet] = distinct.get(meet, 0) - size
        # the lowest node under all of them: that of the first and last in tree order
        lowest = walk.lca(who[0], who[-1])
        own_free[lowest] = own_free.get(lowest, 0) + size
    subtree: dict[str, int] = {}
    frees: dict[str, int] = {}
    standing: dict[str, int] = {}
    sum_sizes: dict[str, int] = {}
    parents = walk.parent
    for node in reversed(walk.order):  # children before parents
        below = subtree.get(node, 0) + distinct.get(node, 0)
        freed = frees.get(node, 0) + own_free.get(node, 0)
        total = sum_sizes.get(node, 0) + image_size.get(node, 0)
        subtree[node], frees[node], sum_sizes[node] = below, freed, total
        parent = parents.get(node)
        if parent is not None:
            subtree[parent] = subtree.get(parent, 0) + below
            frees[parent] = frees.get(parent, 0) + freed
            sum_sizes[parent] = sum_sizes.get(parent, 0) + total
            on_it = standing.get(node, 0) + (records[node]["kind"] == NodeKind.IMAGE)
            standing[parent] = standing.get(parent, 0) + on_it
    images: list[ImageUsage] = []
    unknown: list[str] = []
    for node, image in nodes_images:
        label = str(records[node]["label"])
        if node in image_size:
            size = image_size[node]
            images.append(
                ImageUsage(
                    node,
                    image.tags,
                    label,
                    size,
                    shared.get(node, 0),
                    size - shared.get(node, 0),
                    image.content_size,
                )
            )
        else:
            unknown.append(node)
            images.append(ImageUsage(node, image.tags, label, None, None, None, image.content_size))
    nodes = tuple(
        NodeUsage(
            node,
            records[node]["kind"],
            str(records[node]["label"]),
            subtree[node],
            frees[node],
            standing.get(node, 0),
            sum_sizes[node] - subtree[node],
            stand_in(records[node]),
        )
        for node in walk.order
    )
    return DiskUsage(
        basis,
        subtree.get(SCRATCH_ID, 0),
        sum(image_size.values()),
        tuple(images),
        nodes,
        tuple(unknown),
    )

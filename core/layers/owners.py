"""Which image in the tree put each of an image's layers there: the image nearest scratch on
its chain that already holds the layer (an inferred base for layers no local image holds
alone; the image itself for its own)."""

from __future__ import annotations

from fromscratch.core.graph.records import SCRATCH_ID
from fromscratch.core.graph.tree import Tree, ancestry


def layer_owners(tree: Tree, node: str) -> list[str]:
    """For each layer of `node`, bottom first, the node that added it."""
    chain = [n for n in reversed(ancestry(tree, node)) if n != SCRATCH_ID]  # scratch up
    owners: list[str] = []
    for step in chain:
        count = int(tree.nodes[step]["layer_count"])
        owners += [step] * max(0, count - len(owners))
    return owners


def own_from(tree: Tree, node: str) -> int:
    """The index of `node`'s first own layer (the layers below it are its parent's)."""
    owners = layer_owners(tree, node)
    return next((k for k, owner in enumerate(owners) if owner == node), len(owners))

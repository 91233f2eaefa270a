"""Which image in the tree put each of an image's layers there, as the details' step table
says (core.graph.details.step_rows): the ancestor nearest scratch that holds the layer (an
inferred base for layers no local image holds alone), the image itself for its own."""

from __future__ import annotations

from fromscratch.core.graph.details import OWN, step_rows
from fromscratch.core.graph.tree import Tree


def layer_owners(tree: Tree, node: str) -> list[str]:
    """For each layer of `node`, bottom first, the node that added it."""
    return [
        node if row.owner == OWN else row.owner
        for row in step_rows(tree, node)
        if row.layer is not None
    ]


def own_from(tree: Tree, node: str) -> int:
    """The index of `node`'s first own layer (the layers below it are its parent's)."""
    owners = layer_owners(tree, node)
    return next((k for k, owner in enumerate(owners) if owner == node), len(owners))

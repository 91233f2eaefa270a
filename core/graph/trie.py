"""A trie of layer digests: the images whose layer lists are prefixes of each other share a
path, so "the nearest image whose layers this one extends" is a walk up, not a search."""

from __future__ import annotations

from collections.abc import Sequence

ROOT_NODE = 0
"""Trie node of the empty layer list."""


class LayerTrie:
    """Integer nodes; a node's parent always has a smaller id."""

    def __init__(self) -> None:
        self.children: list[dict[str, int]] = [{}]
        self.parent: list[int] = [ROOT_NODE]
        self.depth: list[int] = [0]
        self.members: dict[int, list[str]] = {}
        """Image ids whose layer list ends at each node."""

    def insert(self, layers: Sequence[str]) -> list[int]:
        """The node path of `layers` (path[k] is the node after k+1 layers)."""
        node, path = ROOT_NODE, []
        children, parent, depth = self.children, self.parent, self.depth
        for digest in layers:
            nxt = children[node].get(digest)
            if nxt is None:
                nxt = len(parent)
                children[node][digest] = nxt
                children.append({})
                parent.append(node)
                depth.append(depth[node] + 1)
            node = nxt
            path.append(node)
        return path

    def nearest_populated(self) -> list[int]:
        """up[n]: the nearest strict ancestor holding an image (never the root; -1 if none)."""
        up = [-1] * len(self.parent)
        members = self.members
        for node in range(1, len(self.parent)):
            par = self.parent[node]
            up[node] = par if par != ROOT_NODE and par in members else up[par]
        return up

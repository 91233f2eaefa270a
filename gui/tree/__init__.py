"""The inheritance tree: the view, its cards and edges, search, and picture export."""

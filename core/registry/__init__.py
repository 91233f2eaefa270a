"""Images in an OCI registry, read through the distribution API (catalog, tags, manifests,
config blobs) without pulling a layer: their lineage needs only configs."""

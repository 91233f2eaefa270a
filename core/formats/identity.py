"""One image, one record, whatever index wraps it.

On the containerd image store an image's id is the digest of what was pushed or built: for a
BuildKit build, an OCI index holding the platform manifest and a provenance attestation. The
attestation differs on every build, so rebuilding the same Dockerfile under a new tag (a full
cache hit: same manifest, config, layers and history) gives a new id for the same image; on
overlay2 the same commands give one id with two tags (engines-today). Drawn as two cards,
children would pick one of them arbitrarily.

So images are merged when they are the same image:
- by platform manifest digest, where the source tells it (`Manifests`, `?manifests=1`);
- else, for ids that are index or manifest digests (`Descriptor` present, so only the
  containerd store's), when everything the config holds that we read is equal: layers, every
  history step with its time to the nanosecond, creation time, platform, command, entrypoint,
  environment and labels. Two builds that differ in any of these are different images.
Graph-driver and Podman ids are config digests already: equal content, equal id.

The merged record keeps one id (the smallest, so every source and run picks the same), all
tags and repo digests, and the other ids as `aliases`; `Parent` fields and containers that name
an alias are pointed at the kept id.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Hashable, Iterable

from fromscratch.core.formats.inventory import Image, Inventory, SizeBasis


def same_image_key(image: Image) -> Hashable | None:
    """What two records of one image share, or None when the id is the image's only identity."""
    if image.manifest:
        return ("manifest", image.manifest)
    if image.size_basis is SizeBasis.LAYER_BYTES or not image.layers or not image.history:
        return None
    return (
        "content",
        image.layers,
        tuple((*step.signature(), step.empty_layer, step.size) for step in image.history),
        image.created,
        image.os,
        image.architecture,
        image.cmd,
        image.entrypoint,
        image.env,
        tuple(sorted(image.labels.items())),
    )


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def _merge(group: list[Image]) -> Image:
    group = sorted(group, key=lambda image: image.id)
    kept = group[0]
    return dataclasses.replace(
        kept,
        tags=_unique(t for image in group for t in image.tags),
        digests=_unique(d for image in group for d in image.digests),
        tags_known=all(image.tags_known for image in group),
        parent=next((image.parent for image in group if image.parent), ""),
        aliases=_unique(a for image in group for a in (image.id, *image.aliases) if a != kept.id),
    )


def one_per_image(inventory: Inventory) -> Inventory:
    """`inventory` with every image that several ids name merged into one record."""
    groups: dict[Hashable, list[Image]] = {}
    order: list[Hashable] = []
    for image in inventory.images:
        key = same_image_key(image)
        if key is None:
            key = ("id", image.id)
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append(image)
    if len(order) == len(inventory.images):
        return inventory
    merged = [_merge(groups[key]) for key in order]
    kept_id = {alias: image.id for image in merged for alias in image.aliases}
    images = tuple(
        dataclasses.replace(image, parent=kept_id[image.parent])
        if image.parent in kept_id
        else image
        for image in merged
    )
    containers = tuple(
        dataclasses.replace(c, image_id=kept_id[c.image_id]) if c.image_id in kept_id else c
        for c in inventory.containers
    )
    contents = {kept_id.get(k, k): v for k, v in inventory.contents.items()}
    return dataclasses.replace(inventory, images=images, containers=containers, contents=contents)

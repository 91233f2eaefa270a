"""An image config (the JSON a manifest's `config` names: rootfs diff-IDs, history, the run
config) as the inspect-shaped object the parser reads (core.formats.parse), for sources that
have configs instead of an engine's inspect: `docker save` archives (core.formats.archive) and
registries (core.registry)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fromscratch.core.formats.inventory import SizeBasis


def inspect_of_config(
    config_id: str,
    config: dict[str, Any],
    tags: Sequence[str],
    layer_sizes: Sequence[int] | None,
    *,
    compressed: bool,
    manifest: str = "",
    aliases: Sequence[str] = (),
) -> dict[str, Any]:
    """The inspect-shaped object of the config `config_id` (its digest: the image's id).
    `layer_sizes` are its layers' bytes when known, `compressed` when they are blob sizes
    (gzip or zstd: never added to unpacked ones); `manifest` the platform manifest's digest,
    `aliases` other ids of the same image."""
    rootfs = config.get("rootfs") or {}
    layers = rootfs.get("diff_ids") if isinstance(rootfs, dict) else None
    image: dict[str, Any] = {
        "Id": config_id,
        "RepoTags": list(tags),
        "Created": config.get("created"),
        "Os": config.get("os"),
        "Architecture": config.get("architecture"),
        "Config": config.get("config"),
        "RootFS": {"Type": "layers", "Layers": layers or []},
        "History": config.get("history"),
    }
    if manifest:
        image["X-Manifest"] = manifest
    if aliases:
        image["X-Aliases"] = list(aliases)
    if layer_sizes is not None and isinstance(layers, list) and len(layer_sizes) == len(layers):
        image["X-LayerSizes"] = list(layer_sizes)
        image["Size"] = sum(layer_sizes)
        if compressed:
            image["X-SizeBasis"] = SizeBasis.COMPRESSED.value
            image["X-ContentSize"] = image["Size"]
    return image

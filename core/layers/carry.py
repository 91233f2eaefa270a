"""The layer indexes a snapshot carries (`snapshot save --with-files`, File > Save snapshot
with files…): every image's layers as the cache keeps them, base64, each distinct layer once;
read from a source first where the cache lacks them (in one save for all, each shared layer
once)."""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterable
from typing import NamedTuple

from fromscratch.core.formats.inventory import Image
from fromscratch.core.layers.cache import LayerCache
from fromscratch.core.layers.reading import LayerSource, host_layers


class Carried(NamedTuple):
    files: dict[str, str]
    """By diff-ID, the cache's file, base64."""
    missing: int
    """Layers neither the cache nor a source had (without a source: not read)."""

    @property
    def mib(self) -> float:
        return sum(len(text) for text in self.files.values()) / 2**20


def carried(
    images: Iterable[Image],
    cache: LayerCache,
    source: LayerSource | None,
    cancelled: Callable[[], bool] | None = None,
) -> Carried:
    every = list(images)
    if source is not None:
        host_layers(every, cache, source, cancelled)
    files: dict[str, str] = {}
    missing: set[str] = set()
    for image in every:
        for diff_id in image.layers:
            if diff_id in files:
                continue
            raw = cache.raw(diff_id)
            if raw is not None:
                files[diff_id] = base64.b64encode(raw).decode()
            else:
                missing.add(diff_id)
    return Carried(files, len(missing - files.keys()))

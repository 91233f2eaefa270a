"""What an image's files hold (core.layers.summary), kept by image id: read from its layers,
which the engine streams as `docker save` does; no container is made, nothing runs."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from fromscratch.core.engine.client import docker_client
from fromscratch.core.engine.endpoint import Endpoint
from fromscratch.core.evidence.containers import EvidenceError, call
from fromscratch.core.files import atomic_write
from fromscratch.core.formats.inventory import Image
from fromscratch.core.formats.parse import InputError
from fromscratch.core.layers.cache import LayerCache
from fromscratch.core.layers.merged import merge
from fromscratch.core.layers.reading import EngineLayers, image_layers
from fromscratch.core.layers.summary import Contents, summarise
from fromscratch.core.layers.tarindex import Cancelled
from fromscratch.core.task import TaskContext

__all__ = ["Contents", "ContentsCache", "image_contents"]

log = logging.getLogger(__name__)


class ContentsCache:
    """Contents summaries by image id (content addresses never change)."""

    def __init__(self, root: Path) -> None:
        self.root = root / "contents"

    def get(self, image_id: str) -> Contents | None:
        """The summary, or None when not cached or damaged (then it is gathered again)."""
        file = self.root / _file(image_id)
        try:
            return Contents.from_json(json.loads(file.read_text()))
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError):
            log.warning("ignoring damaged contents cache entry %s", file)
            return None

    def summaries(self, image_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """The cached summaries of these images, as snapshots keep them (one listing of the
        folder, not one look per image: a host has thousands)."""
        try:
            names = {entry.name for entry in os.scandir(self.root)}
        except OSError:
            return {}
        found: dict[str, dict[str, Any]] = {}
        for image_id in image_ids:
            if _file(image_id) in names:
                summary = self.get(image_id)
                if summary is not None:
                    found[image_id] = summary.to_json()
        return found

    def put(self, contents: Contents) -> None:
        """Store atomically; a cache that cannot be written is only slower (logged)."""
        file = self.root / _file(contents.image_id)
        try:
            atomic_write(file, json.dumps(contents.to_json()).encode(), durable=False)
        except OSError as exc:
            log.warning("cannot cache the contents of %s: %s", contents.image_id, exc)


def _file(image_id: str) -> str:
    return image_id.replace(":", "_").replace("/", "_") + ".json"


def image_contents(
    endpoint: Endpoint,
    image_id: str,
    cache: ContentsCache | None = None,
    context: TaskContext | None = None,
    layers: LayerCache | None = None,
) -> Contents:
    """The image's files summarised from its layers (core.layers: each read once per host
    from the engine's save stream, headers only, then kept): nothing runs, nothing is made."""
    if cache is not None:
        hit = cache.get(image_id)
        if hit is not None:
            return hit
    client = docker_client(endpoint, timeout=60)
    try:
        inspect = call(endpoint, lambda: client.inspect_image(image_id))
    finally:
        client.close()
    diff_ids = tuple(str(d) for d in (inspect.get("RootFS") or {}).get("Layers") or ())
    image = Image(image_id, (), diff_ids, None)
    cancelled = (lambda: context.cancelled) if context is not None else None
    try:
        read = image_layers(image, layers or LayerCache(), EngineLayers(endpoint), cancelled)
    except Cancelled:
        raise EvidenceError("stopped before the image's files were read") from None
    except InputError as exc:
        raise EvidenceError(str(exc)) from None
    contents = summarise(image_id, merge(read), read)
    if cache is not None:
        cache.put(contents)
    return contents

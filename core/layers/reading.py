"""An image's layer indexes, from the cache where it has them, else from a source that can
read them: the engine (`GET /images/{id}/get`, a `docker save` stream) or a `docker save`
archive. Whatever a source reads is kept in the cache, each layer once for the whole host."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from fromscratch.core.engine.endpoint import Endpoint
from fromscratch.core.formats.inventory import Image, plural
from fromscratch.core.formats.parse import InputError
from fromscratch.core.layers.cache import LayerCache
from fromscratch.core.layers.saved import Chunks, read_saved
from fromscratch.core.layers.tarindex import LayerIndex

CHUNK = 1024 * 1024


class LayerSource(Protocol):
    """Somewhere an image's layers can be read whole."""

    where: str
    """What it is, for messages: the engine's address, the archive's path."""

    def read(
        self,
        image: Image,
        known: Callable[[str], bool],
        cancelled: Callable[[], bool] | None,
        keep: Callable[[LayerIndex], None],
    ) -> dict[str, LayerIndex]:
        """`image`'s layers it read, by diff-ID (all of them, unless one is `known` already);
        every layer it reads, the image's or not, goes to `keep` as it is read."""
        ...


class EngineLayers:
    """The engine's `docker save` of one image, read as it streams: headers only."""

    def __init__(self, endpoint: Endpoint) -> None:
        self.endpoint = endpoint
        self.where = endpoint.url

    def read(
        self,
        image: Image,
        known: Callable[[str], bool],
        cancelled: Callable[[], bool] | None,
        keep: Callable[[LayerIndex], None],
    ) -> dict[str, LayerIndex]:
        from fromscratch.core.engine.client import docker_call, docker_client

        def work() -> dict[str, LayerIndex]:
            client = docker_client(self.endpoint, timeout=300.0)
            try:
                stream = client.get_image(image.id, chunk_size=CHUNK)
                return read_saved(
                    Chunks(stream),  # type: ignore[arg-type]  # read() is all used
                    f"the engine's save of {image.id[7:19]}",
                    known=known,
                    cancelled=cancelled,
                    keep=keep,
                    wanted=set(image.layers),
                )
            finally:
                client.close()

        return docker_call(self.endpoint, work, passing=(InputError,))


class ArchiveLayers:
    """A `docker save` archive on disk: every layer in it is read in one pass, and kept."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.where = str(path)

    def read(
        self,
        image: Image,
        known: Callable[[str], bool],
        cancelled: Callable[[], bool] | None,
        keep: Callable[[LayerIndex], None],
    ) -> dict[str, LayerIndex]:
        with self.path.open("rb") as raw:
            return read_saved(
                raw,
                self.where,
                known=known,
                cancelled=cancelled,
                keep=keep,
                wanted=set(image.layers),
            )


def image_layers(
    image: Image,
    cache: LayerCache,
    source: LayerSource | None,
    cancelled: Callable[[], bool] | None = None,
) -> list[LayerIndex]:
    """`image`'s layers bottom first; from the cache, else read from `source` (and kept).
    Raises InputError when a layer can be found nowhere."""
    found = {d: layer for d in image.layers if (layer := cache.get(d)) is not None}
    missing = [d for d in image.layers if d not in found]
    if missing and source is not None:
        read = source.read(image, lambda digest: digest in found, cancelled, cache.put)
        found.update({d: read[d] for d in missing if d in read})
        missing = [d for d in image.layers if d not in found]
    if missing:
        name = image.tags[0] if image.tags else image.id[7:19]
        where = f"in {source.where}" if source is not None else "in the cache"
        verb = "is" if len(missing) == 1 else "are"
        layers = plural(len(image.layers), "layer")
        raise InputError(
            f"{name}: {len(missing)} of its {layers} {verb} not {where} "
            f"(first: {missing[0][:19]}); read it from its engine or a `docker save` archive"
        )
    return [found[d] for d in image.layers]

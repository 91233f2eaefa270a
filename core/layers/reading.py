"""An image's layer indexes, from the cache where it has them, else from a source that can
read them: the engine (`GET /images/get?names=...`, a `docker save` stream) or a `docker save`
archive. Whatever a source reads is kept in the cache, each layer once for the whole host: the
images that lack layers are asked for in one save (:func:`host_layers`), where the engine
writes each shared layer once, not once per image that holds it."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from pathlib import Path
from typing import Any, NamedTuple, Protocol

from fromscratch.core.engine.endpoint import Endpoint
from fromscratch.core.formats.inventory import Image, plural
from fromscratch.core.formats.parse import InputError
from fromscratch.core.layers.cache import LayerCache
from fromscratch.core.layers.saved import Chunks, read_saved, read_saved_file
from fromscratch.core.layers.tarindex import LayerIndex

CHUNK = 1024 * 1024
ROOT = Path("/")
BATCH = 100
"""Images named in one save request (each name is ~80 bytes of the request's address)."""


class LayerSource(Protocol):
    """Somewhere an image's layers can be read whole."""

    where: str
    """What it is, for messages: the engine's address, the archive's path."""
    local: bool
    """Reading it costs no network: a file here, or an engine on this machine. What the
    app reads unasked (the story's pictured user spaces) it reads only from such a source."""

    def read(
        self,
        images: Sequence[Image],
        known: Callable[[str], bool],
        cancelled: Callable[[], bool] | None,
        keep: Callable[[LayerIndex], None],
        *,
        hold: bool = True,
        digests: Collection[str] = (),
    ) -> dict[str, LayerIndex]:
        """The layers of `images` it read, by diff-ID (all of them, unless one is `known`
        already); every layer it reads, theirs or not, goes to `keep` as it is read. With
        `hold` false it returns none (a host's layers are not held in memory at once). The
        files at the paths of `digests` have their contents hashed (LayerIndex.digests)."""
        ...


class _Asked(NamedTuple):
    """What a reading was asked for (LayerSource.read's arguments)."""

    known: Callable[[str], bool]
    cancelled: Callable[[], bool] | None
    keep: Callable[[LayerIndex], None]
    digests: Collection[str]
    wanted: set[str]


def _wanted(images: Sequence[Image], *, hold: bool) -> set[str]:
    return {d for image in images for d in image.layers} if hold else set()


class EngineLayers:
    """An engine's layers. On the engine's own machine, where its unpacked layer folders
    (overlay2) can be read, they are walked (core.layers.unpacked: tens of times faster, the
    same entries); else the engine's `docker save` of the images, read as it streams, headers
    only, in one request for all of them (`GET /images/get?names=...`, as `docker save A B`
    asks), so a layer they share is streamed once."""

    def __init__(self, endpoint: Endpoint, *, unpacked: bool = True, root: Path = ROOT) -> None:
        self.endpoint = endpoint
        self.where = endpoint.url
        self.local = endpoint.socket_path is not None
        self.unpacked = unpacked and self.local
        """Whether to look for unpacked folders: a local engine only."""
        self.root = root
        """Where the engine's `/` is seen from here (an engine in a chroot: its root)."""
        self.walked = 0
        """Layers read from unpacked folders so far (for tests and the benchmarks)."""

    def read(
        self,
        images: Sequence[Image],
        known: Callable[[str], bool],
        cancelled: Callable[[], bool] | None,
        keep: Callable[[LayerIndex], None],
        *,
        hold: bool = True,
        digests: Collection[str] = (),
    ) -> dict[str, LayerIndex]:
        from fromscratch.core.engine.client import docker_call, docker_client

        asked = _Asked(known, cancelled, keep, digests, _wanted(images, hold=hold))

        def work() -> dict[str, LayerIndex]:
            client = docker_client(self.endpoint, timeout=300.0)
            try:
                found: dict[str, LayerIndex] = {}
                rest = self._walk(client, list(images), asked, found) if self.unpacked else images
                if rest:
                    found.update(self._save(client, rest, asked))
                return found
            finally:
                client.close()

        return docker_call(self.endpoint, work, passing=(InputError,))

    def _walk(
        self, client: Any, images: list[Image], asked: _Asked, found: dict[str, LayerIndex]
    ) -> list[Image]:
        """Walk the unpacked folders of the images that have them (the wanted layers into
        `found`); the images that have none are returned."""
        from fromscratch.core.layers.unpacked import Unreadable, layer_folders, walk_layer

        rest = []
        walked: set[str] = set()
        for image in images:
            info = client.inspect_image(image.id)
            folders = layer_folders(info.get("GraphDriver") or {}, len(image.layers), self.root)
            if folders is None or tuple(info["RootFS"]["Layers"]) != image.layers:
                rest.append(image)
                continue
            try:
                for diff_id, folder in zip(image.layers, folders, strict=True):
                    if diff_id in walked or (asked.known(diff_id) and not asked.digests):
                        continue
                    where = f"{self.where}: {folder}"
                    layer = walk_layer(folder, diff_id, where, asked.cancelled, asked.digests)
                    self.walked += 1
                    walked.add(diff_id)
                    asked.keep(layer)
                    if diff_id in asked.wanted:
                        found[diff_id] = layer
            except Unreadable:
                rest.append(image)  # a folder this user cannot read: the stream has it all
        return rest

    def _save(self, client: Any, images: Sequence[Image], asked: _Asked) -> dict[str, LayerIndex]:
        ids = [image.id for image in images]
        what = ids[0][7:19] if len(ids) == 1 else plural(len(ids), "image")
        if len(ids) == 1:
            stream = client.get_image(ids[0], chunk_size=CHUNK)
        else:
            answer = client._get(client._url("/images/get"), params={"names": ids}, stream=True)
            stream = client._stream_raw_result(answer, CHUNK, False)
        return read_saved(
            Chunks(stream),  # type: ignore[arg-type]  # read() is all used
            f"the engine's save of {what}",
            known=asked.known,
            cancelled=asked.cancelled,
            keep=asked.keep,
            wanted=asked.wanted,
            digests=asked.digests,
        )


class ArchiveLayers:
    """A `docker save` archive on disk: every layer in it is read, on all cores, and kept."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.where = str(path)
        self.local = True

    def read(
        self,
        images: Sequence[Image],
        known: Callable[[str], bool],
        cancelled: Callable[[], bool] | None,
        keep: Callable[[LayerIndex], None],
        *,
        hold: bool = True,
        digests: Collection[str] = (),
    ) -> dict[str, LayerIndex]:
        return read_saved_file(
            self.path,
            self.where,
            known=known,
            cancelled=cancelled,
            keep=keep,
            wanted=_wanted(images, hold=hold),
            digests=digests,
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
        read = source.read([image], lambda digest: digest in found, cancelled, cache.put)
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


def host_layers(
    images: Iterable[Image],
    cache: LayerCache,
    source: LayerSource,
    cancelled: Callable[[], bool] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """Put every layer of `images` in the cache: the images that lack one are read from
    `source` :data:`BATCH` at a time (one save each), each shared layer once. A layer none of
    them yields is left out (:func:`image_layers` then says which). `progress(done, of)`
    after each batch."""
    lacking = [image for image in images if not all(cache.has(d) for d in image.layers)]
    for start in range(0, len(lacking), BATCH):
        batch = lacking[start : start + BATCH]
        source.read(batch, cache.has, cancelled, cache.put, hold=False)
        if progress is not None:
            progress(min(start + BATCH, len(lacking)), len(lacking))


def digested_layers(
    images: Sequence[Image],
    source: LayerSource | None,
    paths: Collection[str],
    cancelled: Callable[[], bool] | None = None,
) -> list[list[LayerIndex]]:
    """Each image's layers read again whole, with the contents of the files at `paths`
    hashed (`diff --content`): the cache keeps headers only. Raises InputError where there
    are no layer bytes to read (a snapshot, the cache alone)."""
    if source is None:
        raise InputError(
            "comparing contents needs the layers' bytes, which a snapshot does not carry: "
            "read the images from their engine (--host) or a `docker save` archive"
        )
    read = source.read(images, lambda _digest: False, cancelled, lambda _layer: None, digests=paths)
    out = []
    for image in images:
        missing = [d for d in image.layers if d not in read]
        if missing:
            name = image.tags[0] if image.tags else image.id[7:19]
            raise InputError(f"{name}: layer {missing[0][:19]} is not in {source.where}")
        out.append([read[d] for d in image.layers])
    return out

"""Opening images: the first source in a list that has them, with its lineage tree, layout and
kernel picture built in the same task (so a first paint needs no second one).

The window opens :func:`default_sources` (the live engine, else the last live snapshot, else
the bundled sample) or a file; a new kind of source is one module plus a line here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from fromscratch.core.engine.endpoint import Endpoint
from fromscratch.core.engine.failures import Surface
from fromscratch.core.formats.inventory import Container, Image, Inventory
from fromscratch.core.graph.layout import Position, tidy_layout
from fromscratch.core.graph.lineage import build_tree
from fromscratch.core.graph.tree import Tree
from fromscratch.core.session.engine_source import EngineSource
from fromscratch.core.session.file_source import FileSource
from fromscratch.core.session.last_live_source import LastLiveSource
from fromscratch.core.session.sample_source import SampleSource
from fromscratch.core.session.source import Source, SourceKind, SourceUnavailable
from fromscratch.core.story.picture import Picture, picture_of
from fromscratch.core.task import TaskContext

if TYPE_CHECKING:
    from fromscratch.core.layers.reading import LayerSource


def default_sources(
    host: str | None = None, surface: Surface = Surface.COMMAND_LINE
) -> list[Source]:
    """What opens with no file: in this order, the first that has images. `surface` is where
    the notice of an engine that did not answer is read."""
    return [EngineSource(host, surface), LastLiveSource(), SampleSource()]


@dataclass(frozen=True, slots=True)
class Opened:
    """Images from one source, their lineage tree, its layout and the kernel picture."""

    inventory: Inventory
    source: Source
    graph: Tree = field(compare=False)
    picture: Picture = field(compare=False)
    """What the kernel view's boxes say (core.story.picture)."""
    positions: dict[str, Position] = field(compare=False)
    """The unfiltered tree's layout (core.graph.layout)."""
    notice: str = ""
    """Why an earlier source in the list was not used (the engine was not reachable ...)."""
    endpoint: Endpoint | None = None
    """The engine it came from (live sources only): where live evidence runs."""
    show_intermediates: bool = False

    @property
    def kind(self) -> SourceKind:
        return self.source.kind

    def layer_source(self) -> LayerSource | None:
        """Where its images' layers can be read: the engine it came from, the `docker save`
        archive it was opened from; else None (the layer cache alone)."""
        from pathlib import Path

        from fromscratch.core.formats.archive import is_archive
        from fromscratch.core.layers.reading import ArchiveLayers, EngineLayers

        if self.source.live and self.endpoint is not None:
            return EngineLayers(self.endpoint)
        if isinstance(self.source, FileSource) and is_archive(Path(self.source.path)):
            return ArchiveLayers(Path(self.source.path))
        return None

    @property
    def path(self) -> str:
        return self.source.path

    def describe(self) -> str:
        """For the status bar: which source, and for files what they hold and when."""
        return self.source.describe(self.inventory)

    def with_containers(self, containers: Sequence[Container]) -> Opened:
        """The same images with the engine's containers now (a container event patches the
        containers and the kernel picture; the tree and its layout stay)."""
        inventory = replace(self.inventory, containers=tuple(containers))
        picture = picture_of(inventory, self.graph, live=self.source.live)
        return replace(self, inventory=inventory, picture=picture)

    def with_contents(self, summaries: Mapping[str, Mapping[str, Any]]) -> Opened:
        """The same data with images' contents summaries (by image ID) joined: File > Save
        snapshot keeps them, and the picture says what the files hold from now on."""
        contents = {**self.inventory.contents, **summaries}
        inventory = replace(self.inventory, contents=contents)
        picture = picture_of(inventory, self.graph, live=self.source.live)
        return replace(self, inventory=inventory, picture=picture)


def _pictured_images(graph: Tree, picture: Picture, contents: Mapping[str, Any]) -> list[Image]:
    """The images whose user spaces the picture's boxes draw, without a contents summary."""
    from fromscratch.core.graph.records import NodeKind
    from fromscratch.core.story.picture import lowest_image

    found: dict[str, Image] = {}
    for box in picture.boxes:
        if not box.base or box.base not in graph:
            continue
        named = box.base
        if graph.nodes[named]["kind"] == NodeKind.VIRTUAL:
            named = lowest_image(graph, box.node)
        image = graph.nodes[named]["image"] if named in graph else None
        if image is None or named in contents or not image.layers:
            continue
        found.setdefault(named, image)
    return list(found.values())


def _summaries_from_layers(
    graph: Tree, picture: Picture, contents: Mapping[str, Any]
) -> dict[str, dict[str, Any]]:
    """Summaries of the pictured boxes' user spaces whose layers the layer cache holds."""
    from fromscratch.core.layers.cache import LayerCache
    from fromscratch.core.layers.summary import cached_summary

    found: dict[str, dict[str, Any]] = {}
    images = _pictured_images(graph, picture, contents)
    if not images:
        return found
    cache = LayerCache()
    for image in images:
        summary = cached_summary(image.id, image.layers, cache)
        if summary is not None:
            found[image.id] = summary.to_json()
    return found


def pictured_contents(opened: Opened, context: TaskContext) -> dict[str, dict[str, Any]]:
    """What the pictured user spaces hold, for those the open data has no summary of: their
    layers read from where the images came from (an archive, an engine on this machine) into
    the layer cache, in one pass, then summarised. Empty when there is nowhere here to read
    them from. For
    a worker: the story's "What FROM gives you" then needs neither a container nor a click."""
    from fromscratch.core.layers.cache import LayerCache
    from fromscratch.core.layers.reading import host_layers

    source = opened.layer_source()
    images = _pictured_images(opened.graph, opened.picture, opened.inventory.contents)
    if source is None or not source.local or not images:
        return {}  # a remote engine's bases cost a download: read when asked (Files, evidence)
    host_layers(images, LayerCache(), source, lambda: context.cancelled)
    return _summaries_from_layers(opened.graph, opened.picture, opened.inventory.contents)


def assemble(
    inventory: Inventory,
    source: Source,
    *,
    notice: str = "",
    endpoint: Endpoint | None = None,
    show_intermediates: bool = False,
) -> Opened:
    """The tree, layout and picture of `inventory` (~1 s for 10,000 images: in the task)."""
    graph = build_tree(inventory.images, show_intermediates=show_intermediates)
    if inventory.layer_files:  # a snapshot saved with its files: kept for offline study
        from fromscratch.core.layers.cache import LayerCache

        LayerCache().adopt(inventory.layer_files)
    picture = picture_of(inventory, graph, live=source.live)
    known = _summaries_from_layers(graph, picture, inventory.contents)
    if known:  # what the pictured user spaces hold, from their cached layers (offline too)
        inventory = replace(inventory, contents={**inventory.contents, **known})
        picture = picture_of(inventory, graph, live=source.live)
    return Opened(
        inventory,
        source,
        graph,
        picture,
        tidy_layout(graph),
        notice,
        endpoint,
        show_intermediates,
    )


def rebuilt(opened: Opened, *, show_intermediates: bool) -> Opened:
    """The same images with the tree built again (build intermediates shown or hidden)."""
    return assemble(
        opened.inventory,
        opened.source,
        notice=opened.notice,
        endpoint=opened.endpoint,
        show_intermediates=show_intermediates,
    )


def open_first(sources: Sequence[Source], context: TaskContext | None = None) -> Opened:
    """The first source that has images; the first refusal's reason becomes the notice.
    Raises :class:`SourceUnavailable` when none has any."""
    context = context or TaskContext()
    notice = ""
    for source in sources:
        context.check()
        try:
            loaded = source.load(context)
        except SourceUnavailable as exc:
            notice = notice or str(exc)
            continue
        return assemble(loaded.inventory, source, notice=notice, endpoint=loaded.endpoint)
    raise SourceUnavailable(notice or "nothing to open")


def open_default(
    host: str | None = None,
    context: TaskContext | None = None,
    surface: Surface = Surface.COMMAND_LINE,
) -> Opened:
    """Live engine, else the last live snapshot, else the sample (never fails for an engine)."""
    return open_first(default_sources(host, surface), context)


def open_file(path: str, context: TaskContext | None = None) -> Opened:
    """A snapshot or `docker image inspect` file (raises SnapshotError naming the file)."""
    return open_first([FileSource(path)], context)

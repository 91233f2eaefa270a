"""What the Files tab shows of one image, read in a worker: its layers (from the layer cache,
else where the images came from), per layer the image in the tree that added it, its colour
and its step, and the layers of the image it is compared with. Nothing crosses threads but
the finished, immutable :class:`Reading`."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtGui import QColor

from fromscratch.gui import palette

if TYPE_CHECKING:
    from fromscratch.core.layers.tarindex import LayerIndex
    from fromscratch.core.session.opening import Opened
    from fromscratch.core.task import Task, TaskContext


class Reading(NamedTuple):
    """What the tab shows of one image, made in the worker (nothing crosses threads but
    this, once made): its layers and, per layer, who added it and by which step."""

    node: str
    layers: tuple[LayerIndex, ...]
    owners: tuple[str, ...]
    """Per layer, the label of the image in the tree that added it."""
    owner_nodes: tuple[str, ...]
    """Per layer, that image's node."""
    colours: tuple[QColor, ...]
    steps: tuple[str, ...]
    own_from: int
    against: str = ""
    """The image it is compared with (Ctrl+click on a second card); "" for its parent."""
    against_layers: tuple[LayerIndex, ...] = ()

    @property
    def key(self) -> tuple[str, str]:
        return (self.node, self.against)


def reading_task(opened: Opened, node: str, against: str) -> Task[Reading]:
    """The work of reading `node`'s files (and `against`'s layers: "" for its parent)."""
    graph, source = opened.graph, opened.layer_source()
    image = graph.nodes[node]["image"]
    assert image is not None, "the Files tab reads images, not inferred bases"
    other = graph.nodes[against]["image"] if against else None

    def work(context: TaskContext) -> Reading:
        from fromscratch.core.graph.details import step_rows
        from fromscratch.core.layers.cache import LayerCache
        from fromscratch.core.layers.owners import layer_owners, own_from
        from fromscratch.core.layers.reading import image_layers

        layers = image_layers(image, LayerCache(), source, lambda: context.cancelled)
        owners = layer_owners(graph, node)
        chain = list(dict.fromkeys(owners))
        rows = [row for row in step_rows(graph, node) if row.layer is not None]
        against_layers: tuple[LayerIndex, ...] = ()
        if other is not None:
            against_layers = tuple(
                image_layers(other, LayerCache(), source, lambda: context.cancelled)
            )
        return Reading(
            node,
            tuple(layers),
            tuple(str(graph.nodes[o]["label"]) for o in owners),
            tuple(owners),
            tuple(_colour(chain.index(o), own=o == node) for o in owners),
            tuple(row.instruction for row in rows),
            own_from(graph, node),
            against,
            against_layers,
        )

    return work


def _colour(position: int, *, own: bool) -> QColor:
    """The details chart's colour for the owner at `position` on the chain (bottom first)."""
    if own:
        return QColor(palette.OWN_COLOUR)
    return QColor(palette.OWNER_COLOURS[position % len(palette.OWNER_COLOURS)])

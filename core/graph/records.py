"""What the lineage graph holds: typed node and edge records, and the words they use.

Node and edge attributes are `TypedDict`s, so they stay plain dicts (a `Tree` converts to a
networkx DiGraph in O(1), sharing them) while mypy checks every key. Kinds and methods are
`StrEnum`s: they compare equal to, and serialise as, the strings the JSON export documents.
"""

from __future__ import annotations

from enum import StrEnum
from typing import NotRequired, TypedDict

from fromscratch.core.formats.inventory import Image

SCRATCH_ID = "scratch"
"""Node id of the empty root image every chain ends at."""


class NodeKind(StrEnum):
    """What a node stands for."""

    SCRATCH = "scratch"
    """The empty root."""
    IMAGE = "image"
    """A local image."""
    VIRTUAL = "virtual"
    """An inferred base: a layer prefix several images share but no local image holds."""
    MORE = "more"
    """Presented trees only (core.graph.filters): stands for the images beside the story's
    chain, "+N more"."""


class EdgeMethod(StrEnum):
    """How a parent was found, strongest first (the README documents each)."""

    PARENT_FIELD = "parent-field"
    LAYERS_AND_HISTORY = "layers+history"
    HISTORY = "history"
    LAYERS_ONLY = "layers"
    SHARED_LAYERS = "shared-layers"
    VIRTUAL = "virtual"
    BASE = "base"


METHOD_TEXT: dict[EdgeMethod, str] = {
    EdgeMethod.PARENT_FIELD: "the engine's Parent field (classic builder)",
    EdgeMethod.LAYERS_AND_HISTORY: "its layers and build history start with the parent's",
    EdgeMethod.HISTORY: (
        "same layers; its build history extends the parent's (metadata-only steps)"
    ),
    EdgeMethod.LAYERS_ONLY: ("its layers start with the parent's; no history to confirm (a guess)"),
    EdgeMethod.SHARED_LAYERS: (
        "it shares these layers with other images; the base is not present locally"
    ),
    EdgeMethod.VIRTUAL: "inferred base, not present locally",
    EdgeMethod.BASE: (
        "no local image lies below it: it was built FROM scratch, or its base is absent"
    ),
}
"""One sentence per method, for the details dock."""


class Edge:
    """An inferred parent and how it was found (core.graph.lineage); `confidence` is in [0, 1],
    `ambiguous` dashes it. A plain class: a dataclass costs ~1 ms at every launch."""

    __slots__ = ("ambiguous", "confidence", "method", "parent")

    def __init__(
        self, parent: str, method: EdgeMethod, confidence: float, *, ambiguous: bool = False
    ) -> None:
        self.parent = parent
        self.method = method
        self.confidence = confidence
        self.ambiguous = ambiguous

    def __repr__(self) -> str:
        return f"Edge({self.parent!r}, {self.method.value!r}, {self.confidence}, {self.ambiguous})"

    def attrs(self) -> EdgeAttrs:
        """The graph's record of this edge."""
        return {"method": self.method, "confidence": self.confidence, "ambiguous": self.ambiguous}


class NodeAttrs(TypedDict):
    """One node of the lineage graph."""

    kind: NodeKind
    image: Image | None
    """The image record; None for scratch and inferred bases."""
    label: str
    """The main tag, a short id, or (inferred bases) the step that made the shared layer."""
    tags: tuple[str, ...]
    size: int | None
    """Bytes of the whole image; None when an inferred base's layers have no known size."""
    own_size: int | None
    """Bytes of its own layers, not the inherited ones; None when unknown."""
    layer_count: int
    dangling: bool
    """Untagged and not a build intermediate."""
    intermediate: bool
    """An untagged classic-builder step that another image names as its Parent."""
    created_by: NotRequired[str]
    """Inferred bases: the build step that made their last layer."""
    layers: NotRequired[tuple[str, ...]]
    """Inferred bases: their layer digests."""
    steps: NotRequired[int]
    """Inferred bases: how many build steps they hold (0: unknown); see core.graph.virtual."""
    local_id: NotRequired[str]
    """Inferred bases that a hidden local image holds: that image's id (a classic builder's
    build step, shown with Filters > Show build intermediates)."""
    hidden: NotRequired[int]
    """Shown trees (core.graph.filters): how many descendants a collapsed node hides."""
    folded: NotRequired[int]
    """Shown trees with base chains collapsed: how many images below it were folded away."""


STAND_INS = {"inferred base": "not local", "hidden build step": "local, untagged"}
"""What a node that is no image shown can stand for, and the words a card adds."""


def stand_in(attrs: NodeAttrs) -> str:
    """What a node that is no image shown stands for (a key of :data:`STAND_INS`): a layer
    prefix no local image holds, or one a hidden build step holds (a classic builder's
    untagged intermediate). "" for images, scratch and "+N more" cards. Cards, the text tree,
    `df` and the details all say it with these words."""
    if attrs["kind"] != NodeKind.VIRTUAL:
        return ""
    return "hidden build step" if attrs.get("local_id") else "inferred base"


def imageless(
    kind: NodeKind, label: str, *, size: int | None = None, layer_count: int = 0
) -> NodeAttrs:
    """The record of a node that is no local image: scratch, an inferred or absent base, a
    "+N more" card; callers add their own keys."""
    return {
        "kind": kind,
        "image": None,
        "label": label,
        "tags": (),
        "size": size,
        "own_size": size if kind == NodeKind.SCRATCH else None,
        "layer_count": layer_count,
        "dangling": False,
        "intermediate": False,
    }


class EdgeAttrs(TypedDict):
    """One parent -> child edge."""

    method: EdgeMethod
    confidence: float
    """In [0, 1]."""
    ambiguous: bool
    """Another parent was as likely, or nothing confirmed this one (or a filter skipped
    hidden nodes between them)."""


UNCERTAIN_METHODS = frozenset({EdgeMethod.VIRTUAL, EdgeMethod.SHARED_LAYERS})


def is_uncertain(edge: EdgeAttrs) -> bool:
    """Whether an edge is drawn dashed, on screen and in every exported picture: ambiguous,
    or leading to or from a base that is inferred rather than present."""
    return edge["ambiguous"] or edge["method"] in UNCERTAIN_METHODS

"""How each node and line of the tree looks, in one Qt-free table: the cards (gui.tree.items),
the rings (gui.disk.sunburst), the DOT export (core.graph.export) and the legend (resources/help)
all take their look from here, so a dangling image looks the same everywhere and is
described once. Colours are palette roles (each theme gives them their colour: gui.palette).
"""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple

from fromscratch.core.graph.records import NodeKind


class Role(StrEnum):
    """A palette role (gui.palette names the colour of each, per theme)."""

    IMAGE = "image"
    BASE = "base"
    VIRTUAL = "virtual"
    SCRATCH = "scratch"


class Line(StrEnum):
    SOLID = "solid"
    DASHED = "dashed"
    DOTTED = "dotted"


class Look(NamedTuple):
    role: Role
    """The outline's and the side bar's colour."""
    line: Line
    """The outline: solid for an image, dashed for what is not a local image."""
    hollow: bool
    """Filled with the background, not the card's colour: not an image of its own."""
    bar: bool
    """The colour bar on the card's left side (an image)."""
    width: float
    """The outline's width, in the theme's strokes."""
    opacity: float
    """1, or less for a dangling image (faded)."""


DANGLING_OPACITY = 0.45
"""A dangling image (no tag) is drawn faded."""
UNCERTAIN_LINE = Line.DASHED
"""A parent found by a guess (core.graph.records.is_uncertain): a dashed line."""

_KINDS: dict[str, tuple[Role, Line]] = {
    NodeKind.SCRATCH: (Role.SCRATCH, Line.DASHED),
    NodeKind.VIRTUAL: (Role.VIRTUAL, Line.DASHED),
    NodeKind.MORE: (Role.VIRTUAL, Line.DOTTED),
}


def look_of(kind: str, *, base: bool = False, dangling: bool = False) -> Look:
    """How a node of `kind` looks; `base`: an image built FROM scratch (thicker, its own
    colour); `dangling`: an image with no tag (faded)."""
    image = kind == NodeKind.IMAGE
    role, line = _KINDS.get(kind, (Role.BASE if base else Role.IMAGE, Line.SOLID))
    return Look(
        role=role,
        line=line,
        hollow=not image,
        bar=image,
        width=3.0 if image and base else 2.0,
        opacity=DANGLING_OPACITY if dangling else 1.0,
    )


def edge_line(*, uncertain: bool) -> Line:
    return UNCERTAIN_LINE if uncertain else Line.SOLID

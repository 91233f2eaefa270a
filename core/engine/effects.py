"""What an engine event means for what the window shows: nothing, the containers' list, or
the images (core.engine.events delivers them; gui.window.live re-lists accordingly)."""

from __future__ import annotations

from enum import StrEnum


class Effect(StrEnum):
    """What an event means for what the window shows."""

    NONE = "none"
    """Nothing listed changes (exec, health checks, resizes, copies ...)."""
    CONTAINERS = "containers"
    """The containers' list changes, the images' does not: re-list the containers only."""
    IMAGES = "images"
    """Images may have changed: re-list everything."""


QUIET_ACTIONS = frozenset(
    (
        "exec_create", "exec_start", "exec_die", "exec_detach", "health_status", "top",
        "resize", "attach", "detach", "export", "archive-path", "extract-to-dir", "copy",
        "mount", "unmount", "checkpoint", "sync",
    )
)  # fmt: skip
"""Container actions that change nothing a listing shows."""


def effect_of(kind: str, action: str) -> Effect:
    """`kind` and `action` as events give them (`exec_start: sh -c ...`, `health_status:
    healthy` carry a detail after a colon). A commit makes an image with no image event."""
    verb = action.split(":", 1)[0].strip()
    if kind == "container":
        if verb == "commit":
            return Effect.IMAGES
        return Effect.NONE if verb in QUIET_ACTIONS else Effect.CONTAINERS
    return Effect.IMAGES if kind == "image" else Effect.NONE

"""What an engine event changes (core.engine.effects): container events re-list the containers
only, image events and commits everything, and exec, health checks and copies nothing."""

from __future__ import annotations

import pytest

from fromscratch.core.engine.effects import Effect, effect_of


@pytest.mark.parametrize(
    ("kind", "action", "effect"),
    [
        ("container", "create", Effect.CONTAINERS),
        ("container", "start", Effect.CONTAINERS),
        ("container", "die", Effect.CONTAINERS),
        ("container", "pause", Effect.CONTAINERS),
        ("container", "rename", Effect.CONTAINERS),
        ("container", "destroy", Effect.CONTAINERS),
        ("container", "exec_start: sh -c true", Effect.NONE),
        ("container", "exec_die", Effect.NONE),
        ("container", "health_status: healthy", Effect.NONE),
        ("container", "archive-path", Effect.NONE),
        ("container", "commit", Effect.IMAGES),  # a new image, and no image event for it
        ("image", "tag", Effect.IMAGES),
        ("image", "delete", Effect.IMAGES),
        ("network", "connect", Effect.NONE),
        ("volume", "mount", Effect.NONE),
    ],
)
def test_what_each_event_changes(kind: str, action: str, effect: Effect) -> None:
    assert effect_of(kind, action) is effect

"""The containers standing on each image, for the badge on its card: how many, by state.
Linked by the image id a container runs (`ImageID`), not by the name it was started with: a
tag moved by a rebuild leaves old containers on the old image, which is where they show."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from fromscratch.core.formats.inventory import Container


class Badge(NamedTuple):
    running: int = 0
    paused: int = 0
    stopped: int = 0
    """Created, exited, dead: not running."""

    @property
    def total(self) -> int:
        return self.running + self.paused + self.stopped

    @property
    def state(self) -> str:
        """What the badge's colour says: running if any runs, else paused, else stopped."""
        return "running" if self.running else "paused" if self.paused else "stopped"

    def describe(self) -> str:
        parts = [
            f"{count} {word}"
            for count, word in (
                (self.running, "running"),
                (self.paused, "paused"),
                (self.stopped, "stopped"),
            )
            if count
        ]
        noun = "container" if self.total == 1 else "containers"
        return f"{self.total} {noun}: " + ", ".join(parts)


def badges(containers: Iterable[Container]) -> dict[str, Badge]:
    """Image id -> its containers' counts."""
    counts: dict[str, list[int]] = {}
    for container in containers:
        slot = {"running": 0, "restarting": 0, "paused": 1}.get(container.state, 2)
        counts.setdefault(container.image_id, [0, 0, 0])[slot] += 1
    return {image: Badge(*values) for image, values in counts.items()}

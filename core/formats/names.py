"""Image names as people type and read them."""

from __future__ import annotations

from collections.abc import Sequence

_DEFAULT_REGISTRIES = ("docker.io/library/", "docker.io/", "localhost/")


def short_name(tag: str) -> str:
    """A tag as people type it: without the default registry Podman writes out."""
    for prefix in _DEFAULT_REGISTRIES:
        if tag.startswith(prefix):
            return tag.removeprefix(prefix)
    return tag


def main_tag(tags: Sequence[str]) -> str:
    """The tag an image is shown by: the first by name, not by the engine's order (Podman lists
    the newest first, so a card would change its title with every new tag)."""
    return min(tags, key=lambda tag: (short_name(tag).lower(), tag))

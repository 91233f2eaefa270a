"""Small builders of :class:`Image` records for lineage tests."""

from __future__ import annotations

import hashlib

from fromscratch.core.formats.inventory import HistoryStep, Image


def digest(*parts: str) -> str:
    return "sha256:" + hashlib.sha256("\0".join(parts).encode()).hexdigest()


def step(text: str, when: int = 1, *, empty: bool = False) -> HistoryStep:
    return HistoryStep(text, when, "", empty, None)


def image(
    tag: str | None,
    layers: list[str],
    history: list[HistoryStep] | None,
    parent: str = "",
    created: str = "2026-01-01T00:00:00Z",
    image_id: str | None = None,
) -> Image:
    return Image(
        id=image_id or digest("config", tag or "", *layers, *(s.created_by for s in history or [])),
        tags=(tag,) if tag else (),
        layers=tuple(layers),
        history=tuple(history) if history is not None else None,
        parent=parent,
        created=created,
    )


def child_of(parent: Image, tag: str, new_layers: int, env_steps: int = 0, when: int = 2) -> Image:
    """An image built FROM `parent`, adding layers and metadata-only steps."""
    layers = list(parent.layers) + [digest(tag, str(i)) for i in range(new_layers)]
    history = list(parent.history or ())
    history += [step(f"ENV {tag}_{i}=1", when, empty=True) for i in range(env_steps)]
    history += [step(f"RUN build {tag} {i}", when) for i in range(new_layers)]
    return image(tag, layers, history)

"""A synthetic `docker image inspect` array of many images whose parents are known: bases on
scratch, "mids" on each base (the first adds only an ENV step: same layers, a longer history),
and apps on each mid. Deterministic for a seed; shuffled, as a real listing is not sorted.

With the defaults, 50 x (1 + 4 x (1 + 50)) = 10,250 images: the size the benchmarks and the
scale tests use. Layer sizes and history ride along in the `X-LayerSizes` / `X-History`
extras the app reads (as in the bundled sample).
"""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

Edge = tuple[str, str]
"""(child tag, parent tag or "scratch")."""


def digest(*parts: str) -> str:
    return "sha256:" + hashlib.sha256("\0".join(parts).encode()).hexdigest()


@dataclass
class _Maker:
    rnd: random.Random
    clock: int = 1_700_000_000
    images: list[dict[str, Any]] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)

    def stamp(self) -> str:
        self.clock += self.rnd.randint(60, 6000)
        return datetime.fromtimestamp(self.clock, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    def make(
        self, tag: str, parent: dict[str, Any] | None, new_layers: int, *, env_only: bool = False
    ) -> dict[str, Any]:
        layers = list(parent["RootFS"]["Layers"]) if parent else []
        sizes = list(parent["X-LayerSizes"]) if parent else []
        history = list(parent["X-History"]) if parent else []
        if env_only:
            history.append(
                {"Created": self.stamp(), "CreatedBy": f"ENV VARIANT={tag}", "EmptyLayer": True}
            )
        for i in range(new_layers):
            layers.append(digest(tag, str(i)))
            sizes.append(self.rnd.randint(1_000, 50_000_000))
            history.append(
                {
                    "Created": self.stamp(),
                    "CreatedBy": f"RUN build step {i} of {tag}",
                    "EmptyLayer": False,
                }
            )
        name = tag.split(":")[0]
        history.append(
            {"Created": self.stamp(), "CreatedBy": f'CMD ["/{name}"]', "EmptyLayer": True}
        )
        image = {
            "Id": digest("config", tag),
            "RepoTags": [tag],
            "RepoDigests": [],
            "Parent": "",
            "Created": history[-1]["Created"],
            "Architecture": "amd64",
            "Os": "linux",
            "Size": sum(sizes),
            "Config": {"Cmd": [f"/{name}"], "Env": ["PATH=/usr/bin:/bin"], "Labels": {}},
            "RootFS": {"Type": "layers", "Layers": layers},
            "X-History": history,
            "X-LayerSizes": sizes,
        }
        self.images.append(image)
        self.edges.append((tag, parent["RepoTags"][0] if parent else "scratch"))
        return image


def synthetic_images(
    bases: int = 50, mids: int = 4, apps: int = 50, seed: int = 1
) -> tuple[list[dict[str, Any]], list[Edge]]:
    """The images (inspect-shaped dicts, shuffled) and the expected parent of each."""
    maker = _Maker(random.Random(seed))
    for b in range(bases):
        base = maker.make(f"base{b}:latest", None, maker.rnd.randint(1, 3))
        for m in range(mids):
            added = 0 if m == 0 else maker.rnd.randint(1, 4)
            mid = maker.make(f"base{b}-mid{m}:latest", base, added, env_only=m == 0)
            for k in range(apps):
                maker.make(f"base{b}-mid{m}-app{k}:latest", mid, maker.rnd.randint(2, 8))
    maker.rnd.shuffle(maker.images)
    return maker.images, maker.edges


def write_synthetic(path: Path, **shape: int) -> list[Edge]:
    """Write the images as one JSON array; returns the expected edges."""
    images, edges = synthetic_images(**shape)
    path.write_text(json.dumps(images))
    return edges

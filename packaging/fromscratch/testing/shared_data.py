"""Where the project's shared facts and tools live: `../shared` beside the checkout."""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
"""The checkout: packaging/fromscratch/testing/ is three folders down."""


def shared_dir() -> Path:
    """`$FROMSCRATCH_SHARED`, else `../shared` next to the repository (as CI lays it out)."""
    path = Path(os.environ.get("FROMSCRATCH_SHARED") or REPO.parent / "shared")
    if not (path / "data").is_dir():
        raise FileNotFoundError(f"shared data not found at {path}; set FROMSCRATCH_SHARED")
    return path

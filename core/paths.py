"""Per-user folders, following each platform's convention (XDG on Linux)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP = "fromscratch"


def user_cache_dir() -> Path:
    """Where re-creatable data lives: `$FROMSCRATCH_CACHE_DIR`, else the platform's cache."""
    override = os.environ.get("FROMSCRATCH_CACHE_DIR")
    if override:
        return Path(override)
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / APP
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / APP / "Cache"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / APP

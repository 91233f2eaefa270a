"""Per-user folders, following each platform's convention (XDG on Linux)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP = "fromscratch"


def user_cache_dir() -> Path:
    """Where re-creatable data lives: `$FROMSCRATCH_CACHE_DIR`, else the platform's cache.
    Made for the user alone (0700): it holds the last live snapshot, unredacted, and the
    engine's answers (Env values included)."""
    return private(_cache_dir())


def private(folder: Path) -> Path:
    """`folder`, made if missing, readable by its owner alone."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if folder.stat().st_mode & 0o077:
            folder.chmod(0o700)
    except OSError:
        pass  # not ours to change (a shared override): what is written there is 0600 anyway
    return folder


def _cache_dir() -> Path:
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

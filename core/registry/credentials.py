"""The user's credentials for a registry, found where the docker CLI keeps them: the
`auths` of `$DOCKER_CONFIG/config.json` (default `~/.docker/config.json`), a base64
`user:password` per registry host. Read-only, and used only to ask the registry's token
service for a pull token, as `docker pull` does.

Not yet: credential helpers (`credsStore`, `credHelpers`)."""

from __future__ import annotations

import base64
import binascii
import json
import os
from pathlib import Path
from typing import NamedTuple


class Credentials(NamedTuple):
    user: str
    password: str


def docker_config() -> Path:
    folder = os.environ.get("DOCKER_CONFIG")
    return Path(folder) / "config.json" if folder else Path.home() / ".docker" / "config.json"


def credentials_for(host: str, config: Path | None = None) -> Credentials | None:
    """The `auths` entry of `host` (as `host`, `https://host` or `http://host`), else None; an
    unreadable or malformed file gives None (the registry then says what it wants)."""
    path = config or docker_config()
    try:
        auths = json.loads(path.read_text()).get("auths") or {}
    except (OSError, ValueError, AttributeError):
        return None
    if not isinstance(auths, dict):
        return None
    for key in (host, f"https://{host}", f"http://{host}"):
        entry = auths.get(key)
        if not isinstance(entry, dict) or not isinstance(entry.get("auth"), str):
            continue
        try:
            user, _, password = base64.b64decode(entry["auth"]).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return None
        return Credentials(user, password) if user else None
    return None

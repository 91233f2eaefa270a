"""The user's credentials for a registry, found where the docker CLI keeps them, in its order:
the config's `credHelpers` entry for the host, else its `credsStore`, each a
`docker-credential-<name>` program asked with `get` (the helpers' protocol: the host on
stdin, `{"Username", "Secret"}` on stdout); else the `auths` of the config itself, a base64
`user:password` per host. The config is `$DOCKER_CONFIG/config.json` (default
`~/.docker/config.json`). Read-only, and used only to ask the registry's token service for a
pull token, as `docker pull` does.

Not yet: identity tokens (a helper's `<token>` user: an OAuth refresh token)."""

from __future__ import annotations

import base64
import binascii
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import NamedTuple


class Credentials(NamedTuple):
    user: str
    password: str


def docker_config() -> Path:
    folder = os.environ.get("DOCKER_CONFIG")
    return Path(folder) / "config.json" if folder else Path.home() / ".docker" / "config.json"


def credentials_for(host: str, config: Path | None = None) -> Credentials | None:
    """What the helper for `host` gives, else the `auths` entry of `host` (as `host`,
    `https://host` or `http://host`), else None; an unreadable or malformed file, a missing or
    failing helper give None (the registry then says what it wants)."""
    path = config or docker_config()
    try:
        value = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(value, dict):
        return None
    helpers = value.get("credHelpers")
    helper = (helpers.get(host) if isinstance(helpers, dict) else None) or value.get("credsStore")
    if isinstance(helper, str) and helper:
        return _from_helper(helper, host)
    auths = value.get("auths") or {}
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


def _from_helper(helper: str, host: str) -> Credentials | None:
    program = shutil.which(f"docker-credential-{helper}")
    if program is None:
        return None
    try:
        done = subprocess.run(
            [program, "get"], input=host, capture_output=True, text=True, timeout=30, check=False
        )
        value = json.loads(done.stdout) if done.returncode == 0 else None
    except (OSError, subprocess.TimeoutExpired, ValueError):
        return None
    if not isinstance(value, dict):
        return None
    user, secret = value.get("Username"), value.get("Secret")
    if not isinstance(user, str) or not isinstance(secret, str) or user in ("", "<token>"):
        return None
    return Credentials(user, secret)

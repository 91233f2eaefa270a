"""Which Docker engine to talk to, found the way the docker CLI finds it, and why.

Order: ``--host`` > ``DOCKER_HOST`` > ``DOCKER_CONTEXT`` > ``currentContext`` in the docker
config > the default socket. An explicit choice is used as given (the user asked for it); only
when nothing was configured are the well-known sockets of rootless Docker, Docker Desktop,
Podman, Colima, Rancher Desktop and OrbStack probed, because none of the SDKs does that.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

DEFAULT_SOCKET = "unix:///var/run/docker.sock"
WINDOWS_PIPE = "npipe:////./pipe/docker_engine"


class EndpointError(Exception):
    """The configuration names an engine that cannot be resolved (an unknown context ...)."""


@dataclass(frozen=True, slots=True)
class TLSFiles:
    """Client certificate files for a `tcp://` endpoint with TLS."""

    ca: str | None
    cert: str | None
    key: str | None
    verify: bool


@dataclass(frozen=True, slots=True)
class Endpoint:
    """An engine address and the reason it was chosen, shown to the user verbatim."""

    url: str
    source: str
    tls: TLSFiles | None = None
    explicit: bool = False
    """True when configured (flag, env, context); such an endpoint is never second-guessed."""

    def describe(self) -> str:
        """`unix:///var/run/docker.sock (default socket)`."""
        return f"{self.url} ({self.source})"

    @property
    def socket_path(self) -> str | None:
        """The file of a `unix://` endpoint."""
        return self.url[len("unix://") :] if self.url.startswith("unix://") else None


def docker_config_dir(env: Mapping[str, str], home: Path) -> Path:
    """`$DOCKER_CONFIG`, else `~/.docker`."""
    return Path(env["DOCKER_CONFIG"]) if env.get("DOCKER_CONFIG") else home / ".docker"


def _tls_from_env(env: Mapping[str, str], home: Path) -> TLSFiles | None:
    verify = env.get("DOCKER_TLS_VERIFY", "") not in ("", "0")
    cert_path = env.get("DOCKER_CERT_PATH")
    if not verify and not cert_path:
        return None
    base = Path(cert_path) if cert_path else docker_config_dir(env, home)
    return TLSFiles(str(base / "ca.pem"), str(base / "cert.pem"), str(base / "key.pem"), verify)


def context_endpoint(name: str, config_dir: Path, source: str) -> Endpoint:
    """The docker endpoint of a named context, from `contexts/meta/<sha256(name)>/meta.json`."""
    if name == "default":
        return Endpoint(DEFAULT_SOCKET, f"{source}: default context", explicit=True)
    import hashlib

    digest = hashlib.sha256(name.encode()).hexdigest()
    meta = config_dir / "contexts" / "meta" / digest / "meta.json"
    try:
        doc = json.loads(meta.read_text())
        docker = doc["Endpoints"]["docker"]
        host = str(docker["Host"])
    except FileNotFoundError:
        raise EndpointError(
            f"docker context {name!r} does not exist; list them with `docker context ls`"
        ) from None
    except (OSError, ValueError, KeyError, TypeError):
        raise EndpointError(
            f"docker context {name!r} is unreadable ({meta}); recreate it"
        ) from None
    tls_dir = config_dir / "contexts" / "tls" / digest / "docker"
    tls = None
    if tls_dir.is_dir():
        ca, cert, key = (
            str(tls_dir / f) if (tls_dir / f).exists() else None
            for f in ("ca.pem", "cert.pem", "key.pem")
        )
        tls = TLSFiles(ca, cert, key, verify=not docker.get("SkipTLSVerify", False))
    return Endpoint(host, f"{source}: context {name!r}", tls, explicit=True)


SCHEMES = ("unix", "tcp", "http", "https", "ssh", "npipe")


def checked(endpoint: Endpoint) -> Endpoint:
    """`endpoint` if its address can be used; else EndpointError naming where it came from
    (`DOCKER_HOST 'tcp://localhost:99999': port out of range ...`)."""
    from urllib.parse import urlsplit

    url = endpoint.url
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - parsing it raises for an impossible port
    except ValueError as exc:
        reason = str(exc).lower().replace("0-65535", "0 to 65535")
        raise EndpointError(f"{endpoint.source} {url!r}: {reason}; {_LOOKS_LIKE}") from None
    if parts.scheme not in SCHEMES:
        raise EndpointError(f"{endpoint.source} {url!r}: not an engine address; {_LOOKS_LIKE}")
    if parts.scheme in ("tcp", "http", "https", "ssh") and not parts.hostname:
        raise EndpointError(f"{endpoint.source} {url!r}: no host; {_LOOKS_LIKE}")
    return endpoint


_LOOKS_LIKE = "an engine address looks like unix:///var/run/docker.sock or tcp://HOST:2376"


def resolve(
    host: str | None = None,
    env: Mapping[str, str] | None = None,
    home: Path | None = None,
) -> Endpoint:
    """The endpoint the docker CLI would use, with the reason."""
    env = os.environ if env is None else env
    home = Path.home() if home is None else home
    config_dir = docker_config_dir(env, home)
    if host:
        return Endpoint(host, "--host", None, explicit=True)
    if env.get("DOCKER_HOST"):
        return Endpoint(env["DOCKER_HOST"], "DOCKER_HOST", _tls_from_env(env, home), explicit=True)
    if env.get("DOCKER_CONTEXT"):
        return context_endpoint(env["DOCKER_CONTEXT"], config_dir, "DOCKER_CONTEXT")
    current = _current_context(config_dir)
    if current and current != "default":
        return context_endpoint(current, config_dir, f"currentContext in {config_dir}/config.json")
    if sys.platform == "win32":
        return Endpoint(WINDOWS_PIPE, "default pipe")
    return Endpoint(DEFAULT_SOCKET, "default socket")


def _current_context(config_dir: Path) -> str | None:
    try:
        doc = json.loads((config_dir / "config.json").read_text())
    except (OSError, ValueError):
        return None
    value = doc.get("currentContext") if isinstance(doc, dict) else None
    return value if isinstance(value, str) and value else None


def well_known_sockets(env: Mapping[str, str], home: Path) -> list[tuple[str, str]]:
    """(label, path) of the sockets other engines install, most specific first."""
    runtime = (
        env.get("XDG_RUNTIME_DIR") or f"/run/user/{os.getuid() if hasattr(os, 'getuid') else 0}"
    )
    return [
        ("rootless Docker", f"{runtime}/docker.sock"),
        ("Docker Desktop (Linux)", str(home / ".docker/desktop/docker.sock")),
        ("Docker Desktop (macOS)", str(home / ".docker/run/docker.sock")),
        ("Podman (rootless)", f"{runtime}/podman/podman.sock"),
        ("Podman (root)", "/run/podman/podman.sock"),
        ("Colima", str(home / ".colima/default/docker.sock")),
        ("Rancher Desktop", str(home / ".rd/docker.sock")),
        ("OrbStack", str(home / ".orbstack/run/docker.sock")),
    ]


def _is_socket(path: str) -> bool:
    try:
        return stat.S_ISSOCK(os.stat(path).st_mode)
    except OSError:
        return False


def candidates(
    host: str | None = None,
    env: Mapping[str, str] | None = None,
    home: Path | None = None,
) -> list[Endpoint]:
    """Endpoints to try in order: the resolved one, then (only when nothing was configured)
    every well-known socket that exists on this machine."""
    env = os.environ if env is None else env
    home = Path.home() if home is None else home
    first = checked(resolve(host, env, home))
    if first.explicit:
        return [first]
    found = [first]
    for label, path in well_known_sockets(env, home):
        url = "unix://" + path
        if url != first.url and _is_socket(path):
            found.append(Endpoint(url, f"probed: {label} socket"))
    return found


def known_engines(env: Mapping[str, str] | None = None, home: Path | None = None) -> list[Endpoint]:
    """Every engine this machine knows of, for a user to pick (File > Connect to…): the one
    configured (as the CLI resolves it), each docker context, and each well-known socket that
    exists; one entry per address, the first reason kept."""
    env = os.environ if env is None else env
    home = Path.home() if home is None else home
    found: list[Endpoint] = []
    with contextlib.suppress(EndpointError):  # a broken configuration: others may answer
        found.append(checked(resolve(None, env, home)))
    config_dir = docker_config_dir(env, home)
    for meta in sorted((config_dir / "contexts" / "meta").glob("*/meta.json")):
        try:
            name = json.loads(meta.read_text())["Name"]
            found.append(checked(context_endpoint(str(name), config_dir, "docker context")))
        except (OSError, ValueError, KeyError, TypeError, EndpointError):
            continue
    found += [
        Endpoint("unix://" + path, f"{label} socket")
        for label, path in well_known_sockets(env, home)
        if _is_socket(path)
    ]
    unique: dict[str, Endpoint] = {}
    for endpoint in found:
        unique.setdefault(endpoint.url, endpoint)
    return list(unique.values())

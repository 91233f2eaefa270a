"""Endpoint resolution in the docker CLI's order, contexts, and socket probing."""

from __future__ import annotations

import hashlib
import json
import socket
from pathlib import Path

import pytest

from fromscratch.core.engine.endpoint import DEFAULT_SOCKET, EndpointError, candidates, resolve


def make_context(home: Path, name: str, host: str, *, tls: bool = False) -> None:
    digest = hashlib.sha256(name.encode()).hexdigest()
    meta = home / ".docker/contexts/meta" / digest
    meta.mkdir(parents=True)
    (meta / "meta.json").write_text(
        json.dumps({"Name": name, "Endpoints": {"docker": {"Host": host, "SkipTLSVerify": False}}})
    )
    if tls:
        tls_dir = home / ".docker/contexts/tls" / digest / "docker"
        tls_dir.mkdir(parents=True)
        for f in ("ca.pem", "cert.pem", "key.pem"):
            (tls_dir / f).write_text("x")


def test_order_host_then_env_then_context_then_config(tmp_path: Path) -> None:
    make_context(tmp_path, "ctx", "tcp://ctx:2376", tls=True)
    make_context(tmp_path, "cur", "unix:///cur.sock")
    (tmp_path / ".docker/config.json").write_text(json.dumps({"currentContext": "cur"}))
    env = {"DOCKER_HOST": "tcp://envhost:2375", "DOCKER_CONTEXT": "ctx"}
    assert resolve("unix:///flag.sock", env, tmp_path).source == "--host"
    assert resolve(None, env, tmp_path).url == "tcp://envhost:2375"
    by_context = resolve(None, {"DOCKER_CONTEXT": "ctx"}, tmp_path)
    assert by_context.url == "tcp://ctx:2376" and "context 'ctx'" in by_context.source
    assert by_context.tls is not None and by_context.tls.verify
    current = resolve(None, {}, tmp_path)
    assert current.url == "unix:///cur.sock" and "currentContext" in current.source
    assert resolve(None, {}, tmp_path / "empty").url == DEFAULT_SOCKET


def test_docker_config_env_and_default_context(tmp_path: Path) -> None:
    cfg = tmp_path / "cfg"
    cfg.mkdir()
    (cfg / "config.json").write_text(json.dumps({"currentContext": "default"}))
    assert resolve(None, {"DOCKER_CONFIG": str(cfg)}, tmp_path).url == DEFAULT_SOCKET
    assert resolve(None, {"DOCKER_CONTEXT": "default"}, tmp_path).explicit


def test_unknown_context_is_an_error_like_the_cli(tmp_path: Path) -> None:
    with pytest.raises(EndpointError, match="docker context ls"):
        resolve(None, {"DOCKER_CONTEXT": "nope"}, tmp_path)


def test_tls_env_for_docker_host(tmp_path: Path) -> None:
    ep = resolve(
        None,
        {
            "DOCKER_HOST": "tcp://h:2376",
            "DOCKER_TLS_VERIFY": "1",
            "DOCKER_CERT_PATH": str(tmp_path),
        },
        tmp_path,
    )
    assert ep.tls is not None and ep.tls.ca == str(tmp_path / "ca.pem")


def test_well_known_sockets_are_probed_only_when_nothing_is_configured(tmp_path: Path) -> None:
    run = tmp_path / "run"
    (run / "podman").mkdir(parents=True)
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(run / "podman/podman.sock"))
    (tmp_path / ".colima/default").mkdir(parents=True)
    (tmp_path / ".colima/default/docker.sock").write_text("not a socket")
    try:
        env = {"XDG_RUNTIME_DIR": str(run)}
        found = candidates(None, env, tmp_path)
        assert [e.url for e in found][1:] == [f"unix://{run}/podman/podman.sock"]
        assert found[1].source == "probed: Podman (rootless) socket"
        assert candidates(None, {**env, "DOCKER_HOST": "unix:///x"}, tmp_path)[0].url == "unix:///x"
        assert len(candidates(None, {**env, "DOCKER_HOST": "unix:///x"}, tmp_path)) == 1
    finally:
        server.close()


def test_known_engines_lists_the_configured_one_every_context_and_live_sockets(
    tmp_path: Path,
) -> None:
    """File > Connect to…: what the user can pick, each once, with where it comes from."""
    from fromscratch.core.engine.endpoint import known_engines

    make_context(tmp_path, "remote", "tcp://build-box:2376")
    make_context(tmp_path, "desk", "unix:///desk.sock")
    (tmp_path / ".docker/config.json").write_text(json.dumps({"currentContext": "desk"}))
    (tmp_path / ".docker/contexts/meta/broken").mkdir(parents=True)
    (tmp_path / ".docker/contexts/meta/broken/meta.json").write_text("{not json")
    run = tmp_path / "run"
    (run / "podman").mkdir(parents=True)
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(run / "podman/podman.sock"))
    try:
        found = known_engines({"XDG_RUNTIME_DIR": str(run)}, tmp_path)
    finally:
        server.close()
    urls = [e.url for e in found]
    assert urls[0] == "unix:///desk.sock" and "currentContext" in found[0].source
    assert "tcp://build-box:2376" in urls and f"unix://{run}/podman/podman.sock" in urls
    assert len(urls) == len(set(urls)) == 3  # desk once, though configured and a context
    broken = known_engines({"DOCKER_HOST": "tcp://[::1"}, tmp_path / "nothing")
    assert all(e.url != "tcp://[::1" for e in broken)  # a bad address is left out, no error

"""Engines (or proxies in front of them) that answer in the wrong shape, and one wrong answer
that must not poison the cache: a clear state, never a traceback, and the next healthy run is
right."""

from __future__ import annotations

import copy
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from fromscratch.core.engine.cache import InspectCache
from fromscratch.core.engine.endpoint import Endpoint
from fromscratch.core.engine.failures import EngineState, EngineUnavailable
from fromscratch.core.engine.gateway import EngineGateway, RecordedTransport
from fromscratch.core.graph.lineage import build_tree

ENDPOINT = Endpoint("unix:///recorded.sock", "test")


def layered(recorded: dict[str, Any]) -> list[str]:
    """Ids of the recorded images that have layers."""
    ids = [s["Id"] for s in recorded["/images/json?all=1"]]
    return [i for i in ids if recorded[f"/images/{i}/json"]["RootFS"].get("Layers")]


@pytest.mark.parametrize(
    ("path", "answer", "says"),
    [
        ("/version", ["not", "an", "object"], "unexpected answer to /version or /info"),
        ("/images/json?all=1", [{"Id": []}], "unexpected answer to /images/json: [0]"),
        ("/images/json?all=1", [5], "unexpected answer to /images/json: [0]"),
        ("/containers/json?all=1", [5], "unexpected answer to /containers/json: [0]"),
    ],
)
def test_an_answer_of_the_wrong_shape_is_a_state(
    zoo_recorded: dict[str, Any], path: str, answer: object, says: str
) -> None:
    answers = {**zoo_recorded, path: answer}
    with pytest.raises(EngineUnavailable) as info:
        EngineGateway(ENDPOINT, transport=RecordedTransport(answers)).load()
    assert info.value.state is EngineState.TRANSIENT
    assert says in str(info.value) and "\n" not in str(info.value)


def test_odd_driver_status_is_no_containerd_store(zoo_recorded: dict[str, Any]) -> None:
    info = {**zoo_recorded["/info"], "DriverStatus": 5}
    answers = {**zoo_recorded, "/info": info}
    facts = EngineGateway(ENDPOINT, transport=RecordedTransport(answers)).engine_facts()
    assert facts.containerd_store is False


def test_one_wrong_history_is_not_cached_and_the_next_run_is_right(
    zoo_recorded: dict[str, Any], tmp_path: Path
) -> None:
    """A proxy hands back another image's history once: that load is what it is, but the
    cache must not keep it, so the next run against the healthy engine is right."""
    cache = InspectCache(tmp_path)
    healthy = EngineGateway(ENDPOINT, transport=RecordedTransport(zoo_recorded)).load()
    listing = zoo_recorded["/images/json?all=1"]
    with_layers = [
        s["Id"] for s in listing if zoo_recorded[f"/images/{s['Id']}/json"]["RootFS"].get("Layers")
    ]
    victim, donor = with_layers[0], with_layers[-1]
    answers = copy.deepcopy(zoo_recorded)
    answers[f"/images/{victim}/history"] = answers[f"/images/{donor}/history"] * 3  # wrong
    EngineGateway(ENDPOINT, transport=RecordedTransport(answers), cache=cache).load()
    assert InspectCache(tmp_path).get(victim) is None  # not kept
    again = EngineGateway(ENDPOINT, transport=RecordedTransport(zoo_recorded), cache=cache).load()
    assert again.images == healthy.images
    edges = lambda inv: {(p, c) for p, c in build_tree(inv.images).edges}  # noqa: E731
    assert edges(again) == edges(healthy)


def test_a_cached_entry_that_no_longer_fits_is_dropped_and_asked_for_again(
    zoo_recorded: dict[str, Any], tmp_path: Path
) -> None:
    cache = InspectCache(tmp_path)
    EngineGateway(ENDPOINT, transport=RecordedTransport(zoo_recorded), cache=cache).load()
    listing = zoo_recorded["/images/json?all=1"]
    victim = next(
        s["Id"] for s in listing if zoo_recorded[f"/images/{s['Id']}/json"]["RootFS"].get("Layers")
    )
    inspect, history = cache.get(victim)  # type: ignore[misc]
    cache.put(victim, inspect, [*(history or []), *(history or [])])  # poisoned by hand
    transport = RecordedTransport(zoo_recorded)
    again = EngineGateway(ENDPOINT, transport=transport, cache=cache).load()
    assert f"/images/{victim}/history" in transport.calls
    cached = cache.get(victim)
    assert cached is not None and cached[1] == zoo_recorded[f"/images/{victim}/history"]
    assert len(again.images) == len(listing)


@pytest.mark.parametrize(
    ("host", "says"),
    [
        ("tcp://localhost:99999", "port out of range"),
        ("tcp://[::1", "invalid ipv6 url"),
        ("gopher://x", "not an engine address"),
    ],
)
def test_a_malformed_engine_address_is_one_line(host: str, says: str) -> None:
    for args in (["tree", "--host", host], ["info", "--host", host]):
        done = subprocess.run(
            [sys.executable, "-m", "fromscratch", *args],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 2
        (line,) = done.stderr.splitlines()
        assert line.startswith(f"fromscratch: --host {host!r}: {says}")


def test_podman_is_named_podman(zoo_recorded: dict[str, Any]) -> None:
    """Podman's compatible API answers /version with its own component: the status bar and
    `info` say Podman, not Docker."""
    version = {
        "Platform": {"Name": "linux/amd64/debian-unknown"},
        "Components": [{"Name": "Podman Engine", "Version": "5.8.6"}],
        "Version": "5.8.6",
        "ApiVersion": "1.41",
        "KernelVersion": "6.1.0",
    }
    answers = {**zoo_recorded, "/version": version}
    inventory = EngineGateway(ENDPOINT, transport=RecordedTransport(answers)).load()
    assert inventory.engine.product == "Podman"
    from fromscratch.core.session.engine_source import EngineSource

    assert EngineSource().describe(inventory).startswith("Podman engine ")
    docker = EngineGateway(ENDPOINT, transport=RecordedTransport(zoo_recorded)).engine_facts()
    assert docker.product == "Docker"

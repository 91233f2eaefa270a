"""Engine faults through a fault-injecting proxy in front of the real test dockerd: every
fault ends in a stated engine state within its deadline (no hang, no traceback), a wrong
answer does not poison the cache, and the next healthy load is right."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from fromscratch.core.engine.cache import InspectCache
from fromscratch.core.engine.endpoint import Endpoint
from fromscratch.core.engine.failures import EngineState, EngineUnavailable
from fromscratch.core.engine.gateway import EngineGateway
from fromscratch.core.engine.transport import RawTransport
from fromscratch.core.formats.inventory import Inventory
from fromscratch.core.graph.lineage import build_tree
from tests.support.dockerd import Dockerd
from tests.support.faultproxy import FaultProxy, with_body

pytestmark = pytest.mark.integration


@pytest.fixture
def proxy(dockerd: Dockerd, zoo: dict[str, str], tmp_path: Path) -> Iterator[FaultProxy]:
    front = FaultProxy(Path(f"/tmp/fs-proxy-{tmp_path.name[-16:]}.sock"), dockerd.socket)
    yield front
    front.stop()


def load(
    url: str, *, timeout: float = 10, deadline: float = 60, cache: InspectCache | None = None
) -> Inventory:
    endpoint = Endpoint(url, "test")
    raw = RawTransport(endpoint, timeout=timeout, deadline=deadline)
    gateway = EngineGateway(endpoint, transport=raw, cache=cache)
    try:
        return gateway.load()
    finally:
        gateway.close()


def edges(inventory: Inventory) -> set[tuple[str, str]]:
    return set(build_tree(inventory.images).edges)


def test_through_the_proxy_a_load_is_the_same(proxy: FaultProxy, dockerd: Dockerd) -> None:
    direct = load(dockerd.url)
    through = load(proxy.url)
    assert {i.id for i in through.images} == {i.id for i in direct.images}
    assert edges(through) == edges(direct)
    assert len(proxy.requests) > 2 * len(direct.images)  # every call went through it


@pytest.mark.parametrize(
    ("mode", "states"),
    [
        ("drop", {EngineState.TRANSIENT, EngineState.NO_ENGINE}),
        ("truncate", {EngineState.TRANSIENT}),
        ("garbage", {EngineState.TRANSIENT}),
        ("delay", {EngineState.TIMEOUT}),  # 3 s, against a 1 s socket timeout
        ("drip", {EngineState.TIMEOUT}),  # a byte every 0.5 s, against a 3 s deadline
    ],
)
def test_each_fault_is_a_state_within_its_deadline(
    proxy: FaultProxy, dockerd: Dockerd, mode: str, states: set[EngineState]
) -> None:
    proxy.mode = mode
    started = time.monotonic()
    with pytest.raises(EngineUnavailable) as info:
        load(proxy.url, timeout=1 if mode == "delay" else 5, deadline=3)
    assert info.value.state in states, str(info.value)
    assert "\n" not in str(info.value)
    assert time.monotonic() - started < 20
    proxy.mode = "pass"
    assert edges(load(proxy.url)) == edges(load(dockerd.url))  # and then it is right again


def test_a_wrong_history_once_does_not_poison_the_cache(
    proxy: FaultProxy, dockerd: Dockerd, zoo: dict[str, str], tmp_path: Path
) -> None:
    victim = dockerd.image_id("zoo/app:bk")
    donor = json.loads(
        dockerd.docker(
            "history", "--no-trunc", "--format", "{{json .}}", "zoo/base:classic"
        ).splitlines()[0]
    )
    wrong = json.dumps(
        [{"Id": "<missing>", "Created": 1, "CreatedBy": donor["CreatedBy"], "Size": 7}] * 9
    )

    def once(path: str, answer: bytes) -> bytes | None:
        if path == f"/images/{victim}/history" and proxy.rewrite is not None:
            proxy.rewrite = None
            return with_body(answer, wrong.encode())
        return None

    proxy.rewrite = once
    cache = InspectCache(tmp_path / "cache")
    load(proxy.url, cache=cache)  # this load saw the wrong answer
    assert cache.get(victim) is None  # ... and did not keep it
    healthy = load(proxy.url, cache=cache)
    assert edges(healthy) == edges(load(dockerd.url))


def test_one_dropped_connection_does_not_end_a_load(proxy: FaultProxy, dockerd: Dockerd) -> None:
    """A GET changes nothing: a connection dropped before its answer is asked again."""
    direct = edges(load(dockerd.url))
    for skip in (0, 5):  # the first request, and one in the middle of the load
        proxy.requests.clear()
        proxy.rewrite = None
        endpoint = Endpoint(proxy.url, "test")
        raw = RawTransport(endpoint, timeout=5, deadline=10)
        gateway = EngineGateway(endpoint, transport=raw)
        try:
            for _ in range(skip):
                raw.get_json("/version")
            proxy.drop_next = 1
            assert edges(gateway.load()) == direct
        finally:
            gateway.close()
        assert proxy.drop_next == 0  # it was dropped, and asked again


DEEP = b"[" * 100_000 + b"]" * 100_000


@pytest.mark.parametrize("command", [["tree"], ["df"], ["watch"]])
def test_an_answer_nested_past_the_parser_is_one_line(
    proxy: FaultProxy, tmp_path: Path, command: list[str]
) -> None:
    """It was a RecursionError traceback in tree, df and watch."""
    import subprocess
    import sys

    proxy.rewrite = lambda path, answer: (
        with_body(answer, DEEP) if path.startswith("/images/json") else None
    )
    done = subprocess.run(
        [sys.executable, "-m", "fromscratch", *command],
        env={
            **__import__("os").environ,
            "DOCKER_HOST": proxy.url,
            "FROMSCRATCH_CACHE_DIR": str(tmp_path),
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    lines = done.stderr.splitlines()  # each a line of ours: the failure, and a hint
    assert all(line.startswith("fromscratch: ") for line in lines), done.stderr
    assert any("unreadable answer to /images/json" in line for line in lines), done.stderr

"""CPU and memory readings (core.engine.stats) on each engine people run today: Docker 20.10,
Docker 28 (containerd store and overlay2) and Podman 5 answer the one-shot stats request with
what the docker CLI's formulas need; a container burning a core reads near 100 %, an idle one
near 0, and both use some memory."""

from __future__ import annotations

import statistics
import time

import pytest

from fromscratch.core.engine.endpoint import Endpoint
from fromscratch.core.engine.stats import History, StatsPoller
from tests.support.dockerd import Dockerd

pytestmark = pytest.mark.integration


def test_one_shot_stats_read_right_on_every_engine(engine: Dockerd) -> None:
    image = f"stats/{engine.kind.value}:1"
    engine.build(image, "FROM scratch\nCOPY busybox /bin/busybox\n", buildkit=engine.kind.buildkit)
    busy, idle = f"stats-busy-{engine.kind.value}", f"stats-idle-{engine.kind.value}"
    run = ("run", "-d", "--name")
    engine.docker(*run, busy, image, "/bin/busybox", "sh", "-c", "while :; do :; done")
    engine.docker(*run, idle, image, "/bin/busybox", "sleep", "600")
    ids = {
        name: engine.docker("inspect", "--format", "{{.Id}}", name).strip() for name in (busy, idle)
    }
    history = History()
    poller = StatsPoller(Endpoint(engine.url, "the test engine"), history, lambda _c, _p: None)
    try:
        poller.watch(ids.values())
        deadline = time.monotonic() + 40
        while min(len(history.points(i)) for i in ids.values()) < 6:
            assert time.monotonic() < deadline, {n: history.points(i) for n, i in ids.items()}
            time.sleep(0.2)
    finally:
        poller.stop()
        engine.docker("rm", "-f", busy, idle)
        engine.docker("rmi", image)
    hot = [p.cpu for p in history.points(ids[busy]) if p.cpu is not None]
    cold = [p.cpu for p in history.points(ids[idle]) if p.cpu is not None]
    assert len(hot) >= 4 and len(cold) >= 4
    assert 50 < statistics.median(hot) < 150, hot  # one core, as `docker stats` would say
    assert max(cold) < 5, cold
    for container in ids.values():
        point = history.points(container)[-1]
        assert 0 < point.memory < point.limit, point

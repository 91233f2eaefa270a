"""CPU % and memory as `docker stats` computes them (core.engine.stats), from one-shot
readings: the CLI's formula over two of ours, its "usage minus cache" on cgroup v1 and v2,
and ten minutes of history per container."""

from __future__ import annotations

from typing import Any

import pytest

from fromscratch.core.engine.stats import (
    History,
    Reading,
    cpu_percent,
    memory_used,
    reading_of,
)


def answer(
    cpu: int, system: int, *, cpus: int = 4, memory: dict[str, Any] | None = None
) -> dict[str, Any]:
    return {
        "read": "2026-12-06T04:00:00Z",
        "cpu_stats": {
            "cpu_usage": {"total_usage": cpu},
            "system_cpu_usage": system,
            "online_cpus": cpus,
        },
        "precpu_stats": {"cpu_usage": {"total_usage": 0}},  # one-shot: empty
        "memory_stats": memory or {"usage": 50_000_000, "limit": 2_000_000_000},
    }


def test_cpu_is_the_clis_formula_over_two_readings() -> None:
    first = reading_of(answer(1_000_000_000, 100_000_000_000), 0.0)
    # one second later: the container used 0.5 s of CPU while the host's 4 CPUs ran 4 s
    second = reading_of(answer(1_500_000_000, 104_000_000_000), 1.0)
    assert first is not None and second is not None
    assert cpu_percent(first, second) == pytest.approx(0.5 / 4 * 4 * 100)  # half a core: 50 %
    busy = reading_of(answer(5_500_000_000, 108_000_000_000), 2.0)  # a whole core: 4 of 4 s
    assert busy is not None and cpu_percent(second, busy) == pytest.approx(400.0)


def test_an_engine_that_counts_one_cpus_time_reads_right_too() -> None:
    """Podman 5's system_cpu_usage advances one second a second on any host (Docker's by one
    second per CPU): a busy loop on 2 CPUs must read 100 %, not 200 %."""
    second = 10**9
    docker = (Reading(0.0, 0, 0, 2, 0, 0), Reading(1.0, second, 2 * second, 2, 0, 0))
    podman = (Reading(0.0, 0, 0, 2, 0, 0), Reading(1.0, second, second, 2, 0, 0))
    assert cpu_percent(*docker) == pytest.approx(100.0)
    assert cpu_percent(*podman) == pytest.approx(100.0)
    # an answer that came late (at the engine's next tick): the engine's own times count
    late = Reading(1.9, second, 2 * second, 2, 0, 0, sampled=1001.0)
    assert cpu_percent(docker[0]._replace(sampled=1000.0), late) == pytest.approx(100.0)
    eight = (Reading(0.0, 0, 0, 8, 0, 0), Reading(1.0, 4 * second, 8 * second, 8, 0, 0))
    assert cpu_percent(*eight) == pytest.approx(400.0)  # four of eight cores


def test_no_cpu_where_the_host_time_did_not_move_or_is_missing() -> None:
    a = Reading(0.0, 10, 100, 2, 0, 0)
    assert cpu_percent(a, a._replace(cpu_total=20)) is None
    assert cpu_percent(a, a._replace(system_total=0, cpu_total=20)) is None
    assert cpu_percent(a, a._replace(cpu_total=5, system_total=200)) is None  # restarted


def test_memory_is_usage_minus_cache_on_cgroup_v1_and_v2() -> None:
    v1 = {"usage": 100, "limit": 1000, "stats": {"total_inactive_file": 30, "inactive_file": 10}}
    assert memory_used(v1) == 70  # v1's total_inactive_file wins
    v2 = {"usage": 100, "limit": 1000, "stats": {"inactive_file": 25}}
    assert memory_used(v2) == 75
    bigger = {"usage": 100, "stats": {"inactive_file": 250}}
    assert memory_used(bigger) == 100  # never below zero: the usage as it is
    assert memory_used({"usage": 42}) == 42


def test_the_engines_read_time_is_kept_to_the_nanosecond() -> None:
    from fromscratch.core.engine.stats import _seconds

    assert _seconds("2026-12-06T04:16:52.210060065Z") == pytest.approx(1796530612.210060065)
    assert _seconds("2026-12-06T05:16:52.5+01:00") == pytest.approx(1796530612.5)
    assert _seconds("0001-01-01T00:00:00Z") == 0.0
    assert _seconds("") == 0.0 and _seconds("yesterday") == 0.0


def test_a_container_that_does_not_run_gives_no_reading() -> None:
    stopped = {"read": "0001-01-01T00:00:00Z", "cpu_stats": {}, "memory_stats": {}}
    assert reading_of(stopped, 0.0) is None


def test_cpus_fall_back_to_the_per_cpu_list() -> None:
    old = answer(1, 2)
    del old["cpu_stats"]["online_cpus"]
    old["cpu_stats"]["cpu_usage"]["percpu_usage"] = [1, 1, 1]
    reading = reading_of(old, 0.0)
    assert reading is not None and reading.online_cpus == 3


def test_history_keeps_ten_minutes_and_starts_a_new_pair_after_a_gap() -> None:
    clock = [0.0]
    history = History(seconds=600, clock=lambda: clock[0])
    for second in range(0, 700):
        history.add("c1", Reading(float(second), second * 10**9, second * 4 * 10**9, 4, 5, 10))
    points = history.points("c1")
    assert points[0].at >= 99 and points[-1].at == 699
    assert len(points) == 601
    assert points[0].cpu == pytest.approx(100.0)  # a whole core, every second
    history.gap("c1")
    after = history.add("c1", Reading(800.0, 0, 0, 4, 5, 10))
    assert after.cpu is None  # no delta across the gap
    history.forget(["other"])
    assert history.points("c1") == []


class SlowEngine:
    """Answers a stats request after `delay` seconds, as an engine does at its next
    collection tick; counts connections and what is open."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.open = 0
        self.made = 0
        self.where = "slow engine"

    def transport(self) -> Any:
        engine = self
        engine.open += 1
        engine.made += 1
        calls = [0]

        class Transport:
            where = "slow engine"

            def get_json(self, path: str) -> Any:
                import time

                time.sleep(engine.delay)
                calls[0] += 1
                return answer(calls[0] * 10**8, calls[0] * 10**9, cpus=1)

            def close(self) -> None:
                engine.open -= 1

        return Transport()


def test_the_poller_reads_every_container_at_once_and_stops_cleanly() -> None:
    """Four containers whose answers take 0.3 s each: read together, a round takes 0.3 s,
    not 1.2 s; watching none reads nothing; a stop closes every connection and keeps
    nothing read after it."""
    import time

    from fromscratch.core.engine.endpoint import Endpoint
    from fromscratch.core.engine.stats import StatsPoller

    engine = SlowEngine(0.3)
    history = History()
    seen: list[str] = []
    poller = StatsPoller(
        Endpoint("unix:///nowhere.sock", "a test"),
        history,
        lambda container, _point: seen.append(container),
        interval=0.3,
        transport=engine.transport,
    )
    ids = ["a", "b", "c", "d"]
    poller.watch(ids)
    time.sleep(1.5)
    counts = {c: len(history.points(c)) for c in ids}
    assert min(counts.values()) >= 2, counts  # read in turn, each would have one
    assert engine.made == 4  # one kept-alive connection each
    poller.watch([])
    time.sleep(0.5)
    assert engine.open == 0  # containers no longer read: their connections closed
    quiet = len(seen)
    time.sleep(0.6)
    assert len(seen) == quiet  # watching none reads nothing
    poller.watch(["a"])
    time.sleep(0.1)  # a request under way ...
    poller.stop()
    stopped = len(seen)
    time.sleep(0.5)
    assert len(seen) == stopped  # ... is not kept after the stop
    assert engine.open == 0

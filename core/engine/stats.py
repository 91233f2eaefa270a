"""Containers' CPU and memory, as `docker stats` computes them, from one-shot requests.

`GET /containers/{id}/stats?stream=false&one-shot=true` answers at once with one reading (a
stream per container, or `stream=false` without `one-shot`, which waits a second to fill
`precpu_stats`, costs far more). CPU % needs two readings: the CLI's formula is applied to two
of ours in a row:

    CPU % = (container CPU time delta / host CPU time delta) x online CPUs x 100

so 100 % is one whole core and 400 % four. Memory is the CLI's "usage minus cache": usage
minus `total_inactive_file` on cgroup v1, minus `inactive_file` on cgroup v2, over the limit
(the host's memory when no limit is set).

Readings are kept per container for the last HISTORY_SECONDS, so a plot has its history when
it is shown again.
"""

from __future__ import annotations

import re
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any, NamedTuple

from fromscratch.core.engine.endpoint import Endpoint
from fromscratch.core.engine.transport import Transport, open_transport

HISTORY_SECONDS = 600.0
"""How much history each container keeps: the last ten minutes."""
DEFAULT_INTERVAL = 1.0
"""Seconds between two readings of the same container."""
CPU_FORMULA = (
    "CPU % as `docker stats` computes it: the container's CPU time over the host's, times the "
    "{cpus} online CPU(s), times 100 (100 % is one whole core); an engine whose host CPU time "
    "counts one CPU only (Podman) is not multiplied again"
)
MEMORY_RULE = (
    "memory as `docker stats` counts it: usage minus the inactive page cache "
    "(total_inactive_file on cgroup v1, inactive_file on v2)"
)


class Reading(NamedTuple):
    """One answer of the stats endpoint, reduced to what the figures need."""

    at: float
    """When it was read (time.monotonic)."""
    cpu_total: int
    """The container's CPU time so far, ns."""
    system_total: int
    """The host's CPU time so far, ns (0 where the engine does not say: no CPU %)."""
    online_cpus: int
    memory: int
    """Used, as the CLI counts it (bytes)."""
    limit: int
    sampled: float = 0.0
    """When the engine took it (its `read` time, Unix seconds; 0 when it does not say)."""


class Point(NamedTuple):
    """A plotted point: seconds since the history began, CPU % (None for the first reading
    or where the engine gives no host CPU time), memory used and its limit."""

    at: float
    cpu: float | None
    memory: int
    limit: int


def memory_used(memory_stats: Mapping[str, Any]) -> int:
    """The CLI's rule (cli/command/container/stats_helpers.go, calculateMemUsageUnixNoCache)."""
    usage = int(memory_stats.get("usage") or 0)
    stats = memory_stats.get("stats") or {}
    v1 = stats.get("total_inactive_file")
    if v1 is not None and int(v1) < usage:
        return usage - int(v1)
    v2 = stats.get("inactive_file")
    if v2 is not None and int(v2) < usage:
        return usage - int(v2)
    return usage


def reading_of(stats: Mapping[str, Any], at: float) -> Reading | None:
    """A :class:`Reading` from one stats answer; None for a container that is not running
    (the engine answers zeros and no `read` time for those)."""
    cpu = stats.get("cpu_stats") or {}
    usage = cpu.get("cpu_usage") or {}
    memory = stats.get("memory_stats") or {}
    if not usage or not memory:
        return None
    cpus = int(cpu.get("online_cpus") or 0) or len(usage.get("percpu_usage") or ()) or 1
    return Reading(
        at,
        int(usage.get("total_usage") or 0),
        int(cpu.get("system_cpu_usage") or 0),
        cpus,
        memory_used(memory),
        int(memory.get("limit") or 0),
        _seconds(str(stats.get("read") or "")),
    )


def _seconds(stamp: str) -> float:
    """RFC 3339 with nanoseconds (`2026-12-06T04:16:52.210060065Z`) as Unix seconds; 0 for
    none or the zero time."""
    match = _STAMP.fullmatch(stamp)
    if match is None or match["date"].startswith("0001"):
        return 0.0
    whole = datetime.fromisoformat(f"{match['date']}T{match['time']}{match['zone']}")
    fraction = float("0." + match["fraction"]) if match["fraction"] else 0.0
    return whole.timestamp() + fraction


_STAMP = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})T(?P<time>\d{2}:\d{2}:\d{2})(?:\.(?P<fraction>\d+))?"
    r"(?P<zone>Z|[+-]\d{2}:\d{2})"
)


def cpu_percent(before: Reading, now: Reading) -> float | None:
    """The CLI's formula over two readings (None when the host's CPU time did not move or is
    not given).

    Docker's `system_cpu_usage` is the CPU time of all the host's CPUs together: on 2 CPUs it
    advances 2 s a second. Podman 5's advances 1 s a second (measured: a busy loop then read
    200 % on 2 CPUs), so the formula's "x online CPUs" would count each CPU twice. Which kind an
    engine gives is told from the readings themselves: how fast it advanced against the
    clock between them (the engine's clock: its `read` times), which is about one CPU's time
    or all of them (apart by a factor of the CPUs, at least 2)."""
    system = now.system_total - before.system_total
    used = now.cpu_total - before.cpu_total
    if system <= 0 or used < 0 or not now.system_total:
        return None
    cpus = now.online_cpus
    # the engine's own times of the two readings; ours (when the answers came) else
    wall = now.sampled - before.sampled if now.sampled and before.sampled else now.at - before.at
    if cpus > 1 and wall > 0 and system / wall < 1e9 * (cpus + 1) / 2:
        cpus = 1  # one CPU's time, as Podman counts it: no CPU is counted twice
    return used / system * cpus * 100.0


class History:
    """Each container's points over the last HISTORY_SECONDS. Thread-safe: the poller adds,
    the window reads."""

    def __init__(
        self, seconds: float = HISTORY_SECONDS, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.seconds = seconds
        self.began = clock()
        self._clock = clock
        self._points: dict[str, deque[Point]] = {}
        self._last: dict[str, Reading] = {}
        self._lock = threading.Lock()
        self.cpus = 0
        """Online CPUs, from the last reading (for the CPU formula's text)."""

    def add(self, container: str, reading: Reading) -> Point:
        with self._lock:
            before = self._last.get(container)
            self._last[container] = reading
            cpu = cpu_percent(before, reading) if before is not None else None
            point = Point(reading.at - self.began, cpu, reading.memory, reading.limit)
            points = self._points.setdefault(container, deque())
            points.append(point)
            oldest = point.at - self.seconds
            while points and points[0].at < oldest:
                points.popleft()
            self.cpus = reading.online_cpus
            return point

    def gap(self, container: str) -> None:
        """The container stopped being read: the next reading starts a new CPU pair (a
        delta across the pause would be an average, not a reading)."""
        with self._lock:
            self._last.pop(container, None)

    def points(self, container: str) -> list[Point]:
        with self._lock:
            return list(self._points.get(container, ()))

    def forget(self, keep: Iterable[str]) -> None:
        """Drop the history of containers no longer there."""
        keep = set(keep)
        with self._lock:
            for container in [c for c in self._points if c not in keep]:
                del self._points[container]
                self._last.pop(container, None)


class StatsPoller:
    """Reads the stats of `watch(ids)` every `interval` seconds, all of them at once (the
    engine answers a one-shot request at its next collection tick, up to a second later: read
    one after another, eight containers took eight seconds a round), one request and one
    kept-alive connection each; `on_point(id, point)` after each reading. Nothing is read
    while the set is empty; `stop()` ends the threads."""

    def __init__(
        self,
        endpoint: Endpoint,
        history: History,
        on_point: Callable[[str, Point], None],
        *,
        interval: float = DEFAULT_INTERVAL,
        transport: Callable[[], Transport] | None = None,
    ) -> None:
        self.endpoint = endpoint
        self.history = history
        self.on_point = on_point
        self.interval = interval
        self._open = transport or (lambda: open_transport(endpoint, timeout=5.0))
        self._ids: tuple[str, ...] = ()
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._transports: dict[str, Transport] = {}
        self._pool: ThreadPoolExecutor | None = None
        self.requests = 0
        """Requests made (tests and benchmarks read it)."""

    def watch(self, ids: Iterable[str]) -> None:
        ids = tuple(dict.fromkeys(ids))
        for gone in set(self._ids) - set(ids):
            self.history.gap(gone)
        self._ids = ids
        if ids and (self._thread is None or not self._thread.is_alive()):
            self._stopping.clear()
            self._thread = threading.Thread(target=self._run, name="container-stats", daemon=True)
            self._thread.start()
        self._wake.set()

    @property
    def watching(self) -> tuple[str, ...]:
        return self._ids

    def stop(self, wait: float = 2.0) -> None:
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(wait)
        self._thread = None

    def _run(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=8, thread_name_prefix="container-stats")
        try:
            while not self._stopping.is_set():
                ids = self._ids
                if not ids:
                    self._close(keep=())
                    self._wake.wait()
                    self._wake.clear()
                    continue
                started = time.monotonic()
                self._close(keep=ids)
                for _ in self._pool.map(self._read, ids):
                    pass
                rest = self.interval - (time.monotonic() - started)
                self._wake.wait(max(rest, 0.05))
                self._wake.clear()
        finally:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._close(keep=())

    def _read(self, container: str) -> None:
        """One reading of `container`, on its own connection."""
        if self._stopping.is_set() or container not in self._ids:
            return
        transport = self._transports.get(container)
        try:
            if transport is None:
                transport = self._transports[container] = self._open()
            answer = transport.get_json(f"/containers/{container}/stats?stream=false&one-shot=true")
        except Exception:
            self._transports.pop(container, None)
            if transport is not None:
                transport.close()
            self.history.gap(container)
            return
        finally:
            self.requests += 1
        if self._stopping.is_set():
            return  # stopped while it was asked: read after the stop, it is not kept
        reading = reading_of(answer if isinstance(answer, dict) else {}, time.monotonic())
        if reading is None:
            self.history.gap(container)
            return
        self.on_point(container, self.history.add(container, reading))

    def _close(self, keep: Iterable[str]) -> None:
        """Connections of containers no longer read."""
        keep = set(keep)
        for container in [c for c in self._transports if c not in keep]:
            self._transports.pop(container).close()

"""`fromscratch watch --format jsonl` on a real engine: build, tag, a rebuild that moves the
tag, rmi, run, pause, unpause, stop, rm: every change appears exactly once, in order."""

from __future__ import annotations

import json
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from tests.support.dockerd import Dockerd


class Watch:
    """The command running, its JSON lines collected by a thread."""

    def __init__(self, engine: Dockerd, tmp_path: Path) -> None:
        env = {**engine.env, "FROMSCRATCH_CACHE_DIR": str(tmp_path / "cache")}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "fromscratch", "watch", "--format", "jsonl"],
            env=env,
            cwd=Path(__file__).parents[2],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: queue.Queue[dict[str, Any]] = queue.Queue()
        self.seen: list[dict[str, Any]] = []
        self.said: list[str] = []
        self.readers = [
            threading.Thread(target=self._read, daemon=True),
            threading.Thread(target=self._read_errors, daemon=True),
        ]
        for reader in self.readers:
            reader.start()

    def _read_errors(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.said.append(line)

    def wait_said(self, text: str, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while not any(text in line for line in self.said):
            assert time.monotonic() < deadline, (text, self.said)
            assert self.process.poll() is None, self.said  # never a crash
            time.sleep(0.1)

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(json.loads(line))

    def until(self, kind: str, timeout: float = 15.0) -> dict[str, Any]:
        """Lines up to the first of `kind` (all kept in `seen`)."""
        deadline = time.monotonic() + timeout
        while True:
            record = self.lines.get(timeout=max(0.1, deadline - time.monotonic()))
            self.seen.append(record)
            if record["kind"] == kind:
                return record

    def until_record(self, wanted: Any, timeout: float = 15.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            record = self.lines.get(timeout=max(0.1, deadline - time.monotonic()))
            self.seen.append(record)
            if wanted(record):
                return record

    stopped_in = 0.0
    """Seconds from Ctrl+C (SIGINT) to the process's end."""

    def stop(self) -> tuple[int, str]:
        started = time.monotonic()
        self.process.send_signal(signal.SIGINT)
        code = self.process.wait(timeout=15)
        self.stopped_in = time.monotonic() - started
        for reader in self.readers:  # they end at the pipes' end
            reader.join(10)
        for pipe in (self.process.stdout, self.process.stderr):
            if pipe is not None:
                pipe.close()
        while not self.lines.empty():
            self.seen.append(self.lines.get())
        return code, "".join(self.said)


def tagged(record: dict[str, Any], image: str, tag: str) -> bool:
    """The record says `image` has `tag`: added with it, or tagged with it."""
    return record["image"]["id"] == image and tag in record["image"]["tags"]


def test_watch_reports_each_change_once_in_order(
    dockerd: Dockerd, zoo: dict[str, str], tmp_path: Path
) -> None:
    """The classic builder commits an image before it tags it, and runs containers of its
    own: a listing between the two says so (added, then tagged), and those containers come
    and go. The check keeps to the images and the container of the scenario."""
    assert zoo  # the engine is up, with its images
    watch = Watch(dockerd, tmp_path)
    time.sleep(1.5)  # its first listing is the baseline
    first = dockerd.build(
        "zoo/watched:1", 'FROM scratch\nCOPY busybox /bin/busybox\nCMD ["x"]\n', buildkit=False
    )
    watch.until_record(lambda r: "image" in r and tagged(r, first, "zoo/watched:1"))
    dockerd.docker("tag", "zoo/watched:1", "zoo/watched:2")
    assert watch.until("image-tagged")["tag"] == "zoo/watched:2"
    moved = dockerd.build(
        "zoo/watched:1", 'FROM scratch\nCOPY busybox /bin/busybox\nCMD ["y"]\n', buildkit=False
    )
    watch.until_record(lambda r: "image" in r and tagged(r, moved, "zoo/watched:1"))
    dockerd.docker("rmi", "zoo/watched:2")
    assert watch.until("image-removed")["image"]["id"] == first
    name = "watched-run"
    dockerd.docker("run", "-d", "--name", name, "zoo/watched:1", "/bin/busybox", "sleep", "300")
    watch.until("container-started")
    dockerd.docker("pause", name)
    watch.until("container-paused")
    dockerd.docker("unpause", name)
    watch.until("container-unpaused")
    dockerd.docker("stop", "-t", "1", name)
    watch.until("container-stopped")
    dockerd.docker("rm", name)
    gone = watch.until("container-removed")
    assert gone["container"]["name"] == name and gone["container"]["image"] == moved
    dockerd.docker("rmi", "zoo/watched:1")
    watch.until_record(lambda r: r["kind"] == "image-removed" and r["image"]["id"] == moved)
    code, err = watch.stop()
    assert code == 130, err
    ours = [
        r
        for r in watch.seen
        if r.get("image", {}).get("id") in (first, moved)
        or r.get("container", {}).get("name") == name
    ]
    story = [
        (r["kind"], r.get("tag", ""), r.get("image", {}).get("id", ""))
        for r in ours
        if r["kind"] != "image-added"  # added with its tag, or untagged first (see above)
        and not (r["kind"] == "image-tagged" and r["tag"] == "zoo/watched:1")
    ]
    assert story == [
        ("image-tagged", "zoo/watched:2", first),
        ("image-untagged", "zoo/watched:1", first),
        ("image-removed", "", first),
        ("container-created", "", ""),
        ("container-started", "", ""),
        ("container-paused", "", ""),
        ("container-unpaused", "", ""),
        ("container-stopped", "", ""),
        ("container-removed", "", ""),
        ("image-removed", "", moved),
    ]
    assert [r["kind"] for r in ours].count("image-added") == 2  # first, moved: once each
    keys = [json.dumps({**r, "time": ""}, sort_keys=True) for r in watch.seen]
    assert len(set(keys)) == len(keys)  # nothing twice


def test_watch_outlives_an_engine_stopped_frozen_and_killed(tmp_path: Path) -> None:
    """Stopped: it says the engine stopped answering and waits; started again: it says so and
    reports what changes. Frozen (SIGSTOP) and resumed: no hang, changes still come. Killed
    (SIGKILL): it says so and stays, until Ctrl+C."""
    from tests.integration.conftest import private_dockerd

    with private_dockerd() as daemon:
        daemon.load_forest("2", prefix="gone")
        watch = Watch(daemon, tmp_path)
        watch.wait_said("watching")
        time.sleep(1.0)
        daemon.halt()
        watch.wait_said("stopped answering")
        daemon.start()
        watch.wait_said("answers again")
        daemon.docker("tag", "gone-0:latest", "gone-0:back")
        assert watch.until("image-tagged")["tag"] == "gone-0:back"
        daemon.kill(signal.SIGSTOP)
        time.sleep(3)
        assert watch.process.poll() is None  # a frozen engine: the watcher waits, alive
        daemon.kill(signal.SIGCONT)
        daemon.docker("tag", "gone-1:latest", "gone-1:thawed")
        assert watch.until("image-tagged", timeout=40)["tag"] == "gone-1:thawed"
        said = len([line for line in watch.said if "stopped answering" in line])
        daemon.kill(signal.SIGKILL)
        deadline = time.monotonic() + 20
        while len([line for line in watch.said if "stopped answering" in line]) == said:
            assert time.monotonic() < deadline, watch.said
            time.sleep(0.1)
        assert watch.process.poll() is None
        code, errors = watch.stop()
        assert code == 130, errors
        assert "Traceback" not in errors
        assert watch.stopped_in < 2  # Ctrl+C with the engine gone: at once, not in 5 s


def test_ctrl_c_stops_watch_at_once_with_the_engine_frozen(tmp_path: Path) -> None:
    from tests.integration.conftest import private_dockerd

    with private_dockerd() as daemon:
        watch = Watch(daemon, tmp_path)
        watch.wait_said("watching")
        time.sleep(1.0)
        daemon.kill(signal.SIGSTOP)
        try:
            time.sleep(2.0)  # the event stream and any listing now wait on a frozen engine
            code, errors = watch.stop()
        finally:
            daemon.kill(signal.SIGCONT)
        assert code == 130 and "Traceback" not in errors, errors
        assert watch.stopped_in < 2, watch.stopped_in

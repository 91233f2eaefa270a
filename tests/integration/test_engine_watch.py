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

from fromscratch.testing.dockerd import Dockerd


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
        threading.Thread(target=self._read, daemon=True).start()

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

    def stop(self) -> tuple[int, str]:
        self.process.send_signal(signal.SIGINT)
        _out, err = self.process.communicate(timeout=15)
        while not self.lines.empty():
            self.seen.append(self.lines.get())
        return self.process.returncode, err


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

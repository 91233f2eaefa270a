"""`fromscratch watch` latency on a real engine (a private dockerd, as the tests start it):
from `docker tag` returning to the watcher's line, and from `docker run -d` returning to its
`container-started` line. Target (issue 12): under 0.5 s median.

usage: python -m bench.bench_watch [--repeat 20]
"""

from __future__ import annotations

import argparse
import json
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.support.dockerd import start_dockerd

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    daemon = start_dockerd()
    try:
        daemon.load_forest("2", prefix="bench")
        daemon.build("bench/run:1", "FROM scratch\nCOPY busybox /bin/busybox\n", buildkit=False)
        with tempfile.TemporaryDirectory() as cache:
            env = {**daemon.env, "FROMSCRATCH_CACHE_DIR": cache}
            watch = subprocess.Popen(
                [sys.executable, "-m", "fromscratch", "watch", "--format", "jsonl"],
                env=env,
                cwd=REPO,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
            )
            assert watch.stdout is not None
            time.sleep(2.0)  # its first listing
            latencies = []
            for n in range(args.repeat):
                daemon.docker("tag", "bench-0:latest", f"bench-0:t{n}")
                returned = time.perf_counter()
                record = json.loads(watch.stdout.readline())
                latencies.append(time.perf_counter() - returned)
                assert record["kind"] == "image-tagged" and record["tag"] == f"bench-0:t{n}"
                time.sleep(0.3)
            runs = []
            for n in range(args.repeat):
                name = f"bench-run-{n}"
                daemon.docker(
                    "run", "-d", "--name", name, "bench/run:1", "/bin/busybox", "sleep", "1d"
                )
                returned = time.perf_counter()
                while True:
                    record = json.loads(watch.stdout.readline())
                    started = record["kind"] == "container-started"
                    if started and record["container"]["name"] == name:
                        break
                runs.append(time.perf_counter() - returned)
                time.sleep(0.3)
            watch.send_signal(signal.SIGINT)
            watch.wait(15)
            watch.stdout.close()
    finally:
        daemon.stop()
    for what, measured in (("docker tag", latencies), ("docker run -d", runs)):
        ms = sorted(x * 1000 for x in measured)
        median = statistics.median(ms)
        verdict = "MET" if median < 500 else "NOT MET"
        print(
            f"{what} -> watch line, {len(ms)} times: median {median:.0f} ms, "
            f"max {ms[-1]:.0f} ms (target median < 500 ms: {verdict})"
        )


if __name__ == "__main__":
    main()

"""`fromscratch watch` latency on a real engine (a private dockerd, as the tests start it):
from `docker tag` returning to the watcher's line. Target (issue 12): under 0.5 s median.

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

from fromscratch.testing.dockerd import start_dockerd

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    daemon = start_dockerd()
    try:
        daemon.load_forest("2", prefix="bench")
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
            watch.send_signal(signal.SIGINT)
            watch.wait(15)
            watch.stdout.close()
    finally:
        daemon.stop()
    ms = sorted(x * 1000 for x in latencies)
    median = statistics.median(ms)
    print(
        f"docker tag -> watch line, {len(ms)} tags: median {median:.0f} ms, "
        f"max {ms[-1]:.0f} ms (target median < 500 ms: {'MET' if median < 500 else 'NOT MET'})"
    )


if __name__ == "__main__":
    main()

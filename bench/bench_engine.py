"""1,110 images in a real engine: cold and warm `fromscratch tree --format json` against
`docker images -q` and `docker image inspect $(docker images -q)` in the same run.

Targets (issue 2): warm (cache filled) faster than the inspect-all command; cold (empty cache)
<= 3x it. Needs root and dockerd; starts and stops its own daemon.
usage: python -m bench.bench_engine [--fanout 10,10,10] [--repeat 3]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.support.dockerd import DOCKER_CLI, start_dockerd


def timed(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--fanout", default="10,10,10")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    daemon = start_dockerd()
    try:
        daemon.load_forest(args.fanout)
        ids = daemon.docker("images", "-q").split()
        cache = Path(tempfile.mkdtemp(prefix="fs-bench-cache-"))
        env = {**daemon.env, "FROMSCRATCH_CACHE_DIR": str(cache)}
        ours = [sys.executable, "-m", "fromscratch", "tree", "--format", "json"]
        rows: dict[str, list[float]] = {"list": [], "inspect-all": [], "cold": [], "warm": []}
        for _ in range(args.repeat):
            rows["list"].append(timed([DOCKER_CLI, "images", "-q"], env))
            rows["inspect-all"].append(timed([DOCKER_CLI, "image", "inspect", *ids], env))
            shutil.rmtree(cache, ignore_errors=True)
            rows["cold"].append(timed(ours, env))
            rows["warm"].append(timed(ours, env))
        med = {k: statistics.median(v) for k, v in rows.items()}
        print(f"images: {len(ids)}, repeats: {args.repeat} (medians, whole commands)")
        print(f"docker images -q                    {med['list'] * 1000:8.0f} ms")
        print(f"docker image inspect $(...)         {med['inspect-all'] * 1000:8.0f} ms")
        print(
            f"fromscratch tree --format json cold {med['cold'] * 1000:8.0f} ms = "
            f"{med['cold'] / med['inspect-all']:.2f}x inspect-all (target <= 3x: "
            f"{'MET' if med['cold'] <= 3 * med['inspect-all'] else 'NOT MET'})"
        )
        print(
            f"fromscratch tree --format json warm {med['warm'] * 1000:8.0f} ms = "
            f"{med['warm'] / med['inspect-all']:.2f}x inspect-all (target < 1x: "
            f"{'MET' if med['warm'] < med['inspect-all'] else 'NOT MET'})"
        )
        shutil.rmtree(cache, ignore_errors=True)
    finally:
        daemon.stop()


if __name__ == "__main__":
    main()

"""Launch -> first painted tree on the bundled sample, this checkout against an older one in the
same run (issue 20: "the launch benchmark no slower"), each with a bare PySide6 window started
the same way (bench.gui_child). The runs are interleaved (old bare, old app, new bare, new app,
then the new first), since this machine's speed drifts; the ratio to the bare window is the
median of the runs' ratios.

usage: python -m bench.bench_launch --old WORKTREE [--repeat 21]
  (git worktree add /tmp/old <commit>; an older checkout runs from its own files, its
  `packaging` folder first on the path, as the app did before the parts were mapped)
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def launch(tree: Path, mode: str, path: str | None) -> float:
    """Seconds from spawning the child to its first painted frame."""
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "DOCKER_HOST": "unix:///nonexistent.sock",  # the sample
        "XDG_CONFIG_HOME": tempfile.mkdtemp(prefix="bench-launch-"),
        "FROMSCRATCH_CACHE_DIR": tempfile.mkdtemp(prefix="bench-launch-"),
    }
    env.pop("PYTHONPATH", None)
    if path is not None:
        env["PYTHONPATH"] = path
    start = time.time()
    done = subprocess.run(
        [sys.executable, "-m", "bench.gui_child", mode],
        env=env,
        cwd=tree,
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    line = next(line for line in done.stdout.splitlines() if line.startswith("painted"))
    return float(line.split()[1]) - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--old", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=21)
    args = parser.parse_args()
    old = args.old.resolve()
    trees = {"old": (old, f"{old / 'packaging'}:{old}"), "now": (REPO, None)}
    runs: dict[tuple[str, str], list[float]] = {
        (name, mode): [] for name in trees for mode in ("bare", "app")
    }
    for round_ in range(args.repeat):
        order = list(trees.items()) if round_ % 2 == 0 else list(trees.items())[::-1]
        for name, (tree, path) in order:  # each first in turn: the first run of a round differs
            for mode in ("bare", "app"):
                runs[(name, mode)].append(launch(tree, mode, path))
    for name in trees:
        app, bare = runs[(name, "app")], runs[(name, "bare")]
        ratio = statistics.median(a / b for a, b in zip(app, bare, strict=True))
        print(
            f"{name}: app {statistics.median(app):.3f} s, bare window "
            f"{statistics.median(bare):.3f} s, ratio {ratio:.2f}x (median of {len(app)} runs)"
        )


if __name__ == "__main__":
    main()

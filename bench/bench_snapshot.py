"""Opening 10,250 synthetic images: snapshot open + lineage + layout vs a bare `json.load`.

Target (issue 2): the extra work costs no more than the parse itself.
Target (issue 11): the disk figures (core.disk.usage) cost no more than the lineage.
usage: python -m bench.bench_snapshot [--repeat 5]
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import tempfile
import time
from pathlib import Path

from fromscratch.core.disk.usage import disk_usage
from fromscratch.core.formats.snapshot import load
from fromscratch.core.graph.layout import tidy_layout
from fromscratch.core.graph.lineage import build_tree
from tests.support.synthetic import write_synthetic


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        file = Path(tmp) / "synthetic.json"
        write_synthetic(file)
        import networkx  # noqa: F401 - imported once, outside the timings

        parse_times, ours, stages, disk_times = [], [], [], []
        count = nodes = 0
        for _ in range(args.repeat):
            gc.collect()  # each round starts from the same heap: nothing kept from the last one
            t0 = time.perf_counter()
            with file.open("rb") as handle:
                json.load(handle)
            t1 = time.perf_counter()
            inventory = load(file)
            t2 = time.perf_counter()
            tree = build_tree(inventory.images)
            graph = tree.to_networkx()  # what `build` gives scripts: the same dicts, O(1)
            t3 = time.perf_counter()
            positions = tidy_layout(tree)
            t4 = time.perf_counter()
            disk_usage(tree)
            disk_times.append(time.perf_counter() - t4)
            parse_times.append(t1 - t0)
            ours.append(t4 - t1)
            stages.append((t2 - t1, t3 - t2, t4 - t3))
            count, nodes = len(inventory.images), len(positions)
            del inventory, tree, graph, positions
        parse, total = statistics.median(parse_times), statistics.median(ours)
        open_s, lineage_s, layout_s = (statistics.median(s[i] for s in stages) for i in range(3))
        print(
            f"images: {count}, nodes: {nodes}, "
            f"file: {file.stat().st_size / 1e6:.1f} MB, repeats: {args.repeat} (medians)"
        )
        print(f"json.load alone          {parse * 1000:8.1f} ms")
        print(
            f"open+lineage+layout      {total * 1000:8.1f} ms  (open {open_s * 1000:.1f}, "
            f"lineage {lineage_s * 1000:.1f}, layout {layout_s * 1000:.1f})"
        )
        extra = total - parse
        verdict = "MET" if extra <= parse else "NOT MET"
        print(
            f"extra over the parse     {extra * 1000:8.1f} ms  = {extra / parse:.2f}x the "
            f"parse; target <= 1.00x: {verdict}"
        )
        disk = statistics.median(disk_times)
        verdict = "MET" if disk <= lineage_s else "NOT MET"
        print(
            f"disk figures (df)        {disk * 1000:8.1f} ms  = {disk / lineage_s:.2f}x the "
            f"lineage; target <= 1.00x: {verdict}"
        )


if __name__ == "__main__":
    main()

"""A layer's index against what its bytes demand (issue 19's targets):

- an uncompressed layer: read_layer <= 1.3x GNU `tar -t` of the same tar (and the Python
  reader alone, the C reader of plain entries left out, in the same run);
- a gzip layer: read_layer <= 1.2x `gzip -dc | tar -t` (one core);
- peak memory <= 60 MiB + 300 bytes per entry for an image of 200,000 files (a fresh
  process's peak resident set, VmHWM, the interpreter included);
- the cache: the same layer from the layer cache.

usage: python -m bench.bench_layers [--entries 200000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import gzip
import io
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

CHILD = """
import sys
from fromscratch.core.layers.tarindex import read_layer
with open(sys.argv[1], "rb") as raw:
    layer = read_layer(raw, "bench")
peak = next(l for l in open("/proc/self/status") if l.startswith("VmHWM:")).split()[1]
print(len(layer.entries), peak)
"""
# VmHWM, not ru_maxrss: a child's ru_maxrss keeps the forking parent's size across exec.


def make_layer(path: Path, entries: int) -> None:
    """`entries` small files in folders of 100, as a package-heavy image's layer."""
    data = b"x" * 512
    with tarfile.open(path, "w", format=tarfile.PAX_FORMAT) as tar:
        for n in range(entries):
            info = tarfile.TarInfo(f"usr/lib/pkg{n // 100}/file-{n}.so")
            info.size = len(data)
            info.mode = 0o644
            info.mtime = 1_700_000_000
            tar.addfile(info, io.BytesIO(data))


def timed(work: object, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    from fromscratch.core.layers.cache import LayerCache
    from fromscratch.core.layers.tarindex import read_layer

    folder = Path(tempfile.mkdtemp(prefix="bench-layers-"))
    try:
        plain = folder / "layer.tar"
        make_layer(plain, args.entries)
        packed = folder / "layer.tar.gz"
        with plain.open("rb") as source, gzip.open(packed, "wb", compresslevel=6) as sink:
            shutil.copyfileobj(source, sink)

        def ours(path: Path, *, in_c: bool = True) -> None:
            with path.open("rb") as raw:
                read_layer(raw, "bench", in_c=in_c)

        def tar_t() -> None:
            subprocess.run(["tar", "-tf", str(plain)], stdout=subprocess.DEVNULL, check=True)

        def gzip_t() -> None:
            subprocess.run(f"gzip -dc {packed} | tar -t > /dev/null", shell=True, check=True)

        # each measure taken in turn, repeat by repeat: the machine's speed drifts
        plain_rows = [
            (
                timed(tar_t, 1),
                timed(lambda: ours(plain), 1),
                timed(lambda: ours(plain, in_c=False), 1),
            )
            for _ in range(args.repeat)
        ]
        gzip_rows = [(timed(gzip_t, 1), timed(lambda: ours(packed), 1)) for _ in range(args.repeat)]
        cache = LayerCache(folder / "cache")
        with plain.open("rb") as raw:
            layer = read_layer(raw, "bench")
        cache.put(layer)
        cached = timed(lambda: cache.get(layer.diff_id), args.repeat)
        child = subprocess.run(
            [sys.executable, "-c", CHILD, str(plain)], capture_output=True, text=True, check=True
        )
        count, peak_kib = (int(v) for v in child.stdout.split())
        mib = peak_kib / 1024
        target = 60 + 300 * count / 2**20
        size = plain.stat().st_size / 2**20
        packed_mib = packed.stat().st_size / 2**20
        print(f"{args.entries:,} entries, tar {size:.0f} MiB, gzip {packed_mib:.1f} MiB")
        columns = zip(*plain_rows, strict=True)
        tar_s, c_s, python_s = (statistics.median(column) for column in columns)
        plain_ratio = statistics.median(c / tar for tar, c, _ in plain_rows)
        python_ratio = statistics.median(py / tar for tar, _, py in plain_rows)
        print(f"plain: ours {c_s:.2f} s, tar -t {tar_s:.2f} s: {plain_ratio:.2f}x", end="")
        print(f" (the Python reader alone: {python_s:.2f} s, {python_ratio:.2f}x)")
        gzip_s, packed_s = (statistics.median(column) for column in zip(*gzip_rows, strict=True))
        gzip_ratio = statistics.median(ours_s / t for t, ours_s in gzip_rows)
        print(f"gzip: ours {packed_s:.2f} s, gzip -dc | tar -t {gzip_s:.2f} s: ", end="")
        print(f"{gzip_ratio:.2f}x (targets: 1.3x plain, 1.2x gzip)")
        print(f"from the cache: {cached:.2f} s")
        print(f"peak resident {mib:.0f} MiB for {count:,} entries (target {target:.0f} MiB)")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()

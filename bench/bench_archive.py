"""Opening `docker save` archives: the reader of this checkout against another one (the last
commit's, say), in the same run: a 1,110-image forest (many small members) and one image
whose layer holds 20,000 files in 400 MB (the layer headers are now read to count its bytes
as the engine does), plain and gzip.

usage: python -m bench.bench_archive [--old PATH/TO/old/archive.py] [--repeat 3]
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import importlib.util
import io
import json
import shutil
import statistics
import tarfile
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fromscratch.core.formats import archive
from tests.support.image_forest import write_forest


def big_layer_archive(path: Path, files: int = 20_000, each: int = 20_000) -> None:
    """One image, one layer of `files` files of `each` bytes (written without holding them)."""
    layer = path.with_suffix(".layer")
    with tarfile.open(layer, "w") as tar:
        data = bytes(each)
        for n in range(files):
            entry = tarfile.TarInfo(f"usr/share/f{n}")
            entry.size = each
            tar.addfile(entry, io.BytesIO(data))
    digest = hashlib.sha256(layer.read_bytes()).hexdigest()
    config = json.dumps(
        {
            "os": "linux",
            "architecture": "amd64",
            "rootfs": {"type": "layers", "diff_ids": [f"sha256:{digest}"]},
            "history": [{"created_by": "ADD files /"}],
        }
    ).encode()
    manifest = [{"Config": "c.json", "RepoTags": ["big:1"], "Layers": [f"{digest}/layer.tar"]}]
    with tarfile.open(path, "w") as tar:
        tar.add(layer, arcname=f"{digest}/layer.tar")
        for name, data in (("c.json", config), ("manifest.json", json.dumps(manifest).encode())):
            entry = tarfile.TarInfo(name)
            entry.size = len(data)
            tar.addfile(entry, io.BytesIO(data))
    layer.unlink()


def gzipped(path: Path) -> Path:
    out = path.with_suffix(path.suffix + ".gz")
    with path.open("rb") as source, gzip.open(out, "wb", compresslevel=1) as sink:
        shutil.copyfileobj(source, sink, 1 << 20)
    return out


def measure(read: Callable[[Path], Any], path: Path, repeat: int) -> tuple[float, float]:
    """Median seconds and peak MiB (tracemalloc, Python's allocations)."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        read(path)
        times.append(time.perf_counter() - started)
    tracemalloc.start()
    read(path)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return statistics.median(times), peak


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--old", type=Path, help="another archive.py to measure beside it")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    readers: dict[str, Callable[[Path], Any]] = {"this": archive.read_archive}
    if args.old:
        spec = importlib.util.spec_from_file_location("old_archive", args.old)
        assert spec is not None and spec.loader is not None
        old = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(old)
        readers["old"] = old.read_archive
    with tempfile.TemporaryDirectory() as tmp:
        forest = Path(tmp) / "forest.tar"
        write_forest(forest, [10, 10, 10])
        big = Path(tmp) / "big.tar"
        big_layer_archive(big)
        cases = [forest, gzipped(forest), big, gzipped(big)]
        for case in cases:
            for name, read in readers.items():
                seconds, peak = measure(read, case, args.repeat)
                size = case.stat().st_size / 2**20
                line = f"{case.name:16} {size:7.1f} MiB  {name:5} {seconds:7.3f} s"
                print(f"{line}  {peak:7.1f} MiB peak")


if __name__ == "__main__":
    main()

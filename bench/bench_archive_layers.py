"""An image's layers read on all cores at once (issue 19): a `docker save` archive of one
image of several layers, gzip (as Docker 28's containerd store saves them) and plain, read
by the all-cores reader against the one-pass reader (the previous code), in the same run.

usage: python -m bench.bench_archive_layers [--layers 8] [--files 25000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import os
import shutil
import tarfile
import tempfile
from pathlib import Path

from bench.bench_layers import timed


def layer(n: int, files: int) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as tar:
        for m in range(files):
            info = tarfile.TarInfo(f"usr/lib/layer{n}/pkg{m // 100}/f{m}.so")
            data = os.urandom(64) * 8  # 512 bytes, compressible only so far
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return out.getvalue()


def archive(path: Path, layers: int, files: int, *, packed: bool) -> None:
    with tarfile.open(path, "w") as tar:
        for n in range(layers):
            blob = layer(n, files)
            if packed:
                blob = gzip.compress(blob, compresslevel=6)
            info = tarfile.TarInfo(f"blobs/sha256/{hashlib.sha256(blob).hexdigest()}")
            info.size = len(blob)
            tar.addfile(info, io.BytesIO(blob))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--layers", type=int, default=8)
    parser.add_argument("--files", type=int, default=25_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from fromscratch.core.layers.saved import read_saved, read_saved_file

    folder = Path(tempfile.mkdtemp(prefix="bench-archive-layers-"))
    try:
        print(f"{os.cpu_count()} cores; {args.layers} layers of {args.files:,} files each")
        for packed in (True, False):
            path = folder / "save.tar"
            archive(path, args.layers, args.files, packed=packed)

            def one_pass(path: Path = path) -> object:
                with path.open("rb") as raw:
                    return read_saved(raw, "bench")

            def all_cores(path: Path = path) -> object:
                return read_saved_file(path, "bench")

            before = timed(one_pass, args.repeat)
            now = timed(all_cores, args.repeat)
            size = path.stat().st_size / 2**20
            kind = "gzip" if packed else "plain"
            print(f"{kind} ({size:.0f} MiB): one pass {before:.2f} s, ", end="")
            print(f"all cores {now:.2f} s: {before / now:.2f}x faster")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()

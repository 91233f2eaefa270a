"""An unpacked layer folder walked (issue 19's target: >= 30,000 entries a second), against
the same layer read from the engine's save stream (what is read without the folders), in
the same run. A private Docker 20.10 engine (overlay2) imports a layer of N small files in
folders of 100 (bench.bench_layers.make_layer) and a real Debian user space (the CI's sid
root, when built); each is read both ways, best of `--repeat`. Needs root and dockerd
(tests.support.dockerd), like the engine tests.

usage: sudo python -m bench.bench_unpacked [--entries 200000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from bench.bench_layers import make_layer


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from fromscratch.core.engine.endpoint import Endpoint
    from fromscratch.core.formats.inventory import Image
    from fromscratch.core.layers.reading import EngineLayers
    from tests.support.dockerd import SID_ROOT, EngineKind, start_dockerd

    engine = start_dockerd(EngineKind.DOCKER_HOST)
    folder = Path(tempfile.mkdtemp(prefix="bench-unpacked-"))
    try:
        tar = folder / "layer.tar"
        make_layer(tar, args.entries)
        engine.docker("import", str(tar), "bench/files:1")
        refs = {f"{args.entries:,} small files": "bench/files:1"}
        if (SID_ROOT / "usr").is_dir():
            root = subprocess.run(
                ["tar", "-C", str(SID_ROOT), "--exclude=./share", "-c", "."],
                capture_output=True,
                check=True,
            ).stdout
            engine.docker("import", "-", "bench/debian:sid", stdin=root)
            refs["a Debian sid user space"] = "bench/debian:sid"
        endpoint = Endpoint(engine.url, "bench")
        for what, ref in refs.items():
            info = json.loads(engine.docker("image", "inspect", ref))[0]
            image = Image(info["Id"], (ref,), tuple(info["RootFS"]["Layers"]), None)
            times = {}
            for how, unpacked in (("walked", True), ("streamed", False)):
                best = float("inf")
                for _ in range(args.repeat):
                    source = EngineLayers(endpoint, unpacked=unpacked)
                    start = time.perf_counter()
                    read = source.read([image], lambda _d: False, None, lambda _layer: None)
                    best = min(best, time.perf_counter() - start)
                    entries = sum(len(layer.entries) for layer in read.values())
                    assert source.walked == (1 if unpacked else 0)
                times[how] = best
            rate = entries / times["walked"]
            verdict = "MET" if rate >= 30_000 else "NOT MET"
            print(
                f"{what} ({entries:,} entries): walked {times['walked']:.2f} s = "
                f"{rate:,.0f} entries/s (target >= 30,000: {verdict}); "
                f"streamed {times['streamed']:.2f} s ({times['streamed'] / times['walked']:.1f}x)"
            )
    finally:
        engine.stop()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()

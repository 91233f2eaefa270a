"""A host's images read file by file (issue 19's target: each distinct layer read once).
A private engine holds a base and N images on it; every image's files are read through the
layer cache from an empty cache two ways: image by image, as the Files tab does when each is
selected in turn (`image_layers`), and all at once, as `snapshot save --with-files` does
(`host_layers`: one save request). The bench counts the bytes the engine streamed and the
layers indexed, against the sum of the images' sizes and the distinct layers.
Needs root and dockerd (tests.support.dockerd), like the engine tests.

usage: sudo python -m bench.bench_host_layers [--images 10] [--kind docker28-overlay2]
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path
from typing import IO

BASE = "FROM scratch\nCOPY busybox /bin/busybox\nCOPY big /usr/share/big\n"
APP = "FROM bench/base:1\nCOPY app{n} /app/file\n"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--images", type=int, default=10)
    parser.add_argument("--kind", default="docker-host", help="an EngineKind value")
    args = parser.parse_args()
    from fromscratch.core.engine.endpoint import Endpoint
    from fromscratch.core.formats.inventory import Image
    from fromscratch.core.layers import reading, saved, tarindex
    from fromscratch.core.layers.cache import LayerCache
    from fromscratch.core.layers.reading import EngineLayers, host_layers, image_layers
    from tests.support.dockerd import EngineKind, start_dockerd

    streamed = [0]
    indexed = [0]
    read_layer = tarindex.read_layer

    class Counted(saved.Chunks):
        def read(self, size: int = -1) -> bytes:
            data = super().read(size)
            streamed[0] += len(data)
            return bytes(data)

    def counted_read(raw: IO[bytes], where: str, cancelled: object = None) -> tarindex.LayerIndex:
        indexed[0] += 1
        return read_layer(raw, where, cancelled)  # type: ignore[arg-type]  # as given

    setattr(reading, "Chunks", Counted)  # noqa: B010 - counting what the engine streams
    setattr(saved, "read_layer", counted_read)  # noqa: B010 - and each layer indexed
    engine = start_dockerd(EngineKind(args.kind))
    folder = Path(tempfile.mkdtemp(prefix="bench-host-"))
    try:
        files = {"big": bytes(20 * 2**20)}
        files.update({f"app{n}": bytes(1000 + n) for n in range(args.images)})
        engine.build("bench/base:1", BASE, buildkit=True, files=files)
        for n in range(args.images):
            engine.build(f"bench/app:{n}", APP.format(n=n), buildkit=True, files=files)
        images = []
        for n in range(args.images):
            info = json.loads(engine.docker("image", "inspect", f"bench/app:{n}"))[0]
            images.append(
                Image(info["Id"], (f"bench/app:{n}",), tuple(info["RootFS"]["Layers"]), None)
            )
        sizes = sum(
            int(json.loads(engine.docker("image", "inspect", f"bench/app:{n}"))[0]["Size"])
            for n in range(args.images)
        )
        distinct = {d for image in images for d in image.layers}
        # the save stream (a remote engine, or not root); bench_unpacked measures the walk
        source = EngineLayers(Endpoint(engine.url, "bench"), unpacked=False)
        print(f"{args.images} images on one 20 MiB base, Docker {engine.kind.value}:")
        total = sizes / 2**20
        for how in ("image by image", "all at once"):
            cache = LayerCache(folder / how.replace(" ", "-"))
            streamed[0] = indexed[0] = 0
            start = time.perf_counter()
            if how == "all at once":
                host_layers(images, cache, source)
            else:
                for image in images:
                    image_layers(image, cache, source)
            took = time.perf_counter() - start
            print(
                f"  {how}: layers indexed {indexed[0]} for {len(distinct)} distinct "
                f"(target: each once); streamed {streamed[0] / 2**20:.1f} MiB, the images "
                f"add up to {total:.1f} MiB; {took:.2f} s"
            )
    finally:
        engine.stop()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()

"""The layer cache: by diff-ID, whole files only, names of any bytes, damaged files read
again, the least recently used out past the cap, the folder private."""

from __future__ import annotations

import io
import os
import stat
import time
from pathlib import Path

import pytest

from fromscratch.core.formats.inventory import Image
from fromscratch.core.formats.parse import InputError
from fromscratch.core.layers.cache import LayerCache
from fromscratch.core.layers.reading import image_layers
from fromscratch.core.layers.tarindex import Cancelled, LayerIndex, read_layer
from tests.core.layers.layertar import file, layer_tar


def layer(*names: str, data: bytes = b"x") -> LayerIndex:
    return read_layer(io.BytesIO(layer_tar(*(file(n, data) for n in names))), "layer")


def test_an_index_comes_back_exactly(tmp_path: Path) -> None:
    cache = LayerCache(tmp_path / "layers")
    kept = layer("bin/sh", "odd-\udcff\nname", "<b>x</b>")
    cache.put(kept)
    assert cache.get(kept.diff_id) == kept
    assert stat.S_IMODE((tmp_path / "layers").stat().st_mode) == 0o700
    assert cache.get("sha256:" + "0" * 64) is None
    assert cache.get("sha256:../../etc/passwd") is None  # never a path out of the folder


def test_a_damaged_file_is_removed_and_not_trusted(tmp_path: Path) -> None:
    cache = LayerCache(tmp_path)
    kept = layer("a")
    cache.put(kept)
    (stored,) = tmp_path.glob("*.layer")
    stored.write_bytes(stored.read_bytes()[:-7])
    assert cache.get(kept.diff_id) is None and not stored.exists()
    other = layer("b")
    cache.put(other)
    (moved,) = tmp_path.glob("*.layer")
    moved.rename(tmp_path / f"{kept.diff_id[7:]}.layer")  # another layer's file under its name
    assert cache.get(kept.diff_id) is None


def test_the_least_recently_used_go_past_the_cap(tmp_path: Path) -> None:
    layers = [layer(*(f"{n}-{k}" for k in range(200))) for n in range(4)]
    cache = LayerCache(tmp_path, cap=10**9)
    for kept in layers:
        cache.put(kept)
    sizes = sorted(p.stat().st_size for p in tmp_path.glob("*.layer"))
    past = time.time() - 100
    for n, kept in enumerate(layers):
        os.utime(tmp_path / f"{kept.diff_id[7:]}.layer", (past + n, past + n))
    assert cache.get(layers[0].diff_id) is not None  # used now: the newest
    cache.cap = sum(sizes) - 1
    cache.put(layers[3])  # trims
    assert cache.has(layers[0].diff_id) and not cache.has(layers[1].diff_id)
    assert cache.has(layers[2].diff_id) and cache.has(layers[3].diff_id)


class Source:
    where = "a test source"

    def __init__(self, layers: dict[str, LayerIndex], fail: Exception | None = None) -> None:
        self.layers, self.fail, self.calls = layers, fail, 0

    def read(self, images, known, cancelled, keep, *, hold=True):  # type: ignore[no-untyped-def]
        self.calls += 1
        if self.fail is not None:
            raise self.fail
        read = {d: v for d, v in self.layers.items() if not known(d)}
        for layer in read.values():
            keep(layer)
        return read


def test_a_layer_is_read_once_and_a_part_read_never_enters(tmp_path: Path) -> None:
    base, top = layer("base"), layer("top")
    image = Image("sha256:" + "1" * 64, ("app:1",), (base.diff_id, top.diff_id), None)
    cache = LayerCache(tmp_path)
    with pytest.raises(Cancelled):
        image_layers(image, cache, Source({}, fail=Cancelled()))
    assert not list(tmp_path.glob("*.layer"))
    source = Source({base.diff_id: base, top.diff_id: top})
    assert image_layers(image, cache, source) == [base, top]
    assert image_layers(image, cache, source) == [base, top] and source.calls == 1
    with pytest.raises(InputError, match=r"app:1: 1 of its 2 layers is not in the cache"):
        image_layers(
            Image("sha256:" + "2" * 64, ("app:1",), (base.diff_id, "sha256:" + "f" * 64), None),
            cache,
            None,
        )


def test_a_snapshots_layer_files_are_adopted_when_they_are_what_they_say(
    tmp_path: Path,
) -> None:
    import base64

    source = LayerCache(tmp_path / "a")
    kept, other = layer("x"), layer("y")
    source.put(kept)
    source.put(other)
    raw = source.raw(kept.diff_id)
    assert raw is not None
    carried = {
        kept.diff_id: base64.b64encode(raw).decode(),
        other.diff_id: base64.b64encode(raw).decode(),  # another layer's file: refused
        "sha256:" + "1" * 64: "not base64!",
        "../../evil": base64.b64encode(raw).decode(),
    }
    target = LayerCache(tmp_path / "b")
    assert target.adopt(carried) == 1
    assert target.get(kept.diff_id) == kept and not target.has(other.diff_id)
    assert sorted(p.name for p in (tmp_path / "b").iterdir()) == [f"{kept.diff_id[7:]}.layer"]

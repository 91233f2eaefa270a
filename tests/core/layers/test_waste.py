"""dive's figures with dive's definitions, on layers whose figures are worked out by hand,
and the bytes a build writing each path once would really save."""

from __future__ import annotations

import io

from fromscratch.core.layers.tarindex import LayerIndex, read_layer
from fromscratch.core.layers.waste import waste
from tests.core.layers.layertar import Item, file, folder, layer_tar


def index(*items: Item) -> LayerIndex:
    return read_layer(io.BytesIO(layer_tar(*items)), "layer")


def test_dives_definitions_on_layers_worked_out_by_hand() -> None:
    base = index(
        folder("bin"),
        file("bin/sh", bytes(100)),
        file("etc/conf", bytes(10)),
        file("big/data", bytes(1000)),
        folder("tmp"),
        file("tmp/a", bytes(50)),
        file("tmp/b", bytes(30)),
    )
    second = index(file("etc/conf", bytes(12)), file("big/.wh.data", b""), file("app", bytes(200)))
    third = index(file(".wh.tmp", b""), file("etc/conf", bytes(12)), file("app2", bytes(5)))
    # Leaves met, path by path (a whiteout: the bytes it hides if a folder, else 0):
    #   bin/sh 100 | etc/conf 10, 12, 12 | big/data 1000, 0 | tmp/a 50 | tmp/b 30 | app 200
    #   tmp 80 (the folder is no leaf in the base: met once) | app2 5
    result = waste([base, second, third])
    smallest = 100 + 10 + 0 + 50 + 30 + 200 + 80 + 5
    written = 100 + (10 + 12 + 12) + (1000 + 0) + 50 + 30 + 200 + 80 + 5
    assert result.efficiency == smallest / written
    assert result.wasted_bytes == 34 + 1000  # every copy of a path met twice, the kept one too
    assert result.size_bytes == (100 + 10 + 1000 + 50 + 30) + (12 + 200) + (12 + 5)
    assert result.user_bytes == (12 + 200) + (12 + 5)  # all but the bottom layer
    assert result.wasted_user_percent == 1034 / 229
    # writing etc/conf once saves 22 (12 stays); big/data was never needed: 1000
    assert result.reclaimable == 22 + 1000
    assert [(d.path, d.layers, d.written, d.reclaimable) for d in result.files] == [
        ("big/data", (0, 1), 1000, 1000),
        ("etc/conf", (0, 1, 2), 34, 22),
    ]


def test_an_image_written_once_wastes_nothing() -> None:
    result = waste([index(file("a", bytes(5))), index(file("b", bytes(7)))])
    assert (result.efficiency, result.wasted_bytes, result.reclaimable) == (1.0, 0, 0)
    assert result.wasted_user_percent == 0.0 and result.files == ()
    empty = waste([index(folder("x"))])
    assert empty.efficiency == 1.0 and empty.user_bytes == 0


def test_a_whiteout_of_a_path_that_was_never_there_counts_nothing() -> None:
    result = waste([index(file("a", bytes(5))), index(file(".wh.ghost", b""), file("b", bytes(7)))])
    assert result.efficiency == 1.0 and result.user_bytes == 7  # and layer 2 is read on


def test_byte_sizes_read_as_dive_reads_them() -> None:
    import pytest

    from fromscratch.core.formats.parse import InputError
    from fromscratch.core.layers.gate import Rule, parse_bytes

    rule = Rule.HIGHEST_WASTED_BYTES
    assert parse_bytes("20MB", rule) == parse_bytes("20Mb", rule) == 20_000_000
    assert parse_bytes("20MiB", rule) == 20 * 2**20 and parse_bytes("512", rule) == 512
    assert parse_bytes("1.5 GB", rule) == 1_500_000_000 and parse_bytes("2k", rule) == 2000
    for bad in ("20 MBB", "-1MB", "lots"):
        with pytest.raises(InputError, match="not a byte size"):
            parse_bytes(bad, rule)

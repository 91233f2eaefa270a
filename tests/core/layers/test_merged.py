"""Layers applied bottom to top as the OCI image spec says: whiteouts, opaque folders, a file
over a folder; each path with the layer that wrote it last and the ones before."""

from __future__ import annotations

import io

from fromscratch.core.layers.entries import EntryType
from fromscratch.core.layers.merged import merge
from fromscratch.core.layers.tarindex import LayerIndex, read_layer
from tests.core.layers.layertar import Item, file, folder, layer_tar, symlink


def index(*items: Item) -> LayerIndex:
    return read_layer(io.BytesIO(layer_tar(*items)), "layer")


def test_whiteouts_opaque_folders_and_overwrites() -> None:
    base = index(
        folder("etc"),
        file("etc/motd", b"hello"),
        file("etc/keep", b"k"),
        folder("var/lib/apt"),
        file("var/lib/apt/lists", b"123456"),
        file("var/lib/apt/more/deep", b"1"),
        folder("srv"),
        file("srv/old", b"o"),
        file("bin/tool", b"v1"),
    )
    second = index(
        file("etc/.wh.motd"),  # removes etc/motd
        folder("var/lib/apt"),
        file("var/lib/apt/.wh..wh..opq"),  # hides what the base held in var/lib/apt
        file("var/lib/apt/new", b"n"),
        file("srv", b"now a file"),  # a file over a folder: srv/old goes too
        file("bin/tool", b"v2!", mode=0o755),
    )
    third = index(Item("bin/tool", mode=0o700, data=b"v2!"))  # a chmod copies the file
    merged = merge([base, second, third])
    assert "etc/motd" not in merged and merged["etc/keep"].layer == 0
    assert not any(p.startswith("var/lib/apt/") and p != "var/lib/apt/new" for p in merged)
    assert merged["var/lib/apt"].layer == 1 and merged["var/lib/apt/new"].layer == 1
    assert merged["srv"].entry.type == EntryType.FILE and "srv/old" not in merged
    tool = merged["bin/tool"]
    assert (tool.layer, tool.earlier, tool.entry.mode, tool.entry.size) == (2, (0, 1), 0o700, 3)
    assert not any(".wh." in p for p in merged)  # markers are instructions, not files


def test_a_whiteout_applies_to_lower_layers_only_and_the_root_can_be_opaque() -> None:
    lower = index(file("a", b"1"), file("d/x", b"2"), symlink("l", "a"))
    upper = index(file(".wh..wh..opq"), file("d/y", b"3"))
    merged = merge([lower, upper])
    assert set(merged) == {"d/y"}
    again = merge([lower, index(file(".wh.d"), file("d", b"file now"))])
    assert merged is not again and again["d"].entry.type == EntryType.FILE
    assert "d/x" not in again and again["d"].earlier == ()  # removed, then written anew

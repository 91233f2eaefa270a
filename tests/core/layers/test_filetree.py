"""The Files view's tree: folders with the bytes under them, what each filter keeps, one
layer's changes marked, a search keeping the folders that lead to what it found."""

from __future__ import annotations

import io

from fromscratch.core.layers.filetree import Mark, Shown, file_tree
from fromscratch.core.layers.tarindex import LayerIndex, read_layer
from tests.core.layers.layertar import Item, file, folder, layer_tar


def index(*items: Item) -> LayerIndex:
    return read_layer(io.BytesIO(layer_tar(*items)), "layer")


LAYERS = [
    index(folder("usr"), file("usr/bin/sh", bytes(100)), file("etc/motd", bytes(7))),
    index(file("usr/bin/app", bytes(30)), file("etc/.wh.motd", b""), file("usr/bin/sh", bytes(90))),
]


def names(tree, rows) -> list[str]:  # type: ignore[no-untyped-def]
    return [tree.rows[n].name for n in rows]


def test_all_files_with_folder_totals() -> None:
    tree = file_tree(LAYERS)
    assert names(tree, tree.top) == ["usr"]  # etc went with its only file
    usr = tree.rows[tree.top[0]]
    (bin_,) = usr.children
    assert usr.total == 120 and tree.rows[bin_].total == 120 and tree.bytes == 120
    assert names(tree, tree.rows[bin_].children) == ["app", "sh"]
    sh = next(r for r in tree.rows if r.path == "usr/bin/sh")
    assert (sh.layer, sh.writes) == (1, 2) and (tree.files, tree.folders) == (2, 2)


def test_filters_and_search() -> None:
    own = file_tree(LAYERS, Shown.OWN, own_from=1)
    assert {r.path for r in own.rows if not r.is_folder} == {"usr/bin/app", "usr/bin/sh"}
    wasted = file_tree(LAYERS, Shown.WASTED)
    assert {r.path for r in wasted.rows if not r.is_folder} == {"usr/bin/sh"}
    changes = file_tree(LAYERS, Shown.LAYER, layer=1)
    marks = {r.path: r.mark for r in changes.rows if r.mark is not None}
    assert marks == {
        "usr/bin/app": Mark.ADDED,
        "usr/bin/sh": Mark.CHANGED,
        "etc/motd": Mark.REMOVED,
    }
    found = file_tree(LAYERS, search="APP")
    assert [r.path for r in found.rows] == ["usr", "usr/bin", "usr/bin/app"]


def test_a_deep_path_needs_no_recursion() -> None:
    deep = "/".join(["d"] * 3000) + "/f"
    tree = file_tree([index(file(deep, b"x"))])
    assert tree.files == 1 and tree.folders == 3000 and tree.bytes == 1


def test_compared_with_its_parent() -> None:
    """The top layer against the bottom one: what this image did to its base's files."""
    compared = file_tree(LAYERS, Shown.COMPARED, own_from=1)
    marks = {r.path: r.mark for r in compared.rows if r.mark is not None}
    assert marks == {
        "usr/bin/app": Mark.ADDED,
        "usr/bin/sh": Mark.CHANGED,
        "etc/motd": Mark.REMOVED,
    }
    assert compared.bytes == 30 + 90  # a removed file's bytes are not counted as shown

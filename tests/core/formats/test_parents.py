"""Parent fields that go round in a circle: a file is refused, naming the field; engine data
is placed by layers and history instead, and nothing ever walks the circle."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from fromscratch.core.formats.snapshot import image_to_json
from fromscratch.core.graph.lineage import build_tree
from fromscratch.core.graph.records import SCRATCH_ID, EdgeMethod
from fromscratch.core.graph.tree import Tree, ancestry
from tests.core.helpers import child_of, digest, image, step

BASE = image("base:1", [digest("b")], [step("ADD rootfs", 1)])
APP = child_of(BASE, "app:1", 1)
TOOL = child_of(APP, "tool:1", 1)
LOOPED = [replace(BASE, parent=TOOL.id), replace(APP, parent=BASE.id), replace(TOOL, parent=APP.id)]
"""base's Parent is tool, whose Parent is app, whose Parent is base."""


def inspect_file(path: Path, images: list) -> Path:  # type: ignore[type-arg]
    path.write_text(json.dumps([image_to_json(i)["inspect"] for i in images]))
    return path


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "fromscratch", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_file_whose_parents_go_round_is_refused_in_one_line(tmp_path: Path) -> None:
    looped = [
        replace(BASE, parent=TOOL.id),
        replace(APP, parent=BASE.id),
        replace(TOOL, parent=APP.id),
    ]
    path = inspect_file(tmp_path / "looped.json", looped)
    for args in (
        ("tree", "--snapshot", str(path)),
        ("tree", "--snapshot", str(path), "--image", "app:1"),
    ):
        done = cli(*args)
        assert done.returncode == 2, done.stderr
        (line,) = done.stderr.splitlines()
        assert line.startswith(f"fromscratch: {path}: [0].Parent: the parents go round in a circle")
        assert "Traceback" not in done.stderr


def test_an_image_that_is_its_own_parent_is_refused(tmp_path: Path) -> None:
    path = inspect_file(tmp_path / "self.json", [BASE, replace(APP, parent=APP.id)])
    done = cli("tree", "--snapshot", str(path))
    assert done.returncode == 2
    assert "[1].Parent: the parents go round in a circle" in done.stderr


def test_engine_data_with_a_circle_is_placed_by_layers_and_history() -> None:
    """The lineage's own guard, for data that does not come through a file."""
    looped = [
        replace(BASE, parent=TOOL.id),
        replace(APP, parent=BASE.id),
        replace(TOOL, parent=APP.id),
    ]
    tree = build_tree(looped)
    for node in (BASE.id, APP.id, TOOL.id):
        assert ancestry(tree, node)[-1] == SCRATCH_ID  # every image stands on scratch
    assert tree.edges[APP.id, TOOL.id]["method"] in (
        EdgeMethod.PARENT_FIELD,
        EdgeMethod.LAYERS_AND_HISTORY,
    )
    assert list(tree.predecessors(BASE.id)) == [SCRATCH_ID]


def test_ancestry_never_follows_a_loop() -> None:
    tree = Tree()
    attrs = build_tree([BASE]).nodes[BASE.id]
    for node in ("a", "b"):
        tree.add_node(node, attrs)
    edge = {"method": EdgeMethod.BASE, "confidence": 1.0, "ambiguous": False}
    tree.add_edge("a", "b", edge)  # type: ignore[arg-type]
    tree.add_edge("b", "a", edge)  # type: ignore[arg-type]
    assert ancestry(tree, "a") == ["a", "b"]


def test_a_parent_that_stands_on_the_image_is_refused_in_a_file(tmp_path: Path) -> None:
    """base's Parent names app, whose layers extend base's: it used to be ignored unsaid."""
    path = inspect_file(tmp_path / "backwards.json", [replace(BASE, parent=APP.id), APP])
    done = cli("tree", "--snapshot", str(path))
    assert done.returncode == 2, done.stderr
    (line,) = done.stderr.splitlines()
    assert line.startswith(f"fromscratch: {path}: [0].Parent: names {APP.id[7:19]}, whose")
    assert "(it stands on this image)" in line


def test_engine_data_whose_parent_stands_on_it_is_placed_by_layers_and_flagged() -> None:
    tree = build_tree([replace(BASE, parent=APP.id), APP, TOOL])
    assert list(tree.predecessors(BASE.id)) == [SCRATCH_ID]
    edge = tree.edges[SCRATCH_ID, BASE.id]
    assert edge["ambiguous"] and edge["confidence"] <= 0.5  # said, not silently ignored
    assert list(tree.predecessors(APP.id)) == [BASE.id]
    assert not tree.edges[BASE.id, APP.id]["ambiguous"]

"""The session controller without a window: loading, filters, selection and what a story step
points at, driven and read through its signals and state."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from fromscratch.core.formats.inventory import Inventory
from fromscratch.core.formats.snapshot import save
from fromscratch.core.graph.filters import TreeFilter
from fromscratch.core.graph.records import SCRATCH_ID
from fromscratch.core.story.steps import TreeAction
from fromscratch.gui.window.controller import Controller, Shown
from tests.core.helpers import child_of, digest, image, step

BASE = image("base:1", [digest("b")], [step("ADD rootfs", 1)])
APP = child_of(BASE, "app:1", 1)
TOOL = child_of(APP, "tool:1", 2)
LOOSE = child_of(BASE, "", 1, when=5)  # untagged: dangling
OTHER = image("other:1", [digest("o")], [step("ADD other", 1)])


@pytest.fixture
def forest(tmp_path: Path) -> Path:
    inventory = Inventory((BASE, APP, TOOL, LOOSE, OTHER), source="test")
    return save(inventory, tmp_path / "forest.json")


@pytest.fixture(autouse=True)
def stopped_at_the_end() -> Iterator[None]:
    """Every session a test makes is stopped afterwards, as the window stops its own on close:
    no worker of one test outlives it into the next."""
    yield
    for session in SESSIONS:
        session.stop()
    SESSIONS.clear()


SESSIONS: list[Controller] = []


def opened(qtbot: QtBot, path: Path, *, hide_dangling: bool = False) -> tuple[Controller, Shown]:
    session = Controller(hide_dangling=hide_dangling)
    SESSIONS.append(session)
    with qtbot.waitSignal(session.arranged, timeout=10_000) as shown:
        session.open_path(str(path))
    result = shown.args[0] if shown.args else None
    assert isinstance(result, Shown)
    return session, result


def test_a_file_opens_and_is_framed(qtbot: QtBot, forest: Path) -> None:
    session, shown = opened(qtbot, forest)
    assert session.opened is not None and session.opened.path == str(forest)
    assert shown.fit and shown.tree is session.shown
    assert set(shown.tree) == {SCRATCH_ID, BASE.id, APP.id, TOOL.id, LOOSE.id, OTHER.id}
    assert set(shown.positions) == set(shown.tree)
    assert session.failure == ""


def test_selection_is_announced_once_and_leads_to_scratch(qtbot: QtBot, forest: Path) -> None:
    session, _ = opened(qtbot, forest)
    seen: list[str] = []
    session.selection_changed.connect(seen.append)
    session.select(TOOL.id)
    session.select(TOOL.id)
    assert seen == [TOOL.id]
    assert session.path_to_scratch() == [TOOL.id, APP.id, BASE.id, SCRATCH_ID]
    session.select(None)
    assert seen == [TOOL.id, ""] and session.path_to_scratch() == []


def test_selecting_a_hidden_image_lifts_the_filters(qtbot: QtBot, forest: Path) -> None:
    session, shown = opened(qtbot, forest, hide_dangling=True)
    assert LOOSE.id not in shown.tree
    filters: list[TreeFilter] = []
    session.filter_changed.connect(filters.append)
    with qtbot.waitSignal(session.arranged, timeout=10_000):
        session.select(LOOSE.id)
    assert filters == [TreeFilter()]
    assert session.shown is not None and LOOSE.id in session.shown
    assert session.selected == LOOSE.id


def test_only_the_ancestry_follows_the_selection_and_leaves_with_it(
    qtbot: QtBot, forest: Path
) -> None:
    session, _ = opened(qtbot, forest)
    session.select(TOOL.id)
    with qtbot.waitSignal(session.arranged, timeout=10_000) as focused:
        session.set_focus_ancestry(on=True)
    assert set(focused.args[0].tree) == {TOOL.id, APP.id, BASE.id, SCRATCH_ID}
    assert focused.args[0].fit
    with qtbot.waitSignal(session.arranged, timeout=10_000) as whole:
        session.clear_selection()
    assert not session.focus_ancestry and session.selected is None
    assert OTHER.id in whole.args[0].tree


def test_collapse_hides_a_subtree_and_expand_all_brings_it_back(qtbot: QtBot, forest: Path) -> None:
    session, _ = opened(qtbot, forest)
    with qtbot.waitSignal(session.arranged, timeout=10_000) as collapsed:
        session.toggle_collapse(APP.id)
    tree = collapsed.args[0].tree
    assert TOOL.id not in tree and tree.nodes[APP.id]["hidden"] == 1
    assert not collapsed.args[0].fit  # the user's view stays
    with qtbot.waitSignal(session.arranged, timeout=10_000) as expanded:
        session.expand_all()
    assert TOOL.id in expanded.args[0].tree


def test_story_steps_point_at_scratch_or_the_selections_base(qtbot: QtBot, forest: Path) -> None:
    session, _ = opened(qtbot, forest)
    assert session.story_target(TreeAction.SCRATCH) == SCRATCH_ID
    session.select(TOOL.id)
    assert session.story_target(TreeAction.SELECT_BASE) == BASE.id
    assert session.story_target(TreeAction.NONE) is None


def test_a_failed_open_keeps_what_was_open(qtbot: QtBot, forest: Path, tmp_path: Path) -> None:
    session, _ = opened(qtbot, forest)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": "fromscratch-snapshot", "version": 7}))
    with qtbot.waitSignal(session.load_failed, timeout=10_000) as failed:
        session.open_path(str(bad))
    assert failed.args[0].startswith(f"{bad}: version: 7 is newer")
    assert session.failure == failed.args[0]
    assert session.opened is not None and session.opened.path == str(forest)


def test_contents_found_later_join_the_open_data(qtbot: QtBot, forest: Path) -> None:
    session, _ = opened(qtbot, forest)
    from fromscratch.core.layers.summary import Contents

    session.keep_contents(BASE.id, Contents(BASE.id, (("usr", 9),), 3, ()).to_json())
    assert session.opened is not None
    assert session.opened.inventory.contents[BASE.id]["files"] == 3


def test_an_archive_opened_has_its_pictured_user_spaces_read_in_a_worker(
    qtbot: QtBot, tmp_path: Path
) -> None:
    from tests.core.layers.layertar import file, layer_tar
    from tests.core.layers.savebuild import write_save

    base = layer_tar(
        file("bin/sh", bytes(900), 0o755), file("etc/os-release", b"NAME=Tiny\nVERSION=1\n")
    )
    archive = tmp_path / "save.tar"
    ids = write_save(archive, {"tiny:1": [base], "app:1": [base, layer_tar(file("app", b"1"))]})
    session = Controller()
    SESSIONS.append(session)
    with qtbot.waitSignal(session.contents_read, timeout=10_000) as read:
        session.open_path(str(archive))
    assert read.args[0] is session.opened
    assert session.opened.inventory.contents[ids["tiny:1"]]["files"] == 2
    boxes = session.opened.picture.boxes
    assert {box.base for box in boxes} == {ids["tiny:1"]}
    assert all(box.holds.endswith("no kernel") for box in boxes)
    assert all(box.userspace == "Tiny 1 user space" for box in boxes)


def test_connect_to_follows_the_chosen_engine_and_refuses_a_bad_address(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """File > Connect to…: a valid address becomes the session's engine (and reloads); an
    impossible one is said in one line and changes nothing."""
    from PySide6.QtWidgets import QMessageBox

    from fromscratch.gui.window.mainwindow import MainWindow
    from tests.gui.conftest import make_settings

    window = MainWindow(settings=make_settings())
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.arranged, timeout=20_000):
        pass
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: said.append(text))
    window.connector.connect_to("tcp://localhost:99999")
    assert window.controller.host is None and said and "port" in said[0]
    with qtbot.waitSignal(window.controller.loaded, timeout=20_000):
        window.connector.connect_to("unix:///nowhere/podman.sock")
    assert window.controller.host == "unix:///nowhere/podman.sock"
    assert "unix:///nowhere/podman.sock" in window.banner.text.text()

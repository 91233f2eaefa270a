"""Containers on the tree: a badge on each card whose image has containers, coloured by the
liveliest state, counted by the image id they run (not the name they were started with)."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from fromscratch.core.formats.inventory import Container
from fromscratch.core.formats.sample import load_sample
from fromscratch.core.formats.snapshot import save
from fromscratch.core.graph.badges import Badge, badges
from fromscratch.gui.tree.items import BADGE_COLOURS
from fromscratch.gui.window.mainwindow import MainWindow
from tests.gui.conftest import make_settings


def test_counts_by_state_and_image_id() -> None:
    found = badges(
        [
            Container("c1", ("/a",), "sha256:x", "app:1", "running"),
            Container("c2", ("/b",), "sha256:x", "app:1", "exited"),
            Container("c3", ("/c",), "sha256:y", "app:1", "paused"),  # started by name, old id
            Container("c4", ("/d",), "sha256:y", "app:1", "created"),
        ]
    )
    assert found == {"sha256:x": Badge(1, 0, 1), "sha256:y": Badge(0, 1, 1)}
    assert found["sha256:x"].state == "running" and found["sha256:y"].state == "paused"
    assert found["sha256:x"].describe() == "2 containers: 1 running, 1 stopped"
    assert Badge(0, 0, 1).state == "stopped"


def test_cards_wear_their_containers(qtbot: QtBot, tmp_path: Path) -> None:
    from dataclasses import replace

    sample = load_sample()
    python = next(i for i in sample.images if "python:3-bookworm" in i.tags)
    debian = next(i for i in sample.images if "debian:12" in i.tags)
    containers = (
        Container("c1", ("/web",), python.id, "python:3-bookworm", "running"),
        Container("c2", ("/old",), debian.id, "debian:12", "exited"),
    )
    path = save(replace(sample, containers=containers), tmp_path / "with-containers.json")
    window = MainWindow(str(path), settings=make_settings())
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    with qtbot.waitSignal(window.arranged, timeout=20_000):
        pass
    cards = window.view.tree.nodes
    assert cards[python.id].badge == Badge(1, 0, 0)
    assert cards[debian.id].badge == Badge(0, 0, 1)
    assert "1 container: 1 running" in cards[python.id].toolTip()
    others = [item for node, item in cards.items() if node not in (python.id, debian.id)]
    assert all(item.badge is None for item in others)
    window.select_node(python.id)
    window.view.move_to(cards[python.id].sceneBoundingRect().center(), 1.0, animated=False)
    picture = window.view.viewport().grab().toImage()
    corner = window.view.mapFromScene(cards[python.id].sceneBoundingRect().topRight())
    colours = {
        picture.pixelColor(corner.x() - dx, corner.y() + dy).name()
        for dx in range(4, 24)
        for dy in range(0, 10)
    }
    assert BADGE_COLOURS["running"].lower() in colours

"""Presenting, every text the room sees is at least 1/30 of the screen's height: the story's
heading and body, the labels in the kernel picture, the tree's cards and the walk's caption.
Measured from the fonts the items painted with, at a 1024x768 projector and at 4K."""

from __future__ import annotations

import math

import pytest
from pytestqt.qtbot import QtBot

from fromscratch.core.story.steps import STORY
from fromscratch.gui.tree.items import NodeItem
from tests.gui.conftest import shown_window, text_px

SIZES = [(1024, 768), (3840, 2160)]


def presented(qtbot: QtBot, size: tuple[int, int], tab: int = 0):  # type: ignore[no-untyped-def]
    window = shown_window(qtbot)
    window.show_tab(tab)
    # `--present` starts in the placed window, then goes full screen: as wide, taller (the
    # story's height measured at the first size was kept: its last line was cut)
    window.resize(size[0] * 15 // 16, size[1] * 9 // 10)
    window.set_presenting(on=True, full_screen=False)
    window.resize(*size)
    qtbot.waitUntil(lambda: (window.width(), window.height()) == size)
    window.set_presenting(on=True, full_screen=False)  # the screen's size, without a screen
    window.set_reduced_motion(on=True)
    return window


def visible(window) -> set[str]:  # type: ignore[no-untyped-def]
    return {n for n, item in window.view.tree.nodes.items() if item.isVisible()}


def floor(size: tuple[int, int]) -> float:
    return size[1] / 30


@pytest.mark.parametrize("size", SIZES)
def test_the_story_and_its_picture_are_legible_from_the_back_row(
    qtbot: QtBot, size: tuple[int, int]
) -> None:
    window = presented(qtbot, size, tab=1)
    kernel = window.kernel
    kernel.set_reduced_motion(on=True)
    for index in range(len(STORY)):
        kernel.show_step(index, animate=False)
        qtbot.wait(20)
        window.grab()  # paint: the items record the sizes they drew their text at
        for label in (kernel.title, kernel.text, kernel.counter):
            assert label.isVisible() and text_px(label) >= floor(size), (index, label.text())
            # whole: as tall as its wrapped lines, and inside the window (step 6's last
            # line was cut by the screen's edge after a resize)
            assert label.height() >= label.heightForWidth(label.width()), (index, label.text())
            bottom = label.mapTo(window, label.rect().bottomLeft()).y()
            assert bottom <= window.height(), (index, label.text())
        scene = kernel.scene
        shown = [b for b in scene.blocks.values() if b.opacity() > 0.5]
        items = [*shown, scene.caption]
        if scene.line.opacity() > 0.5:
            items.append(scene.line)
        drawn = [(item, px) for item in items for px in item.painted]
        assert drawn, index
        for item, px in drawn:
            on_screen = px / scene.units_per_px
            assert on_screen >= floor(size) - 0.5, (index, getattr(item, "text", item), on_screen)
        # the blocks that carry the story's words still say them
        assert any(b.painted for b in shown if b.kind == "userspace" or b.kind == "frame")


@pytest.mark.parametrize("size", SIZES)
def test_the_presented_tree_walk_is_legible_from_the_back_row(
    qtbot: QtBot, size: tuple[int, int]
) -> None:
    window = presented(qtbot, size)
    story = window.storyline
    walk = story.walk
    assert walk is not None
    qtbot.waitUntil(lambda: len(visible(window)) < 2 * len(walk.chain))
    assert set(walk.chain) <= visible(window)  # the chain and "+N more" cards, not the host
    cards = window.view.tree.nodes
    for index in range(len(walk.steps)):
        story.show_walk(index)
        qtbot.wait(20)
        window.grab()
        for label in (story.caption.title, story.caption.text, story.caption.counter):
            assert text_px(label) >= floor(size), label.text()
        scale = window.view.scale_now()
        for node in walk.chain:
            item = cards[node]
            assert item.painted, item.title  # every card of the chain is labelled
            assert min(item.painted) * scale >= floor(size) - 0.5, (item.title, scale)
        for node in visible(window):  # and no text is cut short ("empty: no files, n…")
            assert not cards[node].cut, cards[node].title
        lit = {n for n in visible(window) if not window.view.tree.dimmed(n)}
        assert lit == walk.lit(walk.steps[index])


def test_leaving_presentation_gives_back_the_tree_and_the_sizes(qtbot: QtBot) -> None:
    window = presented(qtbot, (1024, 768))
    walk = window.storyline.walk
    assert walk is not None
    qtbot.waitUntil(lambda: len(visible(window)) < 2 * len(walk.chain))
    window.set_presenting(on=False)
    qtbot.waitUntil(lambda: len(visible(window)) > 2 * len(walk.chain))
    assert window.presenter.text_px == 0 and NodeItem.min_px == 0
    assert math.isclose(window.view.max_fit, 1.0)


@pytest.mark.parametrize("size", SIZES)
def test_the_disk_rings_are_legible_from_the_back_row(qtbot: QtBot, size: tuple[int, int]) -> None:
    from fromscratch.gui.window.tabs import DISK_TAB

    window = presented(qtbot, size)
    window.show_tab(DISK_TAB)  # made while presenting: at the presented size from the start
    rings = window.tabs.disk
    qtbot.waitUntil(lambda: len(rings.wedges) > 0, timeout=10_000)
    for label in rings.labels:
        label.painted.clear()
    rings.picture.invalidate()
    window.grab()  # paint: the labels record the sizes they drew at
    drawn = [px for label in rings.labels if label.isVisible() for px in label.painted]
    # Whole names or none (labels were cut to "scra…", "ubu…"); at 1/30 of the height only
    # the widest wedges have room for one.
    assert len({id(label) for label in rings.labels if label.painted}) >= 2
    for label in rings.labels:
        if label.isVisible():
            assert "…" not in label.text() and label.text() in label.full, label.text()
    assert drawn and min(drawn) >= floor(size)  # on screen: labels ignore the zoom
    assert text_px(rings.caption) >= floor(size)
    assert rings.caption.geometry().right() <= rings.width()


def test_long_titles_wrap_and_size_lines_shorten_rather_than_cut(qtbot: QtBot) -> None:
    """At the scales a presented tree is drawn at, a card's text is whole: a long tag takes
    two lines, a size line its shorter form ("empty: no files, n…" lost "no kernel")."""
    from PySide6.QtGui import QImage, QPainter, QTransform
    from PySide6.QtWidgets import QStyleOptionGraphicsItem

    from fromscratch.core.graph.records import NodeKind, imageless

    cards = [
        NodeItem("s", imageless(NodeKind.SCRATCH, "scratch"), is_base=False),
        NodeItem("m", imageless(NodeKind.MORE, "+6 more"), is_base=False),
        NodeItem("t", imageless(NodeKind.IMAGE, "buildpack-deps:bookworm-scm"), is_base=True),
    ]
    NodeItem.min_px = 26  # a 768 px projector
    for item in cards:
        # A 27-character tag needs two lines of 26 px: a card holds them from 1.3x (three
        # cards side by side on 1024 px); below that only its short texts are whole.
        for lod in (1.3, 2.0) if item.kind == NodeKind.IMAGE else (1.0, 1.15, 1.3, 2.0):
            image = QImage(600, 160, QImage.Format.Format_ARGB32)
            painter = QPainter(image)
            painter.setWorldTransform(QTransform.fromScale(lod, lod))
            item.paint(painter, QStyleOptionGraphicsItem())
            painter.end()
            assert not item.cut, (item.title, lod)
            assert item.painted and min(item.painted) * lod >= 26 - 0.5, (item.title, lod)
    # What cannot be whole is cut with its "…", never silently (an inferred base's step read
    # "COPY busybox /" with the rest gone)
    step = NodeItem(
        "v", imageless(NodeKind.VIRTUAL, "COPY busybox /bin/busybox # buildkit"), is_base=False
    )
    image = QImage(600, 160, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    painter.setWorldTransform(QTransform.fromScale(1.3, 1.3))
    step.paint(painter, QStyleOptionGraphicsItem())
    painter.end()
    assert step.cut and len(step.lines) == 1
    assert step.lines[0].startswith("COPY busybox /") and step.lines[0].endswith("…")


@pytest.mark.parametrize("mode", ["presenting", "window"])
def test_ring_labels_that_do_not_fit_go_beside_the_rings(qtbot: QtBot, mode: str) -> None:
    """Presented rings named 2 of 20 wedges at 1024x768; in a window, small wedges read
    "pyt…", "no…" with room to spare around the rings."""
    from PySide6.QtCore import QRectF

    from fromscratch.gui.window.tabs import DISK_TAB

    present = mode == "presenting"
    if present:
        window = presented(qtbot, (1024, 768))
    else:
        window = shown_window(qtbot)
        window.resize(1366, 768)
    window.show_tab(DISK_TAB)
    rings = window.tabs.disk
    qtbot.waitUntil(lambda: any(label.outside for label in rings.labels), timeout=10_000)
    port = rings.viewport().rect()
    boxes: list[QRectF] = []
    for label in rings.labels:
        if not label.isVisible():
            assert not label.leader.isVisible()
            continue
        box = label.deviceTransform(rings.viewportTransform()).mapRect(label.boundingRect())
        assert QRectF(port).contains(box), (label.text(), box)
        assert all(not box.intersects(other) for other in boxes), label.text()
        boxes.append(box)
        if label.outside:
            assert label.leaf and label.leader.isVisible()
            assert box.top() > rings.caption.geometry().bottom()
            assert label.text() == label.full or (present and label.text() == label.short)
    outside = [label for label in rings.labels if label.outside]
    assert len(outside) >= (3 if present else 5), [label.text() for label in outside]


@pytest.mark.parametrize("size", SIZES)
def test_what_from_gives_you_says_what_the_files_hold_from_the_back_row(
    qtbot: QtBot, size: tuple[int, int], tmp_path: object
) -> None:
    """Step 6 with a base whose files were read: its user space block names what they hold
    and ends "no kernel", whole phrases on lines, at the floor size (a long summary lost
    everything but its first words, then its whole line, at 1024x768)."""
    from dataclasses import replace
    from pathlib import Path

    from fromscratch.core.formats.sample import load_sample
    from fromscratch.core.formats.snapshot import save
    from fromscratch.core.graph.lineage import build_tree
    from fromscratch.core.layers.summary import Contents
    from fromscratch.core.story.picture import picture_of
    from fromscratch.gui.window.mainwindow import MainWindow
    from tests.gui.conftest import make_settings

    inventory = load_sample()
    base = picture_of(inventory, build_tree(inventory.images), live=False).boxes[0].base
    found = Contents(
        base,
        (("usr", 752_800_000), ("var", 109_300_000), ("etc", 413_000)),
        9297,
        ("apt (Debian/Ubuntu)", "dpkg"),
        executables=648,
        libraries=540,
        os_release="Debian GNU/Linux forky/sid",
    )
    path = save(
        replace(inventory, contents={base: found.to_json()}), Path(str(tmp_path)) / "s.json"
    )
    window = MainWindow(str(path), settings=make_settings())
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.arranged, timeout=20_000):
        pass
    window.show_tab(1)
    window.resize(*size)
    qtbot.waitUntil(lambda: (window.width(), window.height()) == size)
    window.set_presenting(on=True, full_screen=False)
    window.set_reduced_motion(on=True)
    kernel = window.kernel
    kernel.show_step(next(i for i, s in enumerate(STORY) if s.key == "from-ubuntu"), animate=False)
    qtbot.wait(20)
    window.grab()
    block = kernel.scene.blocks["space0"]
    assert block.text == "Debian GNU/Linux forky/sid user space"
    lines = block.said.split("\n")
    assert len(lines) >= 2 and lines[-1].endswith("no kernel"), block.said
    assert "apt (Debian/Ubuntu)" in block.said and "…" not in block.said
    for px in block.painted:
        assert px / kernel.scene.units_per_px >= floor(size) - 0.5

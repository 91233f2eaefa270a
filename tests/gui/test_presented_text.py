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


def presented(qtbot: QtBot, size: tuple[int, int]):  # type: ignore[no-untyped-def]
    window = shown_window(qtbot)
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
    window = presented(qtbot, size)
    window.show_tab(1)
    kernel = window.kernel
    kernel.set_reduced_motion(on=True)
    for index in range(len(STORY)):
        kernel.show_step(index, animate=False)
        qtbot.wait(20)
        window.grab()  # paint: the items record the sizes they drew their text at
        for label in (kernel.title, kernel.text, kernel.counter):
            assert label.isVisible() and text_px(label) >= floor(size), (index, label.text())
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
    from fromscratch.gui.tabs import DISK_TAB

    window = presented(qtbot, size)
    window.show_tab(DISK_TAB)  # made while presenting: at the presented size from the start
    rings = window.tabs.disk
    qtbot.waitUntil(lambda: len(rings.wedges) > 0, timeout=10_000)
    for label, *_ in rings.labels:
        label.painted.clear()
    rings.picture.invalidate()
    window.grab()  # paint: the labels record the sizes they drew at
    drawn = [px for label, *_ in rings.labels if label.isVisible() for px in label.painted]
    assert len({id(label) for label, *_ in rings.labels if label.painted}) >= 5
    assert drawn and min(drawn) >= floor(size)  # on screen: labels ignore the zoom
    assert text_px(rings.caption) >= floor(size)
    assert rings.caption.geometry().right() <= rings.width()

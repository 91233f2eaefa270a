"""One story across both views: PageDown and PageUp (a clicker) step through the kernel
story and on into the walk up the tree, from either tab; the walk lights its own chain and
leaves the user's selection alone."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from fromscratch.core.story.steps import STORY
from fromscratch.gui.window.tabs import KERNEL_TAB, TREE_TAB
from tests.gui.conftest import shown_window


def focused(window):  # type: ignore[no-untyped-def]
    return window.view if window.tabs.currentIndex() == TREE_TAB else window.kernel


def test_pagedown_walks_the_whole_story_from_the_tree_tab_and_back(qtbot: QtBot) -> None:
    window = shown_window(qtbot)
    story = window.storyline
    window.view.reduced_motion = True
    tabs, positions = [], []
    for _ in range(40):
        qtbot.keyClick(focused(window), Qt.Key.Key_PageDown)
        tabs.append(window.tabs.currentIndex())
        positions.append(story.position())
    total = story.total
    walk = story.walk
    assert walk is not None and total == len(STORY) + len(walk.steps)
    assert positions[:total] == list(range(total))  # every step once, in order
    assert set(positions[total:]) == {total - 1}  # then it stays on the last
    assert tabs[: len(STORY)] == [KERNEL_TAB] * len(STORY)
    assert tabs[len(STORY) : total] == [TREE_TAB] * len(walk.steps)
    assert story.caption.isVisible() and window.kernel.next.isEnabled() is True
    for _ in range(len(walk.steps)):
        qtbot.keyClick(focused(window), Qt.Key.Key_PageUp)
    assert window.tabs.currentIndex() == KERNEL_TAB and window.kernel.index == len(STORY) - 1
    assert not story.caption.isVisible()


def test_the_walk_lights_its_chain_and_escape_gives_the_selection_back(qtbot: QtBot) -> None:
    window = shown_window(qtbot)
    story = window.storyline
    walk = story.walk
    assert walk is not None  # nothing selected: the chain the data tells best
    story.show_walk(1)
    lit = {item.node_id for item in window.view.tree._lit[0]}
    assert lit == walk.lit(walk.steps[1])
    assert story.caption.title.text() == walk.steps[1].title
    qtbot.keyClick(window.view, Qt.Key.Key_Escape)
    assert story.at is None and not story.caption.isVisible()


def test_the_walk_goes_up_to_the_selected_image(qtbot: QtBot) -> None:
    """It used to walk alpine's chain while the dock showed the learner's selection."""
    window = shown_window(qtbot)
    shown = window.controller.shown
    chosen = next(n for n, a in shown.nodes(data=True) if "python:3-bookworm" in a["tags"])
    window.select_node(chosen)
    story = window.storyline
    walk = story.walk
    assert walk is not None and walk.chain[0] == "scratch" and walk.chain[-1] == chosen
    story.show_walk(len(walk.steps) - 1)
    assert window.controller.selected == chosen and story.walk is walk  # the same chain, kept
    lit = {item.node_id for item in window.view.tree._lit[0]}
    assert chosen in lit
    qtbot.keyClick(window.view, Qt.Key.Key_Escape)
    lit = {item.node_id for item in window.view.tree._lit[0]}
    assert chosen in lit and story.at is None


def test_the_caption_is_plain_text(qtbot: QtBot) -> None:
    window = shown_window(qtbot)
    caption = window.storyline.caption
    for label in (caption.title, caption.text, caption.counter):
        assert label.textFormat() == Qt.TextFormat.PlainText

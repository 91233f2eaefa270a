"""The window gives its features a Context, and its view state says what the features follow:
presenting, reduced motion, the focused base, each with a signal when it changes."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from fromscratch.core.graph.tree import find
from tests.gui.conftest import shown_window


def test_the_view_state_follows_presenting_motion_and_focus(qtbot: QtBot) -> None:
    window = shown_window(qtbot)
    state, context = window.state, window.context
    assert context.controller is window.controller and context.state is state
    seen: list[tuple[str, object]] = []
    state.presenting_changed.connect(lambda on: seen.append(("presenting", on)))
    state.reduced_motion_changed.connect(lambda on: seen.append(("motion", on)))
    state.focus_changed.connect(lambda node: seen.append(("focus", node)))

    window.set_presenting(on=True, full_screen=False)
    assert state.presenting and window.action("present").isChecked()
    window.set_presenting(on=False)
    assert not state.presenting and not window.action("present").isChecked()

    window.set_reduced_motion(on=True)
    assert state.reduced_motion and window.view.reduced_motion

    base = find(window.controller.shown, "buildpack-deps:bookworm-curl")
    window.select_node(base)
    window.focus.set_on(on=True)
    assert state.focused == base == window.focus.base
    window.focus.set_on(on=False)
    assert state.focused is None
    assert seen == [
        ("presenting", True),
        ("presenting", False),
        ("motion", True),
        ("focus", base),
        ("focus", None),
    ]

"""The kernel / user-space scene at each story step: what is visible, and on which side of the
line; the morph ends with one kernel; scaling up adds containers, not kernels."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from fromscratch.core.formats.inventory import EngineFacts
from fromscratch.core.formats.sample import load_sample
from fromscratch.core.graph.lineage import build_tree
from fromscratch.core.story.picture import Picture, picture_of
from fromscratch.core.story.steps import STORY, Highlight, TreeAction, step_index
from fromscratch.gui.kernel.items import BlockKind
from fromscratch.gui.kernel.scene import LIGHTS, LINE_Y, KernelScene
from fromscratch.gui.kernel.view import KernelView
from tests.gui.conftest import shown_window, text_px


def sample_picture(kernel: str = "6.1.0-test") -> Picture:
    inventory = load_sample()
    scene = picture_of(inventory, build_tree(inventory.images), live=True)
    return Picture(kernel, "Debian GNU/Linux 12", False, scene.boxes)


def make_view(qtbot: QtBot) -> KernelView:
    view = KernelView()
    view.set_reduced_motion(on=True)
    view.set_picture(sample_picture(), live=False)
    qtbot.addWidget(view)
    view.resize(1600, 900)
    return view


def above_line(scene: KernelScene, kind: str) -> bool:
    return all(b.get_rect().bottom() < LINE_Y for b in scene.visible(kind))


def below_line(scene: KernelScene, kind: str) -> bool:
    return all(b.get_rect().top() > LINE_Y for b in scene.visible(kind))


def test_every_step_shows_its_scene(qtbot: QtBot) -> None:
    view = make_view(qtbot)
    scene = view.scene
    for index, step in enumerate(STORY):
        view.show_step(index)
        assert scene.caption.text == step.title
        state = step.state
        assert len(scene.visible(BlockKind.HARDWARE)) == 1
        if state.layout == "vms":
            assert len(scene.visible(BlockKind.KERNEL)) == state.boxes  # a guest kernel per VM
            assert len(scene.visible(BlockKind.HYPERVISOR)) == 1
            assert len(scene.visible(BlockKind.FRAME)) == state.boxes
        else:
            kernels = scene.visible(BlockKind.KERNEL)
            assert len(kernels) == 1 and kernels[0].name == "kernel"
            assert "6.1.0-test" in kernels[0].text
            assert below_line(scene, "kernel")
            assert above_line(scene, "userspace") and above_line(scene, "app")
            assert not scene.visible(BlockKind.HYPERVISOR)
        assert (scene.line.opacity() == 1.0) == state.split_line
        assert (scene.dot.opacity() == 1.0) == state.syscall
        assert bool(scene.visible(BlockKind.BINARY)) == state.scratch


def test_morph_leaves_exactly_one_kernel_and_keeps_each_user_space(qtbot: QtBot) -> None:
    view = make_view(qtbot)
    view.set_reduced_motion(on=False)
    view.scene.DURATION = 150
    view.show_step(step_index("vm"), animate=False)
    spaces_before = [b.sub for b in view.scene.visible(BlockKind.USERSPACE)]
    view.show_step(step_index("container"))
    qtbot.waitUntil(lambda: len(view.scene.visible(BlockKind.KERNEL)) == 1, timeout=3000)
    qtbot.wait(300)
    assert [b.name for b in view.scene.visible(BlockKind.KERNEL)] == ["kernel"]
    assert [b.sub for b in view.scene.visible(BlockKind.USERSPACE)] == spaces_before


def test_scale_up_adds_containers_not_kernels(qtbot: QtBot) -> None:
    view = make_view(qtbot)
    view.show_step(step_index("container"))
    before = len(view.scene.visible(BlockKind.USERSPACE))
    view.show_step(step_index("scale-up"))
    assert len(view.scene.visible(BlockKind.USERSPACE)) == STORY[step_index("scale-up")].state.boxes
    assert len(view.scene.visible(BlockKind.USERSPACE)) > before
    assert len(view.scene.visible(BlockKind.KERNEL)) == 1


def test_clicker_keys_step_back_and_forth(qtbot: QtBot) -> None:
    view = make_view(qtbot)
    view.show()
    qtbot.keyClick(view, Qt.Key.Key_PageDown)
    qtbot.keyClick(view, Qt.Key.Key_Space)
    qtbot.keyClick(view, Qt.Key.Key_Right)
    assert view.index == 3
    qtbot.keyClick(view, Qt.Key.Key_PageUp)
    qtbot.keyClick(view, Qt.Key.Key_Left)
    assert view.index == 1
    qtbot.keyClick(view, Qt.Key.Key_Home)
    assert view.index == 0 and not view.back.isEnabled()
    for _ in range(len(STORY) + 2):
        qtbot.keyClick(view, Qt.Key.Key_PageDown)
    assert view.index == len(STORY) - 1 and not view.next.isEnabled()


def test_offline_data_says_recorded_and_why_evidence_cannot_run(qtbot: QtBot) -> None:
    """The buttons used to be greyed out with nothing on screen saying why."""
    view = make_view(qtbot)
    assert "as recorded" in view.kernel_note.text()
    assert "these buttons ask a running engine" in view.result.text()
    assert "File &gt; Connect to engine" in view.result.text()
    assert view.prove.toolTip().startswith("Needs a running Docker engine")
    view.set_picture(sample_picture(), live=True)
    assert "live from the engine" in view.kernel_note.text() and view.prove.toolTip() == ""


def test_a_click_without_an_engine_says_why(qtbot: QtBot) -> None:
    window = shown_window(qtbot)  # no engine: the sample
    window.show_tab(1)
    window.kernel.result.setText("")
    for button in window.kernel.evidence_buttons[::2]:  # prove, build: always need one
        button.click()
        assert "these buttons ask a running engine" in window.kernel.result.text()
        window.kernel.result.setText("")


def test_evidence_results_get_the_rooms_free_height(qtbot: QtBot) -> None:
    """They sat in a 55 px box with 160 px of nothing above Back/Next."""
    window = shown_window(qtbot)
    window.resize(1366, 768)
    window.show_tab(1)
    qtbot.wait(50)
    kernel = window.kernel
    assert kernel.results.height() >= 200
    gap = kernel.back.mapTo(kernel, kernel.back.rect().topLeft()).y() - (
        kernel.text.mapTo(kernel, kernel.text.rect().bottomLeft()).y()
    )
    assert gap < 60, gap


def test_unrecorded_kernel_is_said_plainly(qtbot: QtBot) -> None:
    view = KernelView()
    qtbot.addWidget(view)
    view.set_reduced_motion(on=True)
    empty = Picture(EngineFacts().kernel_version, "", True, sample_picture().boxes)
    view.set_picture(empty, live=False)
    view.show_step(step_index("container"))
    (kernel,) = view.scene.visible(BlockKind.KERNEL)
    assert "not recorded" in kernel.text
    assert "not recorded" in view.kernel_note.text()


def test_presentation_mode_hides_everything_but_the_picture(qtbot: QtBot) -> None:
    window = shown_window(qtbot)
    window.show_tab(1)
    size = text_px(window.kernel.title)
    window.action("present").trigger()
    assert window.isFullScreen()
    assert not window.menuBar().isVisible() and not window.statusBar().isVisible()
    assert not window.tabs.tabBar().isVisible() and not window.panel.isVisible()
    qtbot.waitUntil(lambda: text_px(window.kernel.title) > size)  # legible from the back row
    off = Qt.ScrollBarPolicy.ScrollBarAlwaysOff
    assert window.view.horizontalScrollBarPolicy() == off  # the tree: only the picture
    assert window.view.verticalScrollBarPolicy() == off
    qtbot.keyClick(window.kernel, Qt.Key.Key_PageDown)  # the clicker still steps
    assert window.kernel.index == 1
    window.action("present").trigger()
    assert not window.isFullScreen() and window.menuBar().isVisible()
    assert window.view.horizontalScrollBarPolicy() == off  # a canvas: it has none
    assert text_px(window.kernel.title) == size


def test_presenting_from_the_tree_tab_reaches_the_story_and_the_clicker_keys(
    qtbot: QtBot,
) -> None:
    """`--present` on the tree, then Ctrl+2: the story is presented too (it used to stay at
    the window's text size); B blanks the screen and brings it back; F5 reloads nothing; End
    and Home go to the last and the first step."""
    window = shown_window(qtbot)
    plain = text_px(window)
    window.action("present").trigger()
    assert window.tabs.built_kernel is None  # the story is made on its first visit
    assert not window.action("reload").isEnabled()  # a clicker's F5
    window.show_tab(1)
    qtbot.waitUntil(lambda: window.isFullScreen() and window.height() > 300)
    assert text_px(window.kernel.text) >= max(1.4 * plain, window.height() / 30)
    qtbot.keyClick(window.kernel, Qt.Key.Key_End)  # the story's end: its walk up the tree
    story = window.storyline
    assert story.at is not None and story.position() == story.total - 1 > len(STORY)
    assert window.tabs.currentIndex() == 0
    qtbot.keyClick(window.view, Qt.Key.Key_Home)  # presenting: the first step, not scratch
    assert window.tabs.currentIndex() == 1 and window.kernel.index == 0
    qtbot.keyClick(window.kernel, Qt.Key.Key_B)
    assert window.presenter.blackout.isVisible()
    assert window.presenter.blackout.geometry() == window.rect()
    middle = window.grab().toImage().pixelColor(window.width() // 2, window.height() // 2)
    assert middle.name() == "#000000"  # black, whatever the theme (it came out white)
    qtbot.keyClick(window.presenter.blackout, Qt.Key.Key_Period)
    assert not window.presenter.blackout.isVisible()
    window.action("present").trigger()
    assert window.action("reload").isEnabled()
    qtbot.keyClick(window.kernel, Qt.Key.Key_B)  # not presenting: B blanks nothing
    assert not window.presenter.blackout.isVisible()


def test_space_steps_the_story_after_the_search_box_had_the_focus(qtbot: QtBot) -> None:
    window = shown_window(qtbot)
    window.search.setFocus()
    window.tabs.setCurrentIndex(1)  # a click on the tab
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Space)
    assert window.kernel.index == 1


def test_on_a_4_3_projector_the_story_goes_under_a_wider_picture(qtbot: QtBot) -> None:
    view = make_view(qtbot)
    view.show()

    def beside() -> bool:
        return view.view.geometry().right() < view.side.geometry().left()

    def under() -> bool:
        return view.view.geometry().bottom() < view.side.geometry().top()

    view.resize(1920, 1080)  # 16:9: side by side
    qtbot.waitUntil(lambda: view.width() == 1920 and beside())
    assert not view.stacked
    view.resize(1024, 768)  # 4:3: stacked, the picture spans the width
    qtbot.waitUntil(lambda: view.width() == 1024 and under())
    assert view.stacked and view.view.width() == view.width()
    assert view.side.height() <= 0.45 * view.height() + 1
    # beside a story column 1024 pixels would leave the picture at most (1024 - 330) / 1600
    assert view.view.transform().m11() > 1.2 * (1024 - 330) / 1600
    view.resize(1600, 900)  # and back
    qtbot.waitUntil(lambda: view.width() == 1600 and beside())
    assert not view.stacked


@pytest.mark.parametrize("size", [(1920, 1080), (1024, 768)])
def test_the_picture_keeps_its_size_from_step_to_step(qtbot: QtBot, size: tuple[int, int]) -> None:
    """Longer text must not squeeze the picture: a rescale is a visible jump between steps
    (and redraws every cached block)."""
    view = make_view(qtbot)
    view.show()
    view.resize(*size)
    qtbot.waitUntil(lambda: view.size().width() == size[0])
    scales = set()
    for index in range(len(STORY)):
        view.show_step(index, animate=False)
        qtbot.wait(10)  # let the layout settle, as between two clicks
        scales.add(round(view.view.transform().m11(), 6))
    assert len(scales) == 1, scales


@pytest.mark.parametrize("size", [(1024, 768), (1280, 1024), (1920, 1080)])
def test_the_story_panel_never_makes_the_window_grow(qtbot: QtBot, size: tuple[int, int]) -> None:
    from fromscratch.gui.window.mainwindow import MainWindow
    from tests.gui.conftest import make_settings

    window = MainWindow(settings=make_settings())
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    window.show_tab(1)
    for index in (0, 3, 7):
        window.kernel.show_step(index, animate=False)
        qtbot.wait(20)
        assert (window.width(), window.height()) == size
        assert window.kernel.width() <= size[0] and window.kernel.height() <= size[1]


def test_the_story_lights_its_own_chain_and_leaves_the_selection_alone(qtbot: QtBot) -> None:
    """Steps that point into the tree used to select their target: after the story, the
    selection was the story's, not the user's."""
    window = shown_window(qtbot)
    shown = window.controller.shown
    assert shown is not None
    chosen = next(n for n, a in shown.nodes(data=True) if "python:3-bookworm" in a["tags"])
    window.select_node(chosen)
    window.show_tab(1)
    window.kernel.show_step(step_index("scratch"), animate=False)
    assert window.controller.selected == chosen
    lit = {item.node_id for item in window.view.tree._lit[0]}
    assert lit == {"scratch"}
    window.kernel.tree_action.emit(TreeAction.SELECT_BASE)
    assert window.controller.selected == chosen
    lit = {item.node_id for item in window.view.tree._lit[0]}
    assert "scratch" in lit and chosen not in lit and len(lit) == 2  # its base, on scratch


@pytest.mark.parametrize("size", [(1366, 768), (1024, 768), (800, 600)])
def test_evidence_results_never_move_the_buttons(qtbot: QtBot, size: tuple[int, int]) -> None:
    """A long result scrolls in its own area; Back/Next and the evidence buttons stay under
    the mouse (a second click used to land on the chart), and the next result replaces the
    last one's chart."""
    from fromscratch.core.evidence.contents import Contents

    view = make_view(qtbot)
    view.resize(*size)
    view.show()
    qtbot.wait(50)

    def places() -> list[object]:
        buttons = (view.back, view.next, view.prove, view.contents, view.build)
        return [b.mapTo(view, b.rect().topLeft()) for b in buttons] + [b.height() for b in buttons]

    before = places()
    assert all(b.height() >= 20 for b in (view.prove, view.contents, view.build))
    view.show_result("<br>".join(f"line {n} of a long result" for n in range(60)))
    qtbot.wait(50)
    assert places() == before
    view.show_contents(Contents("sha256:x", (("bin", 900_000), ("etc", 2_000)), 12, ()))
    qtbot.wait(50)
    assert places() == before and view.chart.isVisible()
    view.show_result("Inside a container, uname -r says 6.1.0.")
    assert not view.chart.isVisible()
    assert places() == before


def test_each_container_is_drawn_once_when_the_step_wants_more_boxes(qtbot: QtBot) -> None:
    """Step 4 wants six boxes; with five running containers the first was drawn again."""
    from dataclasses import replace

    from fromscratch.gui.kernel.scene import targets

    five = sample_picture().boxes[:2]
    state = STORY[step_index("scale-up")].state
    shown = targets(state, replace(sample_picture(), boxes=five))
    apps = [shown[f"app{i}"].sub for i in range(state.boxes)]
    assert apps[:2] == [box.app for box in five]
    assert all(app == "one more" for app in apps[2:])  # unnamed: no one twice
    spaces = [shown[f"space{i}"].sub for i in range(state.boxes)]
    assert all(sub == "" for sub in spaces[2:])  # read "user space / user space"


def test_every_highlight_lights_something_on_the_steps_that_ask_for_it(qtbot: QtBot) -> None:
    """Each Highlight member has its place in the scene (step 5's "line" was silently
    ignored: the line looked the same as on the steps about something else)."""
    assert set(LIGHTS) == set(Highlight)
    scene = KernelScene()
    picture = picture_of(load_sample(), build_tree(load_sample().images), live=False)
    for step in STORY:
        scene.show_state(step.state, picture, animate=False)
        lit = {b.kind for b in scene.blocks.values() if b.emphasis and b.opacity() > 0.5}
        for highlight in step.state.highlight:
            kind = LIGHTS[highlight]
            if kind is None:
                assert scene.line.emphasis and scene.line.opacity() > 0.5, step.key
            else:
                assert kind in lit, (step.key, highlight)
        assert scene.line.emphasis == (Highlight.LINE in step.state.highlight), step.key
    scene.stop()

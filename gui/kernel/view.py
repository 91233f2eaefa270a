"""The "Kernel & user space" tab: the animated scene, the story's text, stepping (keyboard and
presentation clicker), and the live evidence buttons."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QPainter, QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from fromscratch.core.evidence.machine import kernel_note, this_machine
from fromscratch.core.story.picture import Picture
from fromscratch.core.story.steps import STORY, Step
from fromscratch.gui import palette
from fromscratch.gui.kernel.items import Block
from fromscratch.gui.kernel.scene import KernelScene

QWIDGETSIZE_MAX = (1 << 24) - 1
STACK_BELOW_ASPECT = 1.45
RESULTS_MIN_HEIGHT = 60
"""The evidence results' own area: at least this tall, scrolling beyond."""
"""Narrower than this (width / height), the story goes under the picture instead of beside it."""
NEXT_KEYS = (Qt.Key.Key_Right, Qt.Key.Key_Space, Qt.Key.Key_PageDown)
BACK_KEYS = (Qt.Key.Key_Left, Qt.Key.Key_PageUp)


class StageView(QGraphicsView):
    """Always shows the whole 1600 x 900 scene, scaled: vector-crisp at any size."""

    def __init__(self, scene: KernelScene, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QGraphicsView.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        # One rectangle around what changed: measured at 4K, clipping to the exact region of
        # a dozen moving blocks cost more than repainting their bounding box (6.5 vs 4 ms).
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.BoundingRectViewportUpdate)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fitInView(self.sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)
        scale = self.transform().m11() * self.devicePixelRatioF()
        Block.pixel = 1.0 / scale if scale > 0 else 1.0


class KernelView(QWidget):
    """Steps through :data:`core.story.steps.STORY`. `tree_action` asks the window to point into
    the tree; `evidence_requested` asks it to run one of: prove, contents, build."""

    tree_action = Signal(str)
    evidence_requested = Signal(str)
    step_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.scene = KernelScene(self)
        self.view = StageView(self.scene, self)
        self.picture = Picture("", "", True, ())
        self._presenting = False
        self.index = 0
        side = QWidget(self)
        side.setObjectName("storyPanel")
        story, controls = QWidget(side), QWidget(side)
        self.controls = controls
        column = self._story_column = QVBoxLayout(story)
        column.setContentsMargins(0, 0, 0, 0)
        self.counter = QLabel(story)
        self.title = QLabel(story)
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.title.setFont(font)
        self.text = QLabel(story)
        self.text.setWordWrap(True)
        body = self.text.font()
        body.setPointSizeF(body.pointSizeF() * 1.2)
        self.text.setFont(body)
        self.text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        column.addWidget(self.counter)
        column.addWidget(self.title)
        column.addWidget(self.text, 1)
        nav = QHBoxLayout()
        self.back = self._button("◀ Back", self.previous, nav)
        self.replay = self._button("↻ Replay", self.replay_step, nav)
        self.next = self._button("Next ▶", self.advance, nav)
        self.machine = this_machine()
        self.kernel_note = QLabel(controls)
        self.kernel_note.setWordWrap(True)
        evidence = QVBoxLayout()
        self.prove = self._button(
            "Prove it: uname -r in a container",
            lambda: self.evidence_requested.emit("prove"),
            evidence,
        )
        self.contents = self._button(
            "What FROM gives you", lambda: self.evidence_requested.emit("contents"), evidence
        )
        self.build = self._button(
            "Build FROM scratch yourself", lambda: self.evidence_requested.emit("build"), evidence
        )
        # Evidence results scroll in an area of their own, whose size never follows them: a
        # long result used to push Back/Next and the evidence buttons up under the mouse.
        self.results = QScrollArea(controls)
        self.results.setWidgetResizable(True)
        self.results.setFrameShape(QFrame.Shape.NoFrame)
        self.results.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Ignored)
        self.results.setMinimumHeight(RESULTS_MIN_HEIGHT)
        holder = QWidget(self.results)
        self.result = QLabel(holder)
        self.result.setWordWrap(True)
        self.result.setTextFormat(Qt.TextFormat.RichText)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        inside = QVBoxLayout(holder)
        inside.setContentsMargins(0, 0, 0, 0)
        inside.addWidget(self.result)
        self._chart_slot = QVBoxLayout()  # the directory chart, made with the first contents
        inside.addLayout(self._chart_slot)
        inside.addStretch(1)
        self.results.setWidget(holder)
        column = QVBoxLayout(controls)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(nav)
        column.addSpacing(12)
        column.addWidget(self.kernel_note)
        column.addLayout(evidence)
        column.addWidget(self.results, 1)
        self.chart: Any = None
        self.side = side
        self._panel = QBoxLayout(QBoxLayout.Direction.TopToBottom, side)
        self._panel.addWidget(story, 1)
        self._panel.addWidget(controls, 1)
        self._row = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self._row.setContentsMargins(0, 0, 0, 0)
        self._row.addWidget(self.view, 1)
        self._row.addWidget(side)
        self.stacked = False
        self._made_sizes: list[float] = []
        self._tallest: dict[tuple[int, float, float, str], int] = {}
        self._arrange(self.width(), self.height())
        self.show_step(0, animate=False)
        self.destroyed.connect(self.scene.stop)

    def _arrange(self, width: int, height: int) -> None:
        """Side by side on wide screens; on 4:3 or 5:4 ones (many classroom projectors) the
        picture spans the width with the story under it in two columns, which makes the
        picture 1.3x (presenting) to 1.5x larger at 1024x768 than beside a story column.

        The story panel's size follows the window, never its text: a step with longer text
        must not shrink the picture (that rescaled it between steps, a visible jump, and made
        every block redraw its cached picture: 35 ms a frame at 4K)."""
        stacked = width < STACK_BELOW_ASPECT * height
        if stacked != self.stacked:
            self.stacked = stacked
            along, across = QBoxLayout.Direction.LeftToRight, QBoxLayout.Direction.TopToBottom
            self._row.setDirection(across if stacked else along)
            self._panel.setDirection(along if stacked else across)
            self._panel.setStretch(0, 3 if stacked else 1)
            # Beside the picture the controls take the height they need (their notes wrap,
            # their buttons must keep theirs); the story gets the rest.
            self._panel.setStretch(1, 2 if stacked else 0)
        if stacked:  # only the dimension the picture shares: the other follows the layout
            self.controls.setMinimumHeight(0)
            self.side.setMinimumWidth(0)
            self.side.setMaximumWidth(QWIDGETSIZE_MAX)
            self.side.setFixedHeight(min(int(height * 0.5), self._tallest_story(width)))
        else:
            self.side.setMinimumHeight(0)
            self.side.setMaximumHeight(QWIDGETSIZE_MAX)
            column = max(330, min(460, int(width * 0.25)))
            self.side.setFixedWidth(column)
            # A wrapped note's height does not reach the column's layout by itself.
            self.controls.setMinimumHeight(self._controls_height(column))

    def _tallest_story(self, width: int) -> int:
        """Height of the panel under the picture that fits every step's text at this width
        (the story column has 3/5 of it), so that it is the same for every step."""
        key = (
            width,
            self.title.font().pointSizeF(),
            self.text.font().pointSizeF(),
            self.kernel_note.text(),
        )
        if key in self._tallest:  # a window being dragged resizes many times at one width
            return self._tallest[key]
        margins = self._panel.contentsMargins()
        column = int((width - margins.left() - margins.right() - self._panel.spacing()) * 3 / 5)
        shown = self.title.text(), self.text.text()
        tallest = 0
        for step in STORY:
            self.title.setText(step.title)
            self.text.setText(step.text)
            tallest = max(tallest, self._story_column.totalHeightForWidth(column))
        self.title.setText(shown[0])
        self.text.setText(shown[1])
        # The controls column (2/5) with its wrapped notes: buttons must keep their height.
        controls = self._controls_height(int(width * 2 / 5))
        self._tallest[key] = max(tallest, controls) + margins.top() + margins.bottom()
        return self._tallest[key]

    def _controls_height(self, column: int) -> int:
        """What the controls need in a column this wide: their wrapped notes, full-height
        buttons and the results' area at its least (its policy is Ignored, so it is added)."""
        margins = self._panel.contentsMargins()
        inner = column - margins.left() - margins.right()
        layout = self.controls.layout()
        if layout is None:
            return self.controls.minimumSizeHint().height()
        wrapped = layout.totalHeightForWidth(inner) + layout.spacing() + RESULTS_MIN_HEIGHT
        return max(self.controls.minimumSizeHint().height(), wrapped)

    def resizeEvent(self, event: QResizeEvent) -> None:
        size = event.size()
        self._arrange(size.width(), size.height())
        super().resizeEvent(event)

    def _button(self, text: str, slot: Callable[[], Any], layout: Any) -> QPushButton:
        button = QPushButton(text, self)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys go to the view: clicker-friendly
        button.clicked.connect(slot)
        layout.addWidget(button)
        return button

    @property
    def step(self) -> Step:
        return STORY[self.index]

    def set_picture(self, picture: Picture, *, live: bool) -> None:
        """New data (a load finished): relabel the boxes without replaying the step."""
        self.picture = picture
        data, mine = kernel_note(picture.kernel, live=live, machine=self.machine)
        self.kernel_note.setText(f"<b>{escape(data)}</b><br>{escape(mine)}")
        self._arrange(self.width(), self.height())  # the note's lines count in the panel
        for button in (self.prove, self.contents, self.build):
            button.setEnabled(live)
            button.setToolTip("" if live else "needs a running Docker engine")
        self.scene.show_state(self.step.state, picture, animate=False)

    def show_result(self, html: str) -> None:
        """An evidence result (our own rich text, data escaped), replacing the last one and
        its chart."""
        self.result.setText(html)
        if self.chart is not None:
            self.chart.hide()
        self.results.verticalScrollBar().setValue(0)

    def show_contents(self, contents: Any) -> None:
        """A bar chart of the image's bytes by top-level directory."""
        if self.chart is None:
            from fromscratch.gui.kernel.dirchart import DirChart

            self.chart = DirChart(self.results.widget())
            self._chart_slot.addWidget(self.chart)
        self.chart.show_dirs(contents.dirs)
        self.chart.setVisible(bool(contents.dirs))

    def set_presenting(self, *, on: bool) -> None:
        """Projector mode: the story panel's text grows for the back row."""
        if on == self._presenting:
            return
        self._presenting = on
        self._apply_text_sizes()

    def _apply_text_sizes(self) -> None:
        """Sizes set from the ones the labels were made with, never from the current ones: a
        theme change re-polishes the labels and may give back an old font."""
        labels = (self.title, self.text, self.counter, self.kernel_note, self.result)
        if not self._made_sizes:
            self._made_sizes = [label.font().pointSizeF() for label in labels]
        factor = 1.5 if self._presenting else 1.0
        for label, size in zip(labels, self._made_sizes, strict=True):
            font = label.font()
            font.setPointSizeF(size * factor)
            label.setFont(font)
        self._arrange(self.width(), self.height())  # the panel's size follows the text's

    def restyle(self) -> None:
        """A theme change: the picture's background follows the new text colour's."""
        self.scene.setBackgroundBrush(palette.BACKGROUND)
        self.scene.update()
        self._apply_text_sizes()

    def set_reduced_motion(self, *, on: bool) -> None:
        self.scene.reduced_motion = on

    def show_step(self, index: int, *, animate: bool = True) -> None:
        self.index = max(0, min(index, len(STORY) - 1))
        step = self.step
        self.counter.setText(f"Step {self.index + 1} of {len(STORY)}")
        self.title.setText(step.title)
        self.text.setText(step.text)
        self.back.setEnabled(self.index > 0)
        self.next.setEnabled(self.index < len(STORY) - 1)
        self.scene.caption.set_text(step.title)
        self.scene.show_state(step.state, self.picture, animate=animate)
        if step.state.tree_action:
            self.tree_action.emit(step.state.tree_action)
        self.step_changed.emit(self.index)

    def advance(self) -> None:
        if self.index < len(STORY) - 1:
            self.show_step(self.index + 1)

    def previous(self) -> None:
        if self.index > 0:
            self.show_step(self.index - 1)

    def replay_step(self) -> None:
        """From the previous step's picture to this one's, animated again."""
        if self.index > 0:
            self.scene.show_state(STORY[self.index - 1].state, self.picture, animate=False)
        self.scene.show_state(self.step.state, self.picture)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in NEXT_KEYS:
            self.advance()
        elif key in BACK_KEYS:
            self.previous()
        elif key == Qt.Key.Key_Home:
            self.show_step(0)
        elif key == Qt.Key.Key_End:
            self.show_step(len(STORY) - 1)
        elif key == Qt.Key.Key_R:
            self.replay_step()
        else:
            super().keyPressEvent(event)

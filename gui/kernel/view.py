"""The "Kernel & user space" tab: the animated scene, the story's text, stepping (keyboard and
presentation clicker), and the live evidence buttons."""

from __future__ import annotations

import math
from collections.abc import Callable
from enum import Enum
from html import escape
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent, QPainter, QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fromscratch.core.evidence.machine import kernel_note, this_machine
from fromscratch.core.story.picture import Picture
from fromscratch.core.story.steps import STORY, Step, TreeAction
from fromscratch.gui import palette
from fromscratch.gui.kernel.items import Block
from fromscratch.gui.kernel.results import RESULTS_MIN_HEIGHT, EvidenceResults
from fromscratch.gui.kernel.scene import KernelScene

QWIDGETSIZE_MAX = (1 << 24) - 1
STACK_BELOW_ASPECT = 1.45
"""Narrower than this (width / height), the story goes under the picture instead of beside it."""
NEXT_KEYS = (Qt.Key.Key_Right, Qt.Key.Key_Space, Qt.Key.Key_PageDown)
BACK_KEYS = (Qt.Key.Key_Left, Qt.Key.Key_PageUp)


class Evidence(Enum):
    """What the story's evidence buttons ask the runner (gui.kernel.evidence) for; the value
    is the button's words."""

    PROVE = "Prove it: uname -r in a container"
    CONTENTS = "What FROM gives you"
    BUILD = "Build FROM scratch yourself"


class StageView(QGraphicsView):
    """Always shows the whole 1600 x 900 scene, scaled: vector-crisp at any size."""

    def __init__(self, scene: KernelScene, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)
        self.stage = scene
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
        logical = self.transform().m11()
        scale = logical * self.devicePixelRatioF()
        Block.pixel = 1.0 / scale if scale > 0 else 1.0
        units = 1.0 / logical if logical > 0 else 1.0
        self.stage.set_text_px(self.stage.text_px, units_per_px=units)  # the floor follows


OFFLINE = (
    "This data is recorded, and these buttons ask a running engine. Start Docker or Podman, "
    "or pick an engine with File > Connect to engine…: the window turns live by itself when "
    "one answers. (What FROM gives you also answers from a snapshot that kept what it read.)"
)
OFFLINE_TIP = "Needs a running Docker engine: this data is recorded"


def tallest_text(column: QVBoxLayout, title: QLabel, text: QLabel, width: int) -> int:
    """The story column's height that fits every step's title and text at this width (the
    panel keeps it, so Back/Next stay put from step to step)."""
    shown = title.text(), text.text()
    tallest = 0
    for step in STORY:
        title.setText(step.title)
        text.setText(step.text)
        tallest = max(tallest, column.totalHeightForWidth(width))
    title.setText(shown[0])
    text.setText(shown[1])
    return tallest


def controls_height(controls: QWidget, width: int) -> int:
    """What the controls need in a column this wide: their wrapped notes, full-height
    buttons and the results' area at its least (its policy is Ignored, so it is added)."""
    layout = controls.layout()
    if layout is None:
        return controls.minimumSizeHint().height()
    wrapped = layout.totalHeightForWidth(width) + layout.spacing() + RESULTS_MIN_HEIGHT
    return max(controls.minimumSizeHint().height(), wrapped)


class KernelView(QWidget):
    """Steps through :data:`core.story.steps.STORY`. `tree_action` asks the window to point into
    the tree; `evidence_requested` asks it to run one of :class:`Evidence`."""

    tree_action = Signal(TreeAction)
    evidence_requested = Signal(Evidence)
    step_changed = Signal(int)
    story_move = Signal(str)
    """The story goes on in the tree (gui.present.storyline): `next` past the last step here, `last`
    for the story's end."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.scene = KernelScene(self)
        self.view = StageView(self.scene, self)
        self.picture = Picture("", "", True, ())
        self._text_px = 0
        self.continued = 0
        """Steps the story has after this view's (the walk up the tree)."""
        self.index = 0
        side = QWidget(self)
        side.setObjectName("storyPanel")
        story, controls = QWidget(side), QWidget(side)
        self.controls = controls
        self.story = story
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
        self.evidence_buttons = tuple(
            self._button(kind.value, self._evidence(kind), evidence) for kind in Evidence
        )
        self.prove, self.contents, self.build = self.evidence_buttons
        self.results = EvidenceResults(controls)
        self.result = self.results.result
        column = QVBoxLayout(controls)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(nav)
        column.addSpacing(12)
        column.addWidget(self.kernel_note)
        column.addLayout(evidence)
        column.addWidget(self.results, 1)
        self.side = side
        self._panel = QBoxLayout(QBoxLayout.Direction.TopToBottom, side)
        self._panel.addWidget(story, 1)
        self._panel.addWidget(controls, 1)
        self._row = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self._row.setContentsMargins(0, 0, 0, 0)
        self._row.addWidget(self.view, 1)
        self._row.addWidget(side)
        self.stacked = False
        self._made_fonts: list[QFont] = []
        self._tallest: dict[tuple[int, float, float, str], int] = {}
        self._story_heights: dict[tuple[int, str, str], int] = {}
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
        # Beside the picture the story takes the height of its tallest step (so Back/Next stay
        # put from step to step) and the controls the rest: the evidence results get the room
        # (they sat in 60 px under 160 px of nothing). Presenting, the controls are hidden.
        self._panel.setStretch(1, 2 if stacked and not self._text_px else 0)
        if stacked:  # only the dimension the picture shares: the other follows the layout
            self.controls.setMinimumHeight(0)
            self.story.setMinimumHeight(0)
            self.side.setMinimumWidth(0)
            self.side.setMaximumWidth(QWIDGETSIZE_MAX)
            self.side.setFixedHeight(min(int(height * 0.5), self._tallest_story(width)))
        else:
            self.side.setMinimumHeight(0)
            self.side.setMaximumHeight(QWIDGETSIZE_MAX)
            column = int(width * 0.33) if self._text_px else max(330, min(460, int(width * 0.25)))
            self.side.setFixedWidth(column)
            # A wrapped note's height does not reach the column's layout by itself.
            wanted = 0 if self._text_px else self._controls_height(column)
            self.controls.setMinimumHeight(wanted)
            beside = not self._text_px
            margins = self._panel.contentsMargins()
            inner = column - margins.left() - margins.right()
            self.story.setMinimumHeight(self._story_height(inner) if beside else 0)
            self._panel.setStretch(0, 0 if beside else 1)
            self._panel.setStretch(1, 1 if beside else 0)

    def _tallest_story(self, width: int) -> int:
        """Height of the panel under the picture that fits every step's text at this width
        (the story column has 3/5 of it), so that it is the same for every step."""
        key = (
            width,
            self.title.font().pointSizeF() + 1000 * self._text_px,
            self.text.font().pointSizeF(),
            self.kernel_note.text(),
        )
        if key in self._tallest:  # a window being dragged resizes many times at one width
            return self._tallest[key]
        margins = self._panel.contentsMargins()
        inner = width - margins.left() - margins.right()
        column = inner if self._text_px else int((inner - self._panel.spacing()) * 3 / 5)
        tallest = self._story_height(column)
        # The controls column (2/5) with its wrapped notes: buttons must keep their height.
        controls = 0 if self._text_px else self._controls_height(int(width * 2 / 5))
        self._tallest[key] = max(tallest, controls) + margins.top() + margins.bottom()
        return self._tallest[key]

    def _story_height(self, column: int) -> int:
        # The fonts' whole description: presenting sets pixel sizes, whose point size is -1
        # for every size (a height measured at one size was reused at another: cut text).
        key = (column, self.title.font().key(), self.text.font().key())
        if key not in self._story_heights:
            self._story_heights[key] = tallest_text(
                self._story_column, self.title, self.text, column
            )
        return self._story_heights[key]

    def _controls_height(self, column: int) -> int:
        margins = self._panel.contentsMargins()
        return controls_height(self.controls, column - margins.left() - margins.right())

    def resizeEvent(self, event: QResizeEvent) -> None:
        size = event.size()
        self._arrange(size.width(), size.height())
        super().resizeEvent(event)

    def _evidence(self, kind: Evidence) -> Callable[[], None]:
        return lambda: self.evidence_requested.emit(kind)

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
            button.setToolTip("" if live else OFFLINE_TIP)
        if not live and not self.result.text():
            self.results.show_result(escape(OFFLINE))
        self.scene.show_state(self.step.state, picture, animate=False)

    def show_result(self, html: str) -> None:
        self.results.show_result(html)

    def show_contents(self, contents: Any) -> None:
        self.results.show_contents(contents)

    @property
    def chart(self) -> Any:
        """The directory chart, once the first contents came."""
        return self.results.chart

    def set_presenting(self, *, on: bool) -> None:
        """Projector mode: every text the room sees at least 1/30 of the window's height."""
        self.set_text_px(math.ceil(self.window().height() / 30) if on else 0)

    def set_text_px(self, pixels: int) -> None:
        """Every text at least `pixels` tall, in the panel and in the picture (the
        presenter's 1/30 rule); 0 gives back the sizes the labels were made with. The
        controls go (see below)."""
        if pixels == self._text_px:
            return
        self._text_px = pixels
        self._apply_text_sizes()

    def _apply_text_sizes(self) -> None:
        """Sizes set from the fonts the widgets were made with, never from the current ones:
        a theme change re-polishes the labels and may give back an old font."""
        widgets = (
            self.title,
            self.text,
            self.counter,
            self.kernel_note,
            self.result,
        )
        if not self._made_fonts:
            self._made_fonts = [QFont(widget.font()) for widget in widgets]
        pixels = self._text_px
        for widget, made in zip(widgets, self._made_fonts, strict=True):
            font = QFont(made)
            if pixels:
                font.setPixelSize(round(pixels * (1.3 if widget is self.title else 1.0)))
            widget.setFont(font)
        # Presenting, the story's text has the panel: a clicker steps, and a presenter who
        # wants live evidence leaves presentation (F11) for it. At 1/30 of the height, text
        # and buttons side by side left the picture too small for its own labels.
        self.controls.setVisible(not pixels)
        self.scene.set_text_px(pixels)
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
        self.counter.setText(f"Step {self.index + 1} of {len(STORY) + self.continued}")
        self.title.setText(step.title)
        self.text.setText(step.text)
        self.back.setEnabled(self.index > 0)
        self.next.setEnabled(self.index < len(STORY) - 1 or self.continued > 0)
        self.scene.caption.set_text(step.title)
        self.scene.show_state(step.state, self.picture, animate=animate)
        if step.state.tree_action:
            self.tree_action.emit(step.state.tree_action)
        self.step_changed.emit(self.index)

    def set_continued(self, steps: int) -> None:
        """The story has `steps` more after this view's last."""
        self.continued = steps
        self.counter.setText(f"Step {self.index + 1} of {len(STORY) + steps}")
        self.next.setEnabled(self.index < len(STORY) - 1 or steps > 0)

    def advance(self) -> None:
        if self.index < len(STORY) - 1:
            self.show_step(self.index + 1)
        elif self.continued:
            self.story_move.emit("next")

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
        elif key == Qt.Key.Key_End and self.continued:
            self.story_move.emit("last")
        elif key == Qt.Key.Key_End:
            self.show_step(len(STORY) - 1)
        elif key == Qt.Key.Key_R:
            self.replay_step()
        else:
            super().keyPressEvent(event)

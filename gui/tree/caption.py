"""The story's caption over the tree: while the story walks the tree (core.story.walk), its
step, title and sentence stand at the bottom of the view, with Back, Next and Close for the
mouse (the keys and a clicker step it too). Plain text: titles carry image tags."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from fromscratch.core.story.walk import WalkStep


class WalkCaption(QFrame):
    """`back`, `forward` and `closed` are the buttons; the window decides what they do."""

    back = Signal()
    forward = Signal()
    closed = Signal()

    def __init__(self, view: QWidget) -> None:
        super().__init__(view)
        self.setObjectName("walkCaption")
        self.setAutoFillBackground(True)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.counter = QLabel(self)
        self.title = QLabel(self)
        self.text = QLabel(self)
        for label in (self.counter, self.title, self.text):
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setWordWrap(True)
        bold = self.title.font()
        bold.setBold(True)
        self.title.setFont(bold)
        self._made = [label.font() for label in (self.counter, self.title, self.text)]
        self._pixels = 0
        self.buttons = QWidget(self)
        row = QHBoxLayout(self.buttons)
        row.setContentsMargins(0, 0, 0, 0)
        self.previous = self._button("◀ Back", self.back.emit, row)
        self.next = self._button("Next ▶", self.forward.emit, row)
        row.addStretch(1)
        self._button("Close", self.closed.emit, row)
        column = QVBoxLayout(self)
        column.addWidget(self.counter)
        column.addWidget(self.title)
        column.addWidget(self.text)
        column.addWidget(self.buttons)
        view.installEventFilter(self)  # it spans the view's width at every size
        self.hide()

    def _button(self, text: str, slot: Callable[[], None], row: QHBoxLayout) -> QPushButton:
        button = QPushButton(text, self)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys stay with the tree
        button.clicked.connect(slot)
        row.addWidget(button)
        return button

    def show_step(self, step: WalkStep, number: int, total: int) -> None:
        self.counter.setText(f"Step {number} of {total}")
        self.title.setText(step.title)
        self.text.setText(step.text)
        self.previous.setEnabled(number > 1)
        self.next.setEnabled(number < total)
        self.place()
        self.show()
        self.raise_()

    def set_text_px(self, pixels: int) -> None:
        """Presenting: every line at least `pixels` tall (the 1/30 rule), the title larger,
        no buttons (a clicker steps); 0 gives back the sizes it was made with."""
        self._pixels = pixels
        self._apply_fonts()
        self.buttons.setVisible(not pixels)
        self.place()

    def event(self, event: QEvent) -> bool:
        done = super().event(event)
        if event.type() == QEvent.Type.Polish:  # shown the first time: the style set the
            self._apply_fonts()  # labels' fonts back (measured on a real X server)
        return done

    def _apply_fonts(self) -> None:
        pixels = self._pixels
        for label, made, factor in zip(
            (self.counter, self.title, self.text), self._made, (1.0, 1.3, 1.0), strict=True
        ):
            font = QFont(made)
            if pixels:
                font.setPixelSize(round(pixels * factor))
            label.setFont(font)

    def place(self) -> None:
        """Along the bottom of the view, as tall as its text at the view's width."""
        view = self.parentWidget()
        if view is None:
            return
        width = view.width()
        layout = self.layout()
        height = layout.totalHeightForWidth(width) if layout is not None else 0
        height = min(max(height, self.minimumSizeHint().height()), view.height() // 2)
        self.setGeometry(0, view.height() - height, width, height)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and self.isVisible():
            self.place()
        return False

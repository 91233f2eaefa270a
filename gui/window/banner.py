"""A dismissible one-sentence notice above the tree (why the engine was not used ...)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget


class Banner(QFrame):
    """Shown by :meth:`say` with text, hidden with an empty text or its close button; with a
    Retry button when what it says may change by trying again (an engine that did not answer).
    """

    retry = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 6, 6)
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.PlainText)  # it quotes files and engines
        self.retry_button = QPushButton("Retry", self)
        self.retry_button.setToolTip("Try the engine again (it is also retried by itself)")
        self.retry_button.clicked.connect(self.retry)
        close = QToolButton(self)
        close.setText("✕")
        close.setToolTip("Dismiss")
        close.clicked.connect(self.hide)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.retry_button)
        layout.addWidget(close)
        self.hide()

    quiet = False
    """While presenting, notices wait: the projector shows only the picture."""

    def say(self, text: str, *, can_retry: bool = False) -> None:
        self.text.setText(text)
        self.retry_button.setVisible(can_retry)
        self.setVisible(bool(text) and not self.quiet)

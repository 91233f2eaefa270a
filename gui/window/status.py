"""The status bar: which source is shown (always), passing messages, and a progress bar while
work runs."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar, QWidget


class StatusBar(QStatusBar):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.source = QLabel("loading…", self)
        """Where the data comes from; never empty. Plain text: it names files and tags."""
        self.source.setTextFormat(Qt.TextFormat.PlainText)
        self.bar = QProgressBar(self)
        self.bar.setMaximumWidth(220)
        self.bar.hide()
        self.addWidget(self.source, 1)
        self.addPermanentWidget(self.bar)

    def set_busy(self, busy: bool) -> None:  # noqa: FBT001 - a Qt signal's argument
        """A busy indicator until progress says how far."""
        self.bar.setRange(0, 0)
        self.bar.setVisible(busy)

    def set_progress(self, done: int, total: int) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)

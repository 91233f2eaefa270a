"""The evidence results' area under the story's buttons: the last result (our own rich text,
data escaped) and, for "What FROM gives you", a chart of the image's bytes by directory.

It scrolls on its own and its size never follows its content: a long result used to push
Back/Next and the evidence buttons up under the mouse."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QSizePolicy, QVBoxLayout, QWidget

RESULTS_MIN_HEIGHT = 60
"""At least this tall, scrolling beyond."""


class EvidenceResults(QScrollArea):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Ignored)
        self.setMinimumHeight(RESULTS_MIN_HEIGHT)
        holder = QWidget(self)
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
        self.setWidget(holder)
        self.chart: Any = None

    def show_result(self, html: str) -> None:
        """A result, replacing the last one and its chart."""
        self.result.setText(html)
        if self.chart is not None:
            self.chart.hide()
        self.verticalScrollBar().setValue(0)

    def show_contents(self, contents: Any) -> None:
        """A bar chart of the image's bytes by top-level directory."""
        if self.chart is None:
            from fromscratch.gui.kernel.dirchart import DirChart

            self.chart = DirChart(self.widget())
            self._chart_slot.addWidget(self.chart)
        self.chart.show_dirs(contents.dirs)
        self.chart.setVisible(bool(contents.dirs))

"""The main window: the tree, a status bar that always names the source, and a banner when
the engine could not be reached."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from core.snapshot import save
from core.sources import Opened, open_default, open_file
from gui import tasks
from gui.treeview import TreeView


class Banner(QFrame):
    """A dismissible one-sentence notice above the tree."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.setStyleSheet("#banner { background: #fff4d6; border-bottom: 1px solid #e0c060; }")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 6, 6)
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        close = QToolButton(self)
        close.setText("✕")
        close.setToolTip("Dismiss")
        close.clicked.connect(self.hide)
        layout.addWidget(self.text, 1)
        layout.addWidget(close)
        self.hide()

    def say(self, text: str) -> None:
        self.text.setText(text)
        self.setVisible(bool(text))


class MainWindow(QMainWindow):
    """Loads in a worker; never calls Docker or parses files on the GUI thread."""

    loaded = Signal()

    def __init__(self, file: str | None = None) -> None:
        super().__init__()
        self.setWindowTitle("fromscratch")
        self.view = TreeView(self)
        self.banner = Banner(self)
        central = QWidget(self)
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.banner)
        column.addWidget(self.view, 1)
        self.setCentralWidget(central)
        self.source = QLabel("loading…", self)
        self.progress = QProgressBar(self)
        self.progress.setMaximumWidth(220)
        self.progress.hide()
        self.statusBar().addWidget(self.source, 1)
        self.statusBar().addPermanentWidget(self.progress)
        self.opened: Opened | None = None
        self.failure = ""
        """The last load's one-line error, empty after a successful load."""
        self._tasks: list[tasks.Task] = []
        self._saves: list[tasks.Task] = []  # never cancelled: a started save completes
        self._menus()
        if file:
            self.open_path(file)
        else:
            self.reload()

    def _menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self._action(file_menu, "&Open…", QKeySequence.StandardKey.Open, self.choose_file)
        self._action(file_menu, "&Save snapshot…", QKeySequence.StandardKey.Save, self.choose_save)
        file_menu.addSeparator()
        self._action(file_menu, "&Quit", QKeySequence.StandardKey.Quit, self.close)
        view_menu = self.menuBar().addMenu("&View")
        reload = self._action(view_menu, "&Reload", QKeySequence("F5"), self.reload)
        reload.setShortcuts([QKeySequence("F5"), QKeySequence("Ctrl+R")])
        self._action(view_menu, "&Fit tree", QKeySequence("F"), self.view.fit)

    def _action(
        self,
        menu: QMenu,
        text: str,
        key: QKeySequence | QKeySequence.StandardKey,
        slot: Callable[[], object],
    ) -> QAction:
        action = QAction(text, self)
        action.setShortcut(key)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _run(self, fn: object, *args: object) -> None:
        for old in self._tasks:
            old.cancel()
        task = tasks.Task(fn, *args)  # type: ignore[arg-type]
        task.signals.progress.connect(self._on_progress)
        task.signals.done.connect(self._on_opened)
        task.signals.failed.connect(self._on_failed)
        self._tasks = [task]
        self.progress.setRange(0, 0)
        self.progress.show()
        tasks.start(task)

    def reload(self) -> None:
        self.source.setText("loading from the Docker engine…")
        self._run(open_default)

    def open_path(self, path: str) -> None:
        self.source.setText(f"opening {path}…")
        self._run(open_file, path)

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            "Open snapshot or inspect JSON",
            str(Path.home()),
            "Snapshots and inspect output (*.json *.json.gz *.gz);;All files (*)",
        )
        if path:
            self.open_path(path)

    def choose_save(self) -> None:
        if self.opened is None:
            return
        path, _ = QFileDialog.getSaveFileName(
            self,
            "Save snapshot",
            str(Path.home() / "fromscratch-snapshot.json.gz"),
            "Snapshots (*.json.gz *.json)",
        )
        if not path:
            return
        inventory = self.opened.inventory
        task = tasks.Task(lambda progress, cancel: save(inventory, path))
        task.signals.done.connect(
            lambda saved: self.statusBar().showMessage(f"saved {saved}", 8000)
        )
        task.signals.failed.connect(
            lambda exc: QMessageBox.warning(self, "Save snapshot", str(exc))
        )
        self._saves.append(task)
        tasks.start(task)

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _on_opened(self, opened: Opened) -> None:
        self.opened = opened
        self.failure = ""
        self.progress.hide()
        self.source.setText(opened.describe())
        what = {"last-live": "the last live snapshot", "sample": "the bundled sample"}
        self.banner.say(
            f"{opened.notice} Showing {what.get(opened.kind, 'a file')} instead."
            if opened.notice
            else ""
        )
        self.view.show_graph(opened.graph)
        self.loaded.emit()

    def _on_failed(self, exc: BaseException) -> None:
        self.progress.hide()
        self.failure = str(exc)
        if self.opened is None:
            self.source.setText("nothing loaded")
        self.banner.say(self.failure)
        self.loaded.emit()

    def closeEvent(self, event: object) -> None:
        tasks.shutdown(self._tasks)  # waits for running saves too (the pool drains)
        super().closeEvent(event)  # type: ignore[arg-type]

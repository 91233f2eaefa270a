"""The File menu's work: open, recent files, save a snapshot (in a worker), export pictures and
graphs, remove the FROM-scratch example image, and (Linux) the applications-menu entry."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMenu

from fromscratch.core.formats.snapshot import save
from fromscratch.gui import tasks

if TYPE_CHECKING:
    from fromscratch.gui.mainwindow import MainWindow

FILE_FILTER = "Snapshots and inspect output (*.json *.json.gz *.gz);;All files (*)"
MAX_RECENT = 8


class FileActions(QObject):
    """Owned by the window; `saves` keeps running saves and removals (never cancelled)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.saves: list[tasks.Task] = []
        self.recent_menu = QMenu("Open &recent", window)

    def remember(self, path: str) -> None:
        recent = [p for p in self.recent() if p != path]
        self.window.settings.setValue("recent", [path, *recent][:MAX_RECENT])
        self.fill_recent()

    def recent(self) -> list[str]:
        value = self.window.settings.value("recent", [])
        return [str(v) for v in value] if isinstance(value, list) else [str(value)] if value else []

    def fill_recent(self) -> None:
        self.recent_menu.clear()
        for path in self.recent():
            action = self.recent_menu.addAction(path)
            action.triggered.connect(lambda _=False, p=path: self.window.open_path(p))
        self.recent_menu.setEnabled(bool(self.recent()))

    def choose_file(self) -> None:
        from PySide6.QtWidgets import QFileDialog  # dialogs load on first use

        path, _ = QFileDialog.getOpenFileName(
            self.window, "Open snapshot or inspect JSON", str(Path.home()), FILE_FILTER
        )
        if path:
            self.window.open_path(path)

    def choose_save(self) -> None:
        from PySide6.QtWidgets import QFileDialog  # dialogs load on first use

        if self.window.opened is None:
            return
        path, _ = QFileDialog.getSaveFileName(
            self.window,
            "Save snapshot",
            str(Path.home() / "fromscratch-snapshot.json.gz"),
            "Snapshots (*.json.gz *.json)",
        )
        if not path:
            return
        inventory = self.window.opened.inventory
        self.in_worker(lambda progress, cancel: save(inventory, path), "Save snapshot", "saved")

    def choose_picture(self, whole: bool) -> None:
        from PySide6.QtWidgets import QFileDialog  # dialogs load on first use

        path, _ = QFileDialog.getSaveFileName(
            self.window,
            "Export picture",
            str(Path.home() / "fromscratch-tree.png"),
            "PNG image (*.png);;SVG drawing (*.svg)",
        )
        if path:
            from fromscratch.gui.tree.export import export_picture

            self.report(lambda: export_picture(self.window.view, path, whole))

    def choose_graph_export(self) -> None:
        from PySide6.QtWidgets import QFileDialog  # dialogs load on first use

        from fromscratch.core.graph.export import export_graph, file_filters

        if self.window.shown is None:
            return
        path, _ = QFileDialog.getSaveFileName(
            self.window,
            "Export graph",
            str(Path.home() / "fromscratch-tree.json"),
            file_filters(),
        )
        if path:  # rendering 10,000 nodes as text takes a moment: in a worker
            shown = self.window.shown
            self.in_worker(lambda progress, cancel: export_graph(shown, path), "Export", "exported")

    def in_worker(self, work: Callable[..., object], title: str, verb: str) -> None:
        """Run `work` in the pool; say where it wrote, or show why it could not."""
        from PySide6.QtWidgets import QMessageBox  # dialogs load on first use

        task = tasks.Task(work)
        task.signals.done.connect(
            lambda written: self.window.statusBar().showMessage(f"{verb} {written}", 8000)
        )
        task.signals.failed.connect(lambda exc: QMessageBox.warning(self.window, title, str(exc)))
        self.saves.append(task)
        tasks.start(task)

    def report(self, write: Callable[[], Path]) -> None:
        from PySide6.QtWidgets import QMessageBox  # dialogs load on first use

        try:
            written = write()
        except (OSError, ValueError) as exc:
            QMessageBox.warning(self.window, "Export", str(exc))
        else:
            self.window.statusBar().showMessage(f"exported {written}", 8000)

    def remove_example(self) -> None:
        from PySide6.QtWidgets import QMessageBox  # dialogs load on first use

        opened = self.window.opened
        if opened is None or opened.endpoint is None:
            self.window.statusBar().showMessage("removing the example needs the live engine", 6000)
            return
        from fromscratch.core.evidence.runs import remove_scratch_example

        endpoint = opened.endpoint
        task = tasks.Task(lambda progress, cancel: remove_scratch_example(endpoint))
        task.signals.done.connect(self.example_removed)
        task.signals.failed.connect(
            lambda exc: QMessageBox.warning(self.window, "Remove", str(exc))
        )
        self.saves.append(task)
        tasks.start(task)

    def example_removed(self, removed: object) -> None:
        self.window.statusBar().showMessage(
            "example image removed" if removed else "no example image to remove", 6000
        )
        self.window.reload()

    def add_to_applications_menu(self) -> None:
        """Linux: a menu entry and icon for this installation (core.desktop), in a worker."""
        from fromscratch.core import desktop

        self.in_worker(
            lambda progress, cancel: desktop.install().entry,
            "Applications menu",
            "fromscratch is in the applications menu:",
        )

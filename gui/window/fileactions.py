"""The File menu's work: open, recent files, save a snapshot (in a worker), export pictures and
graphs, remove the FROM-scratch example image, and (Linux) the applications-menu entry.

It reads what is open from the window's controller, never a copy of it, and says what it did
through `message(text, msecs)` (the window shows it in the status bar)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QEvent, QObject, QSettings, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QMenu, QWidget

from fromscratch.core.formats.snapshot import save
from fromscratch.core.task import Task, TaskContext
from fromscratch.gui import plain, tasks
from fromscratch.gui.window import settings as remembered

if TYPE_CHECKING:
    from fromscratch.gui.tree.export import PictureView
    from fromscratch.gui.window.controller import Controller

FILE_FILTER = (
    "Snapshots, inspect output, docker save archives (*.json *.gz *.tar *.tgz);;All files (*)"
)
MAX_RECENT = 8
T = TypeVar("T")


class FileActions(QObject):
    """`saves` keeps running saves and removals (never cancelled: a half-done save is worse)."""

    message = Signal(str, int)

    def __init__(
        self,
        controller: Controller,
        settings: QSettings,
        picture_view: Callable[[], PictureView],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.settings = settings
        self.picture_view = picture_view
        """The view File > Export saves: the tree, or the disk rings on their tab."""
        self.parent_widget = parent
        self.saves: list[tasks.Worker] = []
        self.recent_menu = QMenu("Open &recent", parent)
        parent.setAcceptDrops(True)  # a file dropped on the window opens
        parent.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.DragEnter and isinstance(event, QDragEnterEvent):
            if event.mimeData().hasUrls():
                event.acceptProposedAction()
                return True
        elif kind == QEvent.Type.Drop and isinstance(event, QDropEvent):
            files = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
            if files:
                self.controller.open_path(files[0])
                event.acceptProposedAction()
                return True
        return False

    def remember(self, path: str) -> None:
        recent = [p for p in self.recent() if p != path]
        remembered.RECENT.write(self.settings, [path, *recent][:MAX_RECENT])
        self.fill_recent()

    def recent(self) -> list[str]:
        return remembered.RECENT.read(self.settings)

    def fill_recent(self) -> None:
        self.recent_menu.clear()
        for number, path in enumerate(self.recent(), start=1):
            key = f"&{number} " if number < 10 else ""  # Alt, O, then its number
            action = self.recent_menu.addAction(key + plain.menu_text(path))
            action.triggered.connect(lambda _=False, p=path: self.controller.open_path(p))
        self.recent_menu.setEnabled(bool(self.recent()))

    def choose_file(self) -> None:
        from PySide6.QtWidgets import QFileDialog  # dialogs load on first use

        path, _ = QFileDialog.getOpenFileName(
            self.parent_widget, "Open snapshot or inspect JSON", str(Path.home()), FILE_FILTER
        )
        if path:
            self.controller.open_path(path)

    def choose_save(self, *, with_files: bool = False) -> None:
        """Save what is open; `with_files`: every image's layer indexes too (read first where
        the layer cache lacks them), and the status says how much bigger that made it."""
        from PySide6.QtWidgets import QFileDialog  # dialogs load on first use

        opened = self.controller.opened
        if opened is None:
            return
        title = "Save snapshot with files" if with_files else "Save snapshot"
        path, _ = QFileDialog.getSaveFileName(
            self.parent_widget,
            title,
            str(Path.home() / "fromscratch-snapshot.json.gz"),
            "Snapshots (*.json.gz *.json)",
        )
        if not path:
            return
        inventory, source = opened.inventory, opened.layer_source()

        def work(context: TaskContext) -> str:
            if not with_files:
                return str(save(inventory, path))
            from dataclasses import replace

            from fromscratch.core.layers.cache import LayerCache
            from fromscratch.core.layers.carry import carried

            kept = carried(inventory.images, LayerCache(), source, lambda: context.cancelled)
            written = save(replace(inventory, layer_files=kept.files), path)
            lacking = f"; {kept.missing} not read here" if kept.missing else ""
            layers = f"{len(kept.files)} layers ({kept.mib:.1f} MiB more{lacking})"
            return f"{written} with the files of {layers}"

        self.in_worker(work, title, "saved")

    def choose_picture(self, *, whole: bool) -> None:
        from PySide6.QtWidgets import QFileDialog  # dialogs load on first use

        path, _ = QFileDialog.getSaveFileName(
            self.parent_widget,
            "Export picture",
            str(Path.home() / "fromscratch-tree.png"),
            "PNG image (*.png);;SVG drawing (*.svg)",
        )
        if path:
            from fromscratch.gui.tree.export import export_picture

            view = self.picture_view()
            self.report(lambda: export_picture(view, path, whole=whole))

    def choose_graph_export(self) -> None:
        from PySide6.QtWidgets import QFileDialog  # dialogs load on first use

        from fromscratch.core.graph.export import export_graph, file_filters

        shown = self.controller.shown
        if shown is None:
            return
        path, _ = QFileDialog.getSaveFileName(
            self.parent_widget,
            "Export graph",
            str(Path.home() / "fromscratch-tree.json"),
            file_filters(),
        )
        if path:  # rendering 10,000 nodes as text takes a moment: in a worker
            self.in_worker(lambda context: export_graph(shown, path), "Export", "exported")

    def in_worker(self, work: Task[T], title: str, verb: str) -> tasks.Worker:
        """Run `work` in the pool; say where it wrote, or show why it could not."""
        worker = tasks.run(
            work,
            done=lambda written: self.message.emit(f"{verb} {written}", 8000),
            failed=lambda exc: self._warn(title, exc),
            owner=self,
        )
        self.saves.append(worker)
        return worker

    def _warn(self, title: str, exc: BaseException) -> None:
        from PySide6.QtWidgets import QMessageBox  # dialogs load on first use

        QMessageBox.warning(self.parent_widget, title, str(exc))

    def report(self, write: Callable[[], Path]) -> None:
        try:
            written = write()
        except (OSError, ValueError) as exc:
            self._warn("Export", exc)
        else:
            self.message.emit(f"exported {written}", 8000)

    def remove_example(self) -> None:
        opened = self.controller.opened
        if opened is None or opened.endpoint is None:
            self.message.emit("removing the example needs the live engine", 6000)
            return
        from fromscratch.core.evidence.scratch import remove_scratch_example

        endpoint = opened.endpoint

        def work(context: TaskContext) -> bool:
            return remove_scratch_example(endpoint)

        worker = tasks.run(
            work,
            done=self.example_removed,
            failed=lambda exc: self._warn("Remove", exc),
            owner=self,
        )
        self.saves.append(worker)

    def example_removed(self, removed: bool) -> None:  # noqa: FBT001 - a task's result
        self.message.emit(
            "example image removed" if removed else "no example image to remove", 6000
        )
        self.controller.reload()

    def add_to_applications_menu(self) -> None:
        """Linux: a menu entry and icon for this installation (core.desktop), in a worker."""
        from fromscratch.core import desktop

        self.in_worker(
            lambda context: desktop.install().entry,
            "Applications menu",
            "fromscratch is in the applications menu:",
        )

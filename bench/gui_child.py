"""Child process of bench_gui: start, paint once, print the time, quit.

`bare` is the baseline: a QMainWindow with a label. `app` starts fromscratch through its real
entry point (`fromscratch.__main__.main`, what the `fromscratch` command runs), style and theme
included, and reports the first paint of the tree view once the tree is laid out. The child
imports nothing before the entry point does, so modules load in the order they do for a user;
it only wraps `QApplication.exec` (when the app imports Qt) to watch one widget's paint events,
as the bare mode does.
"""

from __future__ import annotations

import importlib.abc
import importlib.util
import os
import sys
import time
from collections.abc import Sequence
from importlib.machinery import ModuleSpec
from types import ModuleType
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def first_paint_watcher(widget_module: ModuleType) -> Any:
    """An event filter that prints the time of its target's first paint once armed, and quits."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    application = widget_module.QApplication

    def report() -> None:
        print("painted", time.time(), flush=True)
        application.quit()

    class FirstPaint(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.target: Any = None
            self.ready = False

        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            if self.ready and event.type() == QEvent.Type.Paint:
                self.ready = False
                QTimer.singleShot(0, report)
            return False

        def watch(self, target: Any) -> None:
            self.target = target
            target.installEventFilter(self)

        def arm(self) -> None:
            self.ready = True
            self.target.update()

    return FirstPaint()


def bare() -> int:
    from PySide6 import QtWidgets

    app = QtWidgets.QApplication([sys.argv[0]])
    window = QtWidgets.QMainWindow()
    label = QtWidgets.QLabel("hello", window)
    window.setCentralWidget(label)
    watcher = first_paint_watcher(QtWidgets)
    watcher.watch(label)
    watcher.ready = True
    window.resize(1600, 1000)
    window.show()
    return app.exec()


class ExecHook(importlib.abc.MetaPathFinder):
    """When the app imports PySide6.QtWidgets, wrap `QApplication.exec`: its first event-loop
    turn (after the window is shown, before any load result arrives) starts the watch."""

    NAME = "PySide6.QtWidgets"

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if fullname != self.NAME:
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(fullname)
        assert spec is not None and spec.loader is not None
        load = spec.loader.exec_module

        def exec_module(module: ModuleType) -> None:
            load(module)
            wrap_exec(module)

        spec.loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


def wrap_exec(widgets: ModuleType) -> None:
    from PySide6.QtCore import QTimer

    application = widgets.QApplication
    run = application.exec
    watcher = first_paint_watcher(widgets)

    def watch() -> None:
        window: Any = next(w for w in application.topLevelWidgets() if hasattr(w, "arranged"))
        watcher.watch(window.view.viewport())
        window.arranged.connect(watcher.arm)

    def exec_watched(self: Any) -> int:
        QTimer.singleShot(0, watch)
        return int(run())

    application.exec = exec_watched


def app(file: str | None) -> int:
    sys.meta_path.insert(0, ExecHook())
    from fromscratch.__main__ import main as fromscratch

    return fromscratch(["--size", "1600x1000"] + ([file] if file else []))


if __name__ == "__main__":
    mode = sys.argv[1]
    raise SystemExit(bare() if mode == "bare" else app(sys.argv[2] if len(sys.argv) > 2 else None))

"""Child process of bench_gui: start, paint once, print the time, quit.

`bare` is the baseline: a QMainWindow with a label. `app` starts fromscratch through its real
entry point (`gui.launcher.main`, the `fromscratch` command), style and theme included, and
reports the first paint of the tree view after the tree has been laid out: the app creates its
own QApplication as it does for a user, and the child only wraps `QApplication.exec` to start
watching one widget's paint events, as the bare mode does.
"""

from __future__ import annotations

import os
import sys
import time
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> int:
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    mode, file = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else None)

    def report() -> None:
        print("painted", time.time(), flush=True)
        QApplication.quit()

    class FirstPaint(QObject):
        """Prints the time of `target`'s first paint once `ready`, then quits."""

        def __init__(self, target: QObject | None = None, ready: bool = False) -> None:
            super().__init__()
            self.target, self.ready = target, ready

        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            if self.ready and event.type() == QEvent.Type.Paint:
                self.ready = False
                QTimer.singleShot(0, report)
            return False

        def arm(self) -> None:
            self.ready = True
            self.target.update()  # type: ignore[union-attr]

    if mode == "bare":
        app = QApplication([sys.argv[0]])
        window = QMainWindow()
        label = QLabel("hello", window)
        window.setCentralWidget(label)
        watcher = FirstPaint(label, ready=True)
        label.installEventFilter(watcher)
        window.resize(1600, 1000)
        window.show()
        return app.exec()

    watcher = FirstPaint()

    def watch() -> None:
        """Runs first in the event loop, after the entry point has shown the window and before
        any result of its load task is delivered (posted events keep their order)."""
        window: Any = next(w for w in QApplication.topLevelWidgets() if hasattr(w, "arranged"))
        watcher.target = window.view.viewport()
        watcher.target.installEventFilter(watcher)
        window.arranged.connect(watcher.arm)

    run = QApplication.exec

    def exec_watched(self: QApplication) -> int:
        QTimer.singleShot(0, watch)
        return run()

    QApplication.exec = exec_watched  # type: ignore[assignment,method-assign]
    from gui.launcher import main as fromscratch

    return fromscratch(["--size", "1600x1000"] + ([file] if file else []))


if __name__ == "__main__":
    raise SystemExit(main())

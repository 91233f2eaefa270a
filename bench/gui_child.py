"""Child process of bench_gui: start, paint once, report. `bare` is the baseline window."""

from __future__ import annotations

import os
import sys
import time
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def private_settings() -> Any:
    """A throwaway settings file, so a benchmark neither reads nor writes the user's."""
    import tempfile

    from PySide6.QtCore import QSettings

    return QSettings(tempfile.mkdtemp(prefix="fs-bench-") + "/s.ini", QSettings.Format.IniFormat)


def main() -> None:
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    mode, file = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else None)
    app = QApplication([sys.argv[0]])

    class FirstPaint(QObject):
        def __init__(self, ready: bool) -> None:
            super().__init__()
            self.ready = ready

        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and self.ready:
                QTimer.singleShot(
                    0, lambda: (print("painted", time.time(), flush=True), app.quit())
                )
                self.ready = False
            return False

    if mode == "bare":
        window = QMainWindow()
        label = QLabel("hello", window)
        window.setCentralWidget(label)
        watcher = FirstPaint(True)
        label.installEventFilter(watcher)
    else:
        from gui.mainwindow import MainWindow

        window = MainWindow(file, settings=private_settings())
        watcher = FirstPaint(False)
        window.view.viewport().installEventFilter(watcher)

        def on_arranged() -> None:
            watcher.ready = True
            window.view.viewport().update()

        window.arranged.connect(on_arranged)
    window.resize(1600, 1000)
    window.show()
    app.exec()


if __name__ == "__main__":
    main()

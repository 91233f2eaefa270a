"""The 1/30 rule, measured: every text the room sees while presenting is at least 1/30 of the
window's height. Shared by the offscreen tests and the real-window check below, which runs in
a child process on Xvfb with openbox (`python -m tests.gui.legibility OUT_DIR`): it presents
full screen, walks the whole story on both tabs, and prints what it measured as JSON."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any


def _px(widget: Any) -> int:
    from PySide6.QtGui import QFontInfo

    return int(QFontInfo(widget.font()).pixelSize())


def too_small(window: Any) -> tuple[list[str], int]:
    """The texts on screen now under the floor, and how many texts were measured. Paints the
    window first: items record the sizes they drew their text at."""
    window.grab()
    floor = window.height() / 30
    small: list[str] = []
    measured = 0

    def check(name: str, pixels: float) -> None:
        nonlocal measured
        measured += 1
        if pixels < floor - 0.5:
            small.append(f"{name}: {pixels:.1f} px < {floor:.1f}")

    if window.tabs.currentIndex() == 2:
        rings = window.tabs.disk
        check(f"disk caption {rings.caption.text()[:30]!r}", _px(rings.caption))
        for label in rings.labels:
            if label.isVisible():
                for size in label.painted:  # labels ignore the zoom: sizes are on screen
                    check(f"ring {label.text()[:30]!r}", size)
    elif window.tabs.currentIndex() == 1:
        kernel = window.kernel
        for label in (kernel.title, kernel.text, kernel.counter):
            if label.isVisible():
                check(f"story {label.text()[:30]!r}", _px(label))
        scene = kernel.scene
        items = [b for b in scene.blocks.values() if b.opacity() > 0.5]
        items.append(scene.caption)
        if scene.line.opacity() > 0.5:
            items.append(scene.line)
        for item in items:
            for size in item.painted:
                check(f"picture {getattr(item, 'text', '')[:30]!r}", size / scene.units_per_px)
    else:
        view, caption = window.view, window.storyline.caption
        if caption.isVisible():
            for label in (caption.title, caption.text, caption.counter):
                check(f"caption {label.text()[:30]!r}", _px(label))
        scale = view.scale_now()
        for item in view.tree.nodes.values():
            if item.isVisible():
                for size in item.painted:
                    check(f"card {item.title[:30]!r}", size * scale)
    return small, measured


def blanks(window: Any, app: Any) -> list[bool]:
    """B covers the whole screen in black and `.` brings it back, as a clicker sends them
    (keys to the focused view, through the window's shortcuts)."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    cover = window.presenter.blackout
    QTest.keyClick(app.focusWidget() or window, Qt.Key.Key_B)
    app.processEvents()
    shown = cover.isVisible() and cover.geometry() == window.rect()
    black = window.grab().toImage().pixelColor(window.width() // 2, window.height() // 2).name()
    QTest.keyClick(app.focusWidget() or window, Qt.Key.Key_Period)
    app.processEvents()
    return [shown, black == "#000000", not cover.isVisible()]


def main(out: Path) -> int:
    from PySide6.QtCore import QSettings, Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    app = QApplication([sys.argv[0], "-style", "Fusion"])
    from fromscratch.gui.window.mainwindow import MainWindow

    settings = QSettings(str(out / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings=settings)
    window.set_reduced_motion(on=True)
    report: dict[str, Any] = {"small": [], "measured": 0, "steps": 0}
    screen = window.screen().geometry()

    def walk() -> None:
        report["window"] = [window.width(), window.height()]
        report["screen"] = [screen.width(), screen.height()]
        story = window.storyline
        for position in range(story.total):
            story.go(position)
            if window.tabs.currentIndex() == 1:
                window.kernel.show_step(window.kernel.index, animate=False)
            app.processEvents()
            small, measured = too_small(window)
            report["small"] += [f"step {position + 1}: {s}" for s in small]
            report["measured"] += measured
            report["steps"] += 1
            window.grab().save(str(out / f"step{position + 1:02}.png"))
        report["blank"] = blanks(window, app)
        QTest.keyClick(
            app.focusWidget() or window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier
        )
        disk()

    def disk() -> None:
        """Ctrl+3 while presenting: the disk rings, once their figures are computed."""
        rings = window.tabs.built_disk
        if rings is None or not rings.wedges:
            QTimer.singleShot(100, disk)
            return
        app.processEvents()
        small, measured = too_small(window)
        report["small"] += [f"disk: {s}" for s in small]
        report["disk_measured"] = measured
        window.grab().save(str(out / "disk.png"))
        sys.stdout.write(json.dumps(report) + "\n")
        app.quit()

    def present() -> None:
        if window.action("present").isChecked():
            return  # presenting lays the tree out again: once is enough
        window.set_presenting(on=True)
        QTimer.singleShot(1500, walk)  # the window manager makes it full screen

    window.arranged.connect(lambda: QTimer.singleShot(300, present))
    window.show()
    QTimer.singleShot(60_000, app.quit)
    return int(app.exec())


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))

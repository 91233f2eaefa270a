"""`fromscratch [FILE] [--screenshot OUT.png [--size WxH]]`: the desktop app."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication


def parse(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="fromscratch",
        description="Every local Docker image's inheritance down to scratch. "
        "Commands: tree, snapshot, info (see fromscratch tree --help).",
    )
    parser.add_argument("file", nargs="?", help="a snapshot or `docker image inspect` JSON file")
    parser.add_argument("--screenshot", metavar="OUT.png", help="render offscreen, save, exit")
    parser.add_argument(
        "--size",
        metavar="WxH",
        help="window size (default: the saved one, else what fits the screen)",
    )
    parser.add_argument("--select", metavar="REF", help="with --screenshot: select this image")
    parser.add_argument(
        "--present",
        action="store_true",
        help="start in presentation mode (full screen; F11 or Esc leaves it)",
    )
    parser.add_argument(
        "--view",
        choices=("tree", "kernel", "walk", "disk", "images", "files"),
        default="tree",
        help="which view to show first (walk: the story's steps on the tree)",
    )
    parser.add_argument(
        "--step",
        type=int,
        default=1,
        metavar="N",
        help="with --view kernel or walk: the story step to show (1 = its first)",
    )
    parser.add_argument(
        "--theme",
        choices=("system", "light", "dark", "projector"),
        help="colours for this run (default: the saved choice, else the system's)",
    )
    return parser.parse_args(list(argv))


def application() -> QApplication:
    """The running QApplication, else a new one; in Fusion either way (the same look on every
    desktop, and a palette that dark themes can rely on)."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):  # tests, or an embedding script
        existing.setStyle("Fusion")
        return existing
    # Chosen as Qt starts: app.setStyle() hands Python a QStyle, whose eleven big enums cost
    # PySide6 ~4 ms to create at launch.
    return QApplication([sys.argv[0], "-style", "Fusion"])


def scratch_copy(settings: QSettings) -> QSettings:
    """The user's settings copied into a file of this run's own, deleted when it ends."""
    import atexit
    import shutil
    import tempfile

    folder = tempfile.mkdtemp(prefix="fromscratch-settings-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    copy = QSettings(f"{folder}/settings.ini", QSettings.Format.IniFormat)
    for key in settings.allKeys():
        copy.setValue(key, settings.value(key))
    return copy


def main(argv: Sequence[str] | None = None) -> int:
    args = parse(sys.argv[1:] if argv is None else argv)
    size: tuple[int, int] | None = None
    if args.size is not None:
        try:
            width, height = (int(v) for v in args.size.lower().split("x"))
        except ValueError:
            width = height = 0
        if not (200 <= width <= 16384 and 200 <= height <= 16384):
            print(
                f"fromscratch: --size {args.size!r}: expected WIDTHxHEIGHT, e.g. 1920x1080",
                file=sys.stderr,
            )
            return 2
        size = (width, height)
    if args.step != 1 and args.view != "walk":  # a walk's length depends on the data
        from fromscratch.core.story.steps import STORY

        if not 1 <= args.step <= len(STORY):
            print(f"fromscratch: --step {args.step}: choose 1 to {len(STORY)}", file=sys.stderr)
            return 2
    if args.screenshot:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = application()
    app.setApplicationName("fromscratch")
    app.setOrganizationName("fromscratch")
    from importlib import resources

    from PySide6.QtGui import QIcon

    from fromscratch.gui.theme import activate, resolve
    from fromscratch.gui.window import settings as remembered
    from fromscratch.gui.window.mainwindow import MainWindow
    from fromscratch.gui.window.placement import place

    # An SVG file icon stays crisp at every size and device pixel ratio.
    app.setWindowIcon(
        QIcon(str(resources.files("fromscratch.resources").joinpath("icons/fromscratch.svg")))
    )
    settings = QSettings()
    if args.screenshot:  # a picture of the user's set-up that changes none of it
        settings = scratch_copy(settings)
    activate(app, resolve(args.theme or remembered.THEME.read(settings)))
    window = MainWindow(args.file, settings=settings)
    if args.theme:
        window.set_theme(args.theme, remember=False)
    if args.view == "kernel":
        window.show_tab(1)
        window.kernel.show_step(args.step - 1, animate=not args.screenshot)
    elif args.view == "disk":
        window.show_tab(2)
    elif args.view == "images":
        window.show_tab(3)
    elif args.view == "files":
        window.show_tab(4)
    if size is not None:
        window.resize(*size)
    else:  # the first launch fits the screen; a saved geometry is kept while it fits
        place(window, restored=window.geometry_restored)
    if args.present:
        window.set_presenting(on=True, full_screen=size is None)
    if args.screenshot:
        out = args.screenshot
        waits = [0] * 50

        def shoot() -> None:
            controller = window.controller
            if controller.failure or controller.refused_file:
                print(
                    f"fromscratch: {controller.failure or controller.refused_file}", file=sys.stderr
                )
                app.exit(2)
                return
            if args.select and not controller.selected:
                from fromscratch.core.graph.tree import find

                # The whole graph: an image the overview folded is revealed by selecting it.
                whole = controller.opened.graph if controller.opened is not None else None
                node = find(whole, args.select) if whole is not None else None
                if node is None:
                    print(f"fromscratch: --select {args.select!r}: no such image", file=sys.stderr)
                    app.exit(2)
                    return
                window.view.reduced_motion = True
                window.select_node(node)
                QTimer.singleShot(300, shoot)
                return
            if args.view == "walk" and window.storyline.at is None:
                walk = window.storyline.walk
                count = len(walk.steps) if walk is not None else 0
                if not 1 <= args.step <= count:
                    print(f"fromscratch: --step {args.step}: choose 1 to {count}", file=sys.stderr)
                    app.exit(2)
                    return
                window.view.reduced_motion = True
                window.storyline.show_walk(args.step - 1)
                QTimer.singleShot(300, shoot)
                return
            disk = window.tabs.built_disk
            if args.view == "disk" and disk is not None and not disk.wedges and waits:
                waits.pop()  # the figures are computed in a worker: up to 10 s
                QTimer.singleShot(200, shoot)
                return
            if window.storyline.at is None:
                window.view.fit(animated=False)
            ok = window.grab().save(out)
            if not ok:
                print(f"fromscratch: cannot write {out}", file=sys.stderr)
            app.exit(0 if ok else 2)

        window.arranged.connect(lambda: QTimer.singleShot(400, shoot))
    window.show()
    return int(app.exec())

"""The window's menus and shortcuts, declared as a table and built in one place.

Each command's handler is found on the window by a function (`lambda w: w.files.choose_file`:
mypy checks it exists), so the table reads like the menu bar; checkable commands call their
handler with `on=` the new state; `does` says what a command with keys does, for the Keys
help page (gui.window.keys makes it from this table). Every action is also added to the window
itself, so its shortcut works with the menu bar hidden (presenting).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMainWindow, QMenu

    from fromscratch.gui.window.mainwindow import MainWindow

Key = QKeySequence.StandardKey | str


Handler = Callable[["MainWindow"], Callable[..., object]]


def _none(_window: MainWindow) -> Callable[..., object]:
    raise AssertionError("a placeholder entry has no handler")


class Command:
    """One menu entry: `handler(window)` is the method called with `args` and `options`;
    `name` is set for actions the window reads back (`window.action("present")`); `does`
    is what its keys do and `where` where they work, for the Keys help. A plain class: a
    dataclass costs ~1 ms at every launch."""

    __slots__ = (
        "args",
        "checkable",
        "does",
        "handler",
        "keys",
        "linux_only",
        "name",
        "options",
        "text",
        "where",
    )

    def __init__(
        self,
        text: str,
        handler: Handler,
        keys: tuple[Key, ...] = (),
        *,
        checkable: bool = False,
        name: str = "",
        args: tuple[object, ...] = (),
        options: tuple[tuple[str, object], ...] = (),
        linux_only: bool = False,
        does: str = "",
        where: str = "anywhere",
    ) -> None:
        self.text, self.handler, self.keys = text, handler, keys
        self.checkable, self.name, self.linux_only = checkable, name, linux_only
        self.args, self.options, self.does, self.where = args, options, does, where


SEPARATOR = Command("", _none)
RECENT = Command("<recent files>", _none)
THEMES = Command("<themes>", _none)
DETAILS = Command("<details dock>", _none)

STANDARD = QKeySequence.StandardKey

MENUS: tuple[tuple[str, tuple[Command, ...]], ...] = (
    (
        "&File",
        (
            Command(
                "&Open…",
                lambda w: w.files.choose_file,
                (STANDARD.Open,),
                does="open a snapshot, a `docker save` archive or `docker image inspect` JSON",
            ),
            RECENT,
            Command("&Connect to engine…", lambda w: w.connector.choose),
            Command(
                "&Save snapshot…",
                lambda w: w.files.choose_save,
                (STANDARD.Save,),
                does="save what is open as a snapshot, to study offline",
            ),
            Command(
                "Save snapshot with &files…",
                lambda w: w.files.choose_save,
                ("Ctrl+Shift+S",),
                options=(("with_files", True),),
                does="save a snapshot with every image's layer indexes (its Files tab offline)",
            ),
            SEPARATOR,
            Command(
                "Export &view as PNG/SVG…",
                lambda w: w.files.choose_picture,
                options=(("whole", False),),
            ),
            Command(
                "Export &whole tree as PNG/SVG…",
                lambda w: w.files.choose_picture,
                options=(("whole", True),),
            ),
            Command("Export &graph (DOT, GraphML, JSON)…", lambda w: w.files.choose_graph_export),
            Command("Remove the FROM-scratch e&xample image", lambda w: w.files.remove_example),
            Command(
                "Add to the &applications menu",
                lambda w: w.files.add_to_applications_menu,
                linux_only=True,
            ),
            SEPARATOR,
            Command("&Quit", lambda w: w.close, (STANDARD.Quit,), does="quit"),
        ),
    ),
    (
        "&Edit",
        (
            Command(
                "&Find image…",
                lambda w: w.focus_search,
                (STANDARD.Find,),
                does="find an image by tag or id (Enter takes the first completion)",
            ),
            Command(
                "C&lear selection",
                lambda w: w.clear_selection,
                ("Esc",),
                does="clear the selection",
            ),
        ),
    ),
    (
        "&View",
        (
            Command(
                "&Reload",
                lambda w: w.controller.reload,
                ("F5", "Ctrl+R"),
                name="reload",
                does="reload (not while presenting)",
            ),
            Command(
                "&Fit tree",
                lambda w: w.view.fit_readable,
                ("F",),
                name="fit",
                does="fit the tree (too wide to read whole: its overview)",
                where="tree",
            ),
            Command(
                "Zoom &in", lambda w: w.view.zoom, (STANDARD.ZoomIn,), args=(1.25,), does="zoom in"
            ),
            Command(
                "Zoom &out",
                lambda w: w.view.zoom,
                (STANDARD.ZoomOut,),
                args=(0.8,),
                does="zoom out",
            ),
            Command(
                "&Go to scratch",
                lambda w: w.view.jump_to,
                ("Home",),
                args=("scratch",),
                name="home",
                does="go to scratch, the root of every chain",
                where="tree",
            ),
            SEPARATOR,
            Command(
                "I&nheritance tree",
                lambda w: w.show_tab,
                ("Ctrl+1",),
                args=(0,),
                does="the inheritance tree",
            ),
            Command(
                "&Kernel && user space",
                lambda w: w.show_tab,
                ("Ctrl+2",),
                args=(1,),
                does="the kernel and user space story",
            ),
            Command(
                "&Disk by lineage",
                lambda w: w.show_tab,
                ("Ctrl+3",),
                args=(2,),
                does="the disk by lineage",
            ),
            Command(
                "Images ta&ble",
                lambda w: w.show_tab,
                ("Ctrl+4",),
                args=(3,),
                does="the images table",
            ),
            Command(
                "File&s of the selected image",
                lambda w: w.show_tab,
                ("Ctrl+5",),
                args=(4,),
                does="the selected image's files",
            ),
            SEPARATOR,
            Command(
                "Cards show the image's si&ze",
                lambda w: w.sizes.choose,
                checkable=True,
                name="sizes-off",
                args=("off",),
            ),
            Command(
                "Cards show their o&wn layers' bytes",
                lambda w: w.sizes.choose,
                checkable=True,
                name="sizes-own",
                args=("own",),
            ),
            Command(
                "Cards show what removing them fr&ees",
                lambda w: w.sizes.choose,
                checkable=True,
                name="sizes-frees",
                args=("frees",),
            ),
            Command(
                "&Presentation mode",
                lambda w: w.set_presenting,
                ("F11",),
                checkable=True,
                name="present",
                does="presentation mode (Esc or F11 leaves)",
            ),
            SEPARATOR,
            THEMES,
            Command(
                "Reduce &motion", lambda w: w.set_reduced_motion, checkable=True, name="motion"
            ),
            DETAILS,
            Command(
                "&Containers",
                lambda w: w.containers.set_panel,
                ("Ctrl+Shift+K",),
                checkable=True,
                name="containers",
                does="the containers panel: each container, its image, state, ports, CPU, memory",
            ),
        ),
    ),
    (
        "F&ilters",
        (
            Command(
                "&Hide dangling images",
                lambda w: w.set_hide_dangling,
                checkable=True,
                name="dangling",
            ),
            Command(
                "Show build &intermediates",
                lambda w: w.controller.set_show_intermediates,
                checkable=True,
                name="intermediates",
            ),
            Command(
                "Only the &ancestry of the selection",
                lambda w: w.controller.set_focus_ancestry,
                ("Ctrl+L",),
                checkable=True,
                name="focus",
                does="only the ancestry of the selection",
            ),
            Command("&Expand all collapsed", lambda w: w.controller.expand_all),
            Command(
                "Collapse to &overview",
                lambda w: w.controller.collapse_to_overview,
                name="overview",
            ),
            Command(
                "Collapse base &chains",
                lambda w: w.controller.set_fold_chains,
                checkable=True,
                name="fold",
            ),
            Command(
                "&Focus on the selected base",
                lambda w: w.focus.set_on,
                ("Ctrl+B",),
                checkable=True,
                name="base-focus",
                does="focus on the selected base: what it contributes, everywhere",
            ),
        ),
    ),
    (
        "&Help",
        (
            Command("&Help", lambda w: w.helper.show, ("F1",), does="this help"),
            Command("&Legend", lambda w: w.helper.show, args=("legend",)),
            Command("&Keys", lambda w: w.helper.show, args=("keys",)),
        ),
    ),
)

THEME_CHOICES = (
    ("system", "&Follow the system"),
    ("light", "&Light"),
    ("dark", "&Dark"),
    ("projector", "&Projector"),
)


def _slot(window: MainWindow, command: Command) -> Callable[[bool], object]:
    handler = command.handler(window)
    args, options = command.args, dict(command.options)

    def checked_slot(checked: bool) -> object:  # noqa: FBT001 - QAction.triggered(bool)
        return handler(*args, on=checked, **options)

    def slot(_checked: bool = False) -> object:  # noqa: FBT001, FBT002 - as above
        return handler(*args, **options)

    return checked_slot if command.checkable else slot


def _choose(choose: Callable[[str], object], key: str, _checked: bool = False) -> object:  # noqa: FBT001, FBT002
    return choose(key)


def add_action(
    window: QMainWindow,
    menu: QMenu,
    text: str,
    slot: Callable[[bool], object],
    keys: tuple[Key, ...] = (),
    *,
    checkable: bool = False,
) -> QAction:
    """One action in `menu`, its shortcuts live on the window too."""
    action = QAction(text, window)
    if keys:
        action.setShortcuts([QKeySequence(k) for k in keys])
    action.setCheckable(checkable)
    action.triggered.connect(slot)
    menu.addAction(action)
    window.addAction(action)  # shortcuts keep working with the menu bar hidden (presenting)
    return action


def build_menus(
    window: MainWindow,
    recent: QMenu,
    details: QAction,
    choose_theme: Callable[[str], object],
) -> tuple[dict[str, QAction], dict[str, QAction]]:
    """Fill the menu bar from :data:`MENUS`: (named actions, theme actions by key)."""
    named: dict[str, QAction] = {}
    themes: dict[str, QAction] = {}
    for title, commands in MENUS:
        menu = window.menuBar().addMenu(title)
        for command in commands:
            if command is SEPARATOR:
                menu.addSeparator()
            elif command is RECENT:
                menu.addMenu(recent)
            elif command is DETAILS:
                menu.addAction(details)
            elif command is THEMES:
                sub = menu.addMenu("&Theme")
                for key, text in THEME_CHOICES:
                    themes[key] = add_action(
                        window, sub, text, partial(_choose, choose_theme, key), checkable=True
                    )
            elif not command.linux_only or sys.platform.startswith("linux"):
                action = add_action(
                    window,
                    menu,
                    command.text,
                    _slot(window, command),
                    command.keys,
                    checkable=command.checkable,
                )
                if command.name:
                    named[command.name] = action
    return named, themes

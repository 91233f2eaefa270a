"""The window's menus and shortcuts, declared as a table and built in one place.

Each command names its handler by attribute path on the window (`files.choose_file`,
`session.reload`), so the table reads like the menu bar; checkable commands call their handler
with `on=` the new state. Every action is also added to the window itself, so its shortcut
works with the menu bar hidden (presenting).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import partial
from operator import attrgetter
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMainWindow, QMenu

Key = QKeySequence.StandardKey | str


class Command:
    """One menu entry: `handler` is an attribute path on the window (`files.choose_file`),
    called with `args` and `options`; `name` is set for actions the window reads back
    (`window.action("present")`). A plain class: a dataclass costs ~1 ms at every launch."""

    __slots__ = ("args", "checkable", "handler", "keys", "linux_only", "name", "options", "text")

    def __init__(
        self,
        text: str,
        handler: str,
        keys: tuple[Key, ...] = (),
        *,
        checkable: bool = False,
        name: str = "",
        args: tuple[object, ...] = (),
        options: tuple[tuple[str, object], ...] = (),
        linux_only: bool = False,
    ) -> None:
        self.text, self.handler, self.keys = text, handler, keys
        self.checkable, self.name, self.linux_only = checkable, name, linux_only
        self.args, self.options = args, options


SEPARATOR = Command("", "")
RECENT = Command("<recent files>", "")
THEMES = Command("<themes>", "")
DETAILS = Command("<details dock>", "")

STANDARD = QKeySequence.StandardKey

MENUS: tuple[tuple[str, tuple[Command, ...]], ...] = (
    (
        "&File",
        (
            Command("&Open…", "files.choose_file", (STANDARD.Open,)),
            RECENT,
            Command("&Connect to engine…", "connector.choose"),
            Command("&Save snapshot…", "files.choose_save", (STANDARD.Save,)),
            Command(
                "Save snapshot with &files…",
                "files.choose_save",
                ("Ctrl+Shift+S",),
                options=(("with_files", True),),
            ),
            SEPARATOR,
            Command(
                "Export &view as PNG/SVG…", "files.choose_picture", options=(("whole", False),)
            ),
            Command(
                "Export &whole tree as PNG/SVG…",
                "files.choose_picture",
                options=(("whole", True),),
            ),
            Command("Export &graph (DOT, GraphML, JSON)…", "files.choose_graph_export"),
            Command("Remove the FROM-scratch e&xample image", "files.remove_example"),
            Command(
                "Add to the &applications menu",
                "files.add_to_applications_menu",
                linux_only=True,
            ),
            SEPARATOR,
            Command("&Quit", "close", (STANDARD.Quit,)),
        ),
    ),
    (
        "&Edit",
        (
            Command("&Find image…", "focus_search", (STANDARD.Find,)),
            Command("C&lear selection", "clear_selection", ("Esc",)),
        ),
    ),
    (
        "&View",
        (
            Command("&Reload", "session.reload", ("F5", "Ctrl+R"), name="reload"),
            Command("&Fit tree", "view.fit_readable", ("F",)),
            Command("Zoom &in", "view.zoom", (STANDARD.ZoomIn,), args=(1.25,)),
            Command("Zoom &out", "view.zoom", (STANDARD.ZoomOut,), args=(0.8,)),
            Command("&Go to scratch", "view.jump_to", ("Home",), args=("scratch",), name="home"),
            SEPARATOR,
            Command("I&nheritance tree", "show_tab", ("Ctrl+1",), args=(0,)),
            Command("&Kernel && user space", "show_tab", ("Ctrl+2",), args=(1,)),
            Command("&Disk by lineage", "show_tab", ("Ctrl+3",), args=(2,)),
            Command("Images ta&ble", "show_tab", ("Ctrl+4",), args=(3,)),
            Command("File&s of the selected image", "show_tab", ("Ctrl+5",), args=(4,)),
            SEPARATOR,
            Command(
                "Cards show the image's si&ze",
                "sizes.choose",
                checkable=True,
                name="sizes-off",
                args=("off",),
            ),
            Command(
                "Cards show their o&wn layers' bytes",
                "sizes.choose",
                checkable=True,
                name="sizes-own",
                args=("own",),
            ),
            Command(
                "Cards show what removing them fr&ees",
                "sizes.choose",
                checkable=True,
                name="sizes-frees",
                args=("frees",),
            ),
            Command(
                "&Presentation mode", "set_presenting", ("F11",), checkable=True, name="present"
            ),
            SEPARATOR,
            THEMES,
            Command("Reduce &motion", "set_reduced_motion", checkable=True, name="motion"),
            DETAILS,
            Command(
                "&Containers",
                "containers.set_panel",
                ("Ctrl+Shift+K",),
                checkable=True,
                name="containers",
            ),
        ),
    ),
    (
        "F&ilters",
        (
            Command("&Hide dangling images", "set_hide_dangling", checkable=True, name="dangling"),
            Command(
                "Show build &intermediates",
                "session.set_show_intermediates",
                checkable=True,
                name="intermediates",
            ),
            Command(
                "Only the &ancestry of the selection",
                "session.set_focus_ancestry",
                ("Ctrl+L",),
                checkable=True,
                name="focus",
            ),
            Command("&Expand all collapsed", "session.expand_all"),
            Command("Collapse to &overview", "session.collapse_to_overview", name="overview"),
            Command(
                "Collapse base &chains",
                "session.set_fold_chains",
                checkable=True,
                name="fold",
            ),
            Command(
                "&Focus on the selected base",
                "focus.set_on",
                ("Ctrl+B",),
                checkable=True,
                name="base-focus",
            ),
        ),
    ),
    (
        "&Help",
        (
            Command("&Help", "helper.show", ("F1",)),
            Command("&Legend", "helper.show", args=("legend",)),
            Command("&Keys", "helper.show", args=("keys",)),
        ),
    ),
)

THEME_CHOICES = (
    ("system", "&Follow the system"),
    ("light", "&Light"),
    ("dark", "&Dark"),
    ("projector", "&Projector"),
)


def _slot(window: QMainWindow, command: Command) -> Callable[[bool], object]:
    handler: Callable[..., object] = attrgetter(command.handler)(window)
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
    window: QMainWindow,
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

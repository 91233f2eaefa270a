"""Every key the window answers, declared once: the menu commands' shortcuts (gui.window.menus, with
what each does) and the keys a view handles itself (:data:`VIEW_KEYS`). The Keys help page is
made from both, so it cannot drift from the menus; a test holds that every shortcut the
window binds is on it."""

from __future__ import annotations

from typing import NamedTuple

from PySide6.QtGui import QKeySequence

from fromscratch.gui.present.presenting import BLANK_KEYS
from fromscratch.gui.window.menus import MENUS, Command


class ViewKey(NamedTuple):
    where: str
    keys: str
    does: str


VIEW_KEYS: tuple[ViewKey, ...] = (
    ViewKey(
        "tree",
        "arrows",
        "with a card selected: Down to its parent, Up to a child, Left / Right along its "
        "generation; without: pan",
    ),
    ViewKey("tree", "Enter / C", "the selected card's details / collapse or expand it"),
    ViewKey("tree", "+, −", "zoom in, zoom out"),
    ViewKey(
        "tree",
        "Ctrl+click a second card",
        "compare the selection with it: the files tab shows what differs (a plain click ends it)",
    ),
    ViewKey(
        "images table",
        "arrows, click a heading, Delete",
        "choose an image (the tree follows), sort, remove it (a confirmation lists what goes)",
    ),
    ViewKey(
        "disk rings",
        "wheel, drag, F, +, −, click",
        "zoom, pan, fit, zoom in, zoom out, select the image",
    ),
    ViewKey(
        "story",
        "Right, Space, Page Down",
        "next step (a presentation clicker sends Page Down)",
    ),
    ViewKey("story", "Left, Page Up", "previous step"),
    ViewKey("story", "Home / End / R", "first step / last step / replay the step"),
    ViewKey(
        "either tab",
        "Page Down / Page Up",
        "the story's next / previous step: after its kernel steps it walks up the tree",
    ),
    ViewKey("tree, walking", "Space / Esc", "next step / end the walk (the selection comes back)"),
    ViewKey("presenting", " or ".join(BLANK_KEYS), "blank the screen, and back"),
    ViewKey("presenting", "Home / End", "the story's first / last step, on either tab"),
    ViewKey("presenting", "hold the left button", "a spotlight on the pointer"),
)
"""Keys a view handles itself (its keyPressEvent), where that view has the focus."""


def shortcut_text(key: QKeySequence.StandardKey | str) -> str:
    """A shortcut as this platform writes it (`Ctrl+O`; a standard key's first binding)."""
    if isinstance(key, str):
        return QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)
    bindings = QKeySequence.keyBindings(key)
    return bindings[0].toString(QKeySequence.SequenceFormat.NativeText) if bindings else ""


def _menu_rows() -> list[ViewKey]:
    rows = []
    for _title, commands in MENUS:
        for command in commands:
            if command.keys:
                rows.append(ViewKey(command.where, _keys(command), command.does or _words(command)))
    return rows


def _keys(command: Command) -> str:
    return ", ".join(t for t in (shortcut_text(k) for k in command.keys) if t)


def _words(command: Command) -> str:
    return command.text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…")


def key_names(keys: str) -> set[str]:
    """The keys a row names (`Home / End / R`, `B or .`, `F5, Ctrl+R`)."""
    out = {keys}
    for separator in (", ", " / ", " or "):
        out = {part for text in out for part in text.split(separator)}
    return out


def keys_page() -> str:
    """The Keys help page (Markdown), from the menus' commands and :data:`VIEW_KEYS`."""
    rows = [*_menu_rows(), *VIEW_KEYS]
    table = "\n".join(f"| {r.where} | {r.keys} | {r.does} |" for r in rows)
    return f"# Keys\n\n| Where | Key | Does |\n|---|---|---|\n{table}\n"

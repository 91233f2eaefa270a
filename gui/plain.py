"""Image data (tags, build steps, paths) shown by Qt without being interpreted: Qt renders a
tooltip that merely looks like HTML as HTML (an `<img src=…>` in a build step would load a
file), and reads `&` in a menu entry as a shortcut marker."""

from __future__ import annotations


def tooltip(text: str) -> str:
    """A tooltip showing `text`'s characters: escaped, in rich text of our own making. (By
    hand: every card makes one before the first paint, which `html` would slow.)"""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return "<qt>" + escaped.replace("\n", "<br>") + "</qt>"


def menu_text(text: str) -> str:
    """A menu entry showing `text`'s characters (`&` doubled)."""
    return text.replace("&", "&&")

"""Light, dark and projector themes: tokens first, then the Qt palette, then a small templated QSS.

The system's colour scheme is followed unless the user picks one (View > Theme); the choice is
kept in QSettings. Tree items read :mod:`fromscratch.gui.palette`, which :func:`activate` refills.
"""

from __future__ import annotations

import string
from dataclasses import asdict, dataclass
from importlib import resources

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from fromscratch.gui import palette


@dataclass(frozen=True, slots=True)
class Theme:
    """Colour tokens (hex); images keep Okabe-Ito hues, brightened on dark backgrounds."""

    name: str
    window: str
    base: str
    text: str
    background: str
    card: str
    edge: str
    image: str
    base_image: str
    virtual: str
    scratch: str
    banner_bg: str
    banner_border: str
    grid: str
    stroke: float = 1.0
    """Line widths times this (gui.palette.STROKE)."""


LIGHT = Theme(
    "light",
    "#efeff1",
    "#ffffff",
    "#1a1a1a",
    "#f4f5f7",
    "#ffffff",
    "#8a8a8a",
    "#0072B2",
    "#009E73",
    "#E69F00",
    "#555555",
    "#fff4d6",
    "#e0c060",
    "#d8d8d8",
)
DARK = Theme(
    "dark",
    "#2b2d31",
    "#1f2125",
    "#e8e8e8",
    "#1b1d21",
    "#2a2e35",
    "#7d848f",
    "#56B4E9",
    "#2ec4a0",
    "#E69F00",
    "#b0b0b0",
    "#4a3f1c",
    "#8a7430",
    "#3a3d42",
)
PROJECTOR = Theme(
    "projector",
    "#ffffff",
    "#ffffff",
    "#000000",
    "#ffffff",
    "#ffffff",
    "#3c3c3c",
    "#0072B2",
    "#009E73",
    "#D55E00",
    "#000000",
    "#fff0c0",
    "#000000",
    "#a0a0a0",
    2.0,
)
"""For a room: white, black text, thick strokes, the Okabe-Ito hues of the most contrast on
white (vermillion for inferred bases, where orange washes out). Presentation mode uses it
unless the user picked a theme."""
THEMES = {"light": LIGHT, "dark": DARK, "projector": PROJECTOR}


def system_theme() -> Theme:
    """Dark when the desktop says so (Qt 6.5+ colorScheme)."""
    scheme = QGuiApplication.styleHints().colorScheme()
    return DARK if scheme == Qt.ColorScheme.Dark else LIGHT


def resolve(choice: str) -> Theme:
    """`system`, `light` or `dark`."""
    return THEMES.get(choice) or system_theme()


def activate(app: QApplication, theme: Theme) -> None:
    """Apply `theme` to the palette, the QSS and the tree's colours."""
    palette.IMAGE = QColor(theme.image)
    palette.BASE = QColor(theme.base_image)
    palette.VIRTUAL = QColor(theme.virtual)
    palette.SCRATCH = QColor(theme.scratch)
    palette.EDGE = QColor(theme.edge)
    palette.TEXT = QColor(theme.text)
    palette.CARD = QColor(theme.card)
    palette.BACKGROUND = QColor(theme.background)
    palette.STROKE = theme.stroke
    qt = QPalette()
    roles = {
        QPalette.ColorRole.Window: theme.window,
        QPalette.ColorRole.Base: theme.base,
        QPalette.ColorRole.AlternateBase: theme.window,
        QPalette.ColorRole.Text: theme.text,
        QPalette.ColorRole.WindowText: theme.text,
        QPalette.ColorRole.ButtonText: theme.text,
        QPalette.ColorRole.Button: theme.window,
        QPalette.ColorRole.ToolTipBase: theme.card,
        QPalette.ColorRole.ToolTipText: theme.text,
        QPalette.ColorRole.Highlight: theme.image,
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.PlaceholderText: theme.edge,
    }
    for role, colour in roles.items():
        qt.setColor(role, QColor(colour))
    # Set for every group above, a disabled button read as enabled (the story's last Next,
    # the Images tab's Remove… on recorded data): disabled text is the theme's grey.
    disabled = QPalette.ColorGroup.Disabled
    for role in (
        QPalette.ColorRole.Text,
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.ButtonText,
    ):
        qt.setColor(disabled, role, QColor(theme.edge))
    app.setPalette(qt)
    template = resources.files("fromscratch.resources").joinpath("themes/base.qss").read_text()
    app.setStyleSheet(string.Template(template).substitute(asdict(theme)))

"""Help (F1): why images start `FROM ubuntu`, what the tree's cards and lines mean (the legend,
in the theme's own colours), the keys, and how each parent is found (core's own sentences).
Texts live in resources/help; the first launch says once where to find them."""

from __future__ import annotations

import string
from importlib import resources

from PySide6.QtCore import QObject, QSettings
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QMainWindow,
    QTabWidget,
    QTextBrowser,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from fromscratch.core.graph.records import METHOD_TEXT
from fromscratch.gui import palette
from fromscratch.gui.window import settings as remembered

PAGES = (
    ("why", "Why FROM ubuntu?"),
    ("legend", "Legend"),
    ("keys", "Keys"),
    ("methods", "Parents"),
)
FIRST_RUN_HINT = (
    "New here? Click a card to see what it inherits and from which image; "
    "F1 explains the colours, the lines and the keys."
)


def page_text(name: str) -> str:
    """A help page as Markdown; the legend's swatches in the current theme's colours."""
    if name == "methods":
        rows = "\n".join(f"- **{method.value}**: {text}." for method, text in METHOD_TEXT.items())
        return (
            "# How each parent is found\n\nThe details of every image say which of these "
            "found its parent, with a confidence:\n\n" + rows
        )
    if name == "keys":
        from fromscratch.gui.window.keys import keys_page

        return keys_page()
    text = resources.files("fromscratch.resources").joinpath(f"help/{name}.md").read_text()
    colours = {
        "image": palette.IMAGE.name(),
        "base": palette.BASE.name(),
        "virtual": palette.VIRTUAL.name(),
        "scratch": palette.SCRATCH.name(),
    }
    return string.Template(text).safe_substitute(colours)


class HelpDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("fromscratch help")
        self.resize(720, 560)
        self.tabs = QTabWidget(self)
        self.pages: dict[str, QTextBrowser] = {}
        for name, title in PAGES:
            browser = QTextBrowser(self)
            browser.setOpenExternalLinks(False)
            browser.setMarkdown(page_text(name))
            self.tabs.addTab(browser, title)
            self.pages[name] = browser
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)

    def open_at(self, name: str) -> None:
        for name_here, _title in PAGES:
            self.pages[name_here].setMarkdown(page_text(name_here))  # the theme may have changed
        self.tabs.setCurrentIndex([n for n, _ in PAGES].index(name))
        self.show()
        self.raise_()


class Helper(QObject):
    """The window's help: F1, Help > Legend, and the legend button beside the search box."""

    def __init__(self, window: QMainWindow, settings: QSettings) -> None:
        super().__init__(window)
        self.window, self.settings = window, settings
        self.dialog: HelpDialog | None = None

    def show(self, page: str = "why") -> None:
        if self.dialog is None:
            self.dialog = HelpDialog(self.window)
        self.dialog.open_at(page)

    def add_legend_button(self, toolbar: QToolBar) -> None:
        action = toolbar.addAction("Legend")
        action.setToolTip("What the cards, colours and lines mean (F1 for all help)")
        action.triggered.connect(lambda: self.show("legend"))

    def hint_once(self) -> None:
        """The first launch says where help is, once (not over a message already shown: it
        waits for the next launch)."""
        if remembered.HINTED.read(self.settings):
            return
        if self.window.statusBar().currentMessage():
            return
        remembered.HINTED.write(self.settings, True)
        self.window.statusBar().showMessage(FIRST_RUN_HINT, 20_000)

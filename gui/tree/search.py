"""Find an image by tag or id prefix (Ctrl+F), with completion; Enter jumps to it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtWidgets import QCompleter, QLineEdit, QToolBar, QWidget

from fromscratch.core.graph.records import NodeKind
from fromscratch.core.graph.tree import find

if TYPE_CHECKING:
    from fromscratch.core.graph.tree import Tree


class SearchBox(QLineEdit):
    """Emits `found(node_id)` on Enter, or `missed(text)` when nothing matches."""

    found = Signal(str)
    missed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText("Find image (tag or id)…  Ctrl+F")
        self.setClearButtonEnabled(True)
        self.setMinimumWidth(280)
        self.setMaximumWidth(460)
        self._model = QStringListModel(self)
        completer = QCompleter(self._model, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setMaxVisibleItems(12)
        self.setCompleter(completer)
        completer.activated.connect(self._go)
        self.returnPressed.connect(lambda: self._go(self.text()))
        self.textEdited.connect(self._unmark)
        self._graph: Tree | None = None

    def toolbar(self) -> QToolBar:
        """A fixed tool bar holding the box (the window's top edge)."""
        tools = QToolBar("Search", self.parentWidget())
        tools.setObjectName("search")
        tools.setMovable(False)
        tools.addWidget(self)
        return tools

    def set_graph(self, graph: Tree) -> None:
        """Offer every tag, and each untagged image's short id."""
        self._graph = graph
        words: list[str] = []
        for node, attrs in graph.nodes(data=True):
            words.extend(attrs["tags"])
            if not attrs["tags"] and attrs["kind"] == NodeKind.IMAGE:
                words.append(str(node).removeprefix("sha256:")[:12])
        self._model.setStringList(sorted(set(words), key=str.lower))

    def _go(self, text: str) -> None:
        text = text.strip()
        if not text or self._graph is None:
            return
        node = find(self._graph, text)
        if node is None:  # what the completion offers first: prefixes, then the rest
            node = self._first_completion(text.lower())
        self._mark(missed=node is None)
        if node is None:
            self.missed.emit(text)
        else:
            self.found.emit(node)

    def follow_selection(self, node: str) -> None:
        """A selection made elsewhere (a click, the arrows): a search text naming another
        image goes, rather than stay beside a selection it does not name."""
        if self.hasFocus() or not self.text() or self._graph is None:
            return
        if find(self._graph, self.text().strip()) != node:
            self.clear()
            self._mark(missed=False)

    def _first_completion(self, text: str) -> str | None:
        """The image of the first tag, in the completer's order, that holds `text` (tags that
        start with it first): "web" then selects web:1 even when web:2 completes too."""
        assert self._graph is not None
        best: tuple[bool, str, str] | None = None
        for node, attrs in self._graph.nodes(data=True):
            for tag in attrs["tags"]:
                low = tag.lower()
                if text in low:
                    key = (not low.startswith(text), low, str(node))
                    best = key if best is None or key < best else best
        return best[2] if best is not None else None

    def _unmark(self) -> None:
        if self.property("missed"):
            self._mark(missed=False)

    def _mark(self, *, missed: bool) -> None:
        """Marked when nothing matches (the theme draws a red frame: base.qss)."""
        self.setProperty("missed", missed)
        self.style().unpolish(self)
        self.style().polish(self)

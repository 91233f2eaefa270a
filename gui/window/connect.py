"""File > Connect to…: pick the engine to follow among those this machine knows of (the
configured one, docker contexts, well-known sockets: core.engine.endpoint.known_engines), or
type an address."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget

from fromscratch.core.engine.endpoint import Endpoint, EndpointError, checked, known_engines
from fromscratch.gui.window.controller import Controller

SEPARATOR = "  —  "


def entry(endpoint: Endpoint) -> str:
    return f"{endpoint.url}{SEPARATOR}{endpoint.source}"


def address_of(text: str) -> str:
    """The address in a chosen or typed entry."""
    return text.split(SEPARATOR, 1)[0].strip()


class EngineChooser(QObject):
    def __init__(self, controller: Controller, window: QWidget) -> None:
        super().__init__(window)
        self.controller, self.window = controller, window

    def choose(self) -> None:
        engines = known_engines()
        items = [entry(e) for e in engines]
        current = self.controller.host
        index = next((i for i, e in enumerate(engines) if e.url == current), 0)
        text, ok = QInputDialog.getItem(
            self.window,
            "Connect to an engine",
            "Engine (pick one, or type an address such as unix:///run/podman/podman.sock):",
            items,
            index,
            editable=True,
        )
        if ok and text.strip():
            self.connect_to(address_of(text))

    def connect_to(self, address: str) -> None:
        try:
            checked(Endpoint(address, "Connect to…", explicit=True))
        except EndpointError as exc:
            QMessageBox.warning(self.window, "Connect to an engine", str(exc))
            return
        self.controller.connect_to(address)

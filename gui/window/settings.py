"""What the window remembers between runs, declared once: each setting's key, type, default
and meaning. Read and written only through these (QSettings' INI files give every value back
as text: a boolean as "true", a one-item list as a string; each kind reads its own back)."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from PySide6.QtCore import QByteArray, QSettings

T = TypeVar("T")


class Setting(Generic[T]):
    """One remembered value: `read` gives `default` when it was never written (or is
    unreadable), `write` keeps it."""

    def __init__(self, key: str, default: T, doc: str) -> None:
        self.key, self.default, self.doc = key, default, doc

    def read(self, settings: QSettings) -> T:
        value = settings.value(self.key)
        return self.default if value is None else self._parse(value)

    def write(self, settings: QSettings, value: T) -> None:
        settings.setValue(self.key, value)

    def _parse(self, value: object) -> T:
        raise NotImplementedError


class Flag(Setting[bool]):
    def _parse(self, value: object) -> bool:
        return str(value).lower() in ("true", "1")


class Text(Setting[str]):
    def _parse(self, value: object) -> str:
        return str(value)


class Texts(Setting[list[str]]):
    def _parse(self, value: object) -> list[str]:
        if isinstance(value, list):
            return [str(v) for v in value]
        return [str(value)] if value else []


class Bytes(Setting[QByteArray | None]):
    def _parse(self, value: object) -> QByteArray | None:
        return value if isinstance(value, QByteArray) else None


THEME = Text("theme", "system", "View > Theme: system, light, dark or projector")
GEOMETRY = Bytes("geometry", None, "the window's place and size (restored while it fits)")
STATE = Bytes("state", None, "the docks' places and sizes")
HIDE_DANGLING = Flag("hide_dangling", False, "Filters > Hide dangling images")
REDUCED_MOTION = Flag("reduced_motion", False, "View > Reduce motion")
CONTAINERS_PANEL = Flag("containers_panel", False, "View > Containers: the panel was open")
DETAILS_OPEN = Flag("details_open", False, "the details dock was left open")
HINTED = Flag("hinted", False, "the first launch's hint about help was shown")
RECENT = Texts("recent", [], "File > Open recent: the last files opened, newest first")

ALL: tuple[Setting[Any], ...] = (
    THEME,
    GEOMETRY,
    STATE,
    HIDE_DANGLING,
    REDUCED_MOTION,
    CONTAINERS_PANEL,
    DETAILS_OPEN,
    HINTED,
    RECENT,
)
"""Every setting the window keeps (a test holds that no other key is written)."""

"""What the window remembers is declared once (gui.window.settings): each kind reads back what it
wrote through an INI file, and the window writes no key that is not declared."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings
from pytestqt.qtbot import QtBot

from fromscratch.gui.window import settings as remembered
from tests.gui.conftest import make_settings, shown_window


def test_each_kind_reads_back_what_it_wrote(tmp_path: Path) -> None:
    path = str(tmp_path / "s.ini")
    written = QSettings(path, QSettings.Format.IniFormat)
    for setting in remembered.ALL:
        assert setting.read(written) == setting.default  # never written: the default
    remembered.HIDE_DANGLING.write(written, True)
    remembered.THEME.write(written, "dark")
    remembered.RECENT.write(written, ["/one.json"])  # one item: INI gives back a string
    remembered.GEOMETRY.write(written, QByteArray(b"\x01\x02"))
    written.sync()
    again = QSettings(path, QSettings.Format.IniFormat)
    assert remembered.HIDE_DANGLING.read(again) is True
    assert remembered.THEME.read(again) == "dark"
    assert remembered.RECENT.read(again) == ["/one.json"]
    assert remembered.GEOMETRY.read(again) == QByteArray(b"\x01\x02")
    assert len({s.key for s in remembered.ALL}) == len(remembered.ALL)


def test_the_window_writes_only_declared_keys(qtbot: QtBot) -> None:
    settings = make_settings()
    window = shown_window(qtbot, settings)
    window.action("dangling").trigger()
    window.action("motion").trigger()
    window.set_theme("dark")
    window.files.remember("/tmp/a.json")
    window.close()
    settings.sync()
    assert settings.allKeys()
    assert set(settings.allKeys()) <= {s.key for s in remembered.ALL}

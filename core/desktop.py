"""The Linux desktop entry: a menu item and an icon, so that fromscratch starts with a click
and snapshot files open with it from the file manager.

Written to the user's own XDG data folder (no root): `applications/io.github.fromscratch.desktop`
and `icons/hicolor/scalable/apps/io.github.fromscratch.svg`. The entry runs this installation:
the bundle's binary, the `fromscratch` script that is running, or this interpreter.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from fromscratch.core.files import atomic_write

APP_ID = "io.github.fromscratch"


class DesktopError(Exception):
    """The entry could not be written or removed; the message says what to do."""


@dataclass(frozen=True, slots=True)
class Installation:
    """Where the menu entry and its icon live."""

    entry: Path
    icon: Path

    @classmethod
    def under(cls, data_home: Path | None = None) -> Installation:
        home = data_home or data_dir()
        return cls(
            home / "applications" / f"{APP_ID}.desktop",
            home / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg",
        )


def data_dir() -> Path:
    """`$XDG_DATA_HOME`, else ~/.local/share (the XDG base directory default)."""
    value = os.environ.get("XDG_DATA_HOME", "")
    return Path(value) if os.path.isabs(value) else Path.home() / ".local" / "share"


def launcher_command(
    argv0: str | None = None, *, frozen: bool | None = None, executable: str | None = None
) -> list[str]:
    """The command that starts this installation of the window."""
    argv0 = sys.argv[0] if argv0 is None else argv0
    frozen = bool(getattr(sys, "frozen", False)) if frozen is None else frozen
    executable = sys.executable if executable is None else executable
    if frozen:  # the PyInstaller bundle: its own binary
        return [executable]
    script = Path(argv0)
    if script.name == "fromscratch" and script.is_file():
        return [str(script.resolve())]
    found = shutil.which("fromscratch")
    if found:
        return [str(Path(found).resolve())]
    return [executable, "-m", "fromscratch"]


def exec_line(command: list[str]) -> str:
    """`command` quoted as the Desktop Entry spec wants for `Exec`, plus `%f`."""
    return " ".join(_exec_arg(arg) for arg in command) + " %f"


def _exec_arg(arg: str) -> str:
    arg = arg.replace("%", "%%")
    if not re.search(r"[\s\"'\\><~|&;$*?#()`]", arg):
        return arg
    quoted = '"' + re.sub(r'(["`$\\])', r"\\\1", arg) + '"'
    return quoted.replace("\\", "\\\\")  # the string escape applies on top of the quoting


def entry_text(command: list[str]) -> str:
    """The bundled entry with `Exec` (and `TryExec`) pointing at `command`."""
    template = (
        resources.files("fromscratch.resources").joinpath(f"desktop/{APP_ID}.desktop").read_text()
    )
    lines = []
    for line in template.splitlines():
        if line.startswith("Exec="):
            lines.append(f"Exec={exec_line(command)}")
            if os.path.isabs(command[0]):
                lines.append(f"TryExec={command[0]}")  # the menu hides it if this goes away
        else:
            lines.append(line)
    return "\n".join(lines) + "\n"


def install(command: list[str] | None = None, data_home: Path | None = None) -> Installation:
    """Write the entry and the icon (atomically), then refresh the menu's cache if the
    desktop offers the tool."""
    where = Installation.under(data_home)
    icon = resources.files("fromscratch.resources").joinpath("icons/fromscratch.svg").read_bytes()
    text = entry_text(command or launcher_command())
    try:
        atomic_write(where.icon, icon)
        atomic_write(where.entry, text.encode())
    except OSError as exc:
        raise DesktopError(
            f"cannot write {exc.filename or where.entry}: {exc.strerror}; "
            "check that the folder is yours and writable, or set XDG_DATA_HOME"
        ) from exc
    _refresh(where.entry.parent)
    return where


def remove(data_home: Path | None = None) -> list[Path]:
    """Delete the entry and the icon; returns what was there."""
    where = Installation.under(data_home)
    removed = []
    for path in (where.entry, where.icon):
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise DesktopError(f"cannot remove {path}: {exc.strerror}") from exc
        removed.append(path)
    if removed:
        _refresh(where.entry.parent)
    return removed


def _refresh(applications: Path) -> None:
    """Menus re-read entries by themselves; the MIME cache (for opening files) needs this."""
    tool = shutil.which("update-desktop-database")
    if tool:
        subprocess.run([tool, str(applications)], capture_output=True, timeout=30, check=False)

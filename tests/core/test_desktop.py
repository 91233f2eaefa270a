"""The Linux applications-menu entry: written where the desktop looks, valid, and removable."""

from __future__ import annotations

import shutil
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

from fromscratch.core import desktop
from fromscratch.core.cli import main
from tests.support.tools import need


def entry_values(path: Path) -> dict[str, str]:
    lines = path.read_text().splitlines()
    assert lines[0] == "[Desktop Entry]"
    return dict(line.split("=", 1) for line in lines[1:] if "=" in line)


def validate(path: Path) -> None:
    """desktop-file-validate's verdict (skips where it is not installed; CI installs it)."""
    tool = need("desktop-file-validate")
    done = subprocess.run([tool, str(path)], capture_output=True, text=True, check=False)
    assert done.returncode == 0 and "error" not in done.stdout, done.stdout


@pytest.mark.system
@pytest.mark.parametrize("folder", ["bin", "my apps/50% $HOME"])
def test_desktop_file_validate_accepts_the_entry(tmp_path: Path, folder: str) -> None:
    where = desktop.install([str(tmp_path / folder / "fromscratch")], data_home=tmp_path)
    validate(where.entry)


def test_install_writes_a_valid_entry_and_icon_and_remove_takes_them_back(
    tmp_path: Path,
) -> None:
    command = [str(tmp_path / "bin" / "fromscratch")]
    where = desktop.install(command, data_home=tmp_path)
    assert where.entry == tmp_path / "applications" / "io.github.fromscratch.desktop"
    assert where.icon == tmp_path / "icons/hicolor/scalable/apps/io.github.fromscratch.svg"
    values = entry_values(where.entry)
    assert values["Exec"] == f"{command[0]} %f"  # snapshots open with it from a file manager
    assert values["TryExec"] == command[0]
    assert values["Icon"] == where.icon.stem
    assert values["Type"] == "Application" and values["Terminal"] == "false"
    icon = resources.files("fromscratch.resources").joinpath("icons/fromscratch.svg").read_bytes()
    assert where.icon.read_bytes() == icon
    assert not list(where.entry.parent.glob(".*.tmp"))  # atomic: no temporary files left
    assert desktop.remove(data_home=tmp_path) == [where.entry, where.icon]
    assert not where.entry.exists() and not where.icon.exists()
    assert desktop.remove(data_home=tmp_path) == []


def test_exec_quotes_what_the_spec_reserves(tmp_path: Path) -> None:
    odd = tmp_path / "my apps" / "50% $HOME" / "fromscratch"
    line = desktop.exec_line([str(odd)])
    assert line == '"' + str(odd.parent.parent) + '/50%% \\\\$HOME/fromscratch" %f'
    assert desktop.exec_line(["/usr/bin/python3", "-m", "fromscratch"]) == (
        "/usr/bin/python3 -m fromscratch %f"
    )


def test_the_entry_runs_this_installation(tmp_path: Path) -> None:
    bundle = desktop.launcher_command("whatever", frozen=True, executable="/opt/fs/fromscratch")
    assert bundle == ["/opt/fs/fromscratch"]
    script = tmp_path / "venv" / "bin" / "fromscratch"
    script.parent.mkdir(parents=True)
    script.write_text("#!/bin/sh\n")
    assert desktop.launcher_command(str(script), frozen=False) == [str(script.resolve())]
    module = desktop.launcher_command(
        "/src/fromscratch/__main__.py", frozen=False, executable="/py"
    )
    found = shutil.which("fromscratch")
    assert module == ([str(Path(found).resolve())] if found else ["/py", "-m", "fromscratch"])


def test_data_home_follows_xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert desktop.data_dir() == tmp_path
    monkeypatch.setenv("XDG_DATA_HOME", "relative/ignored")  # the spec: absolute paths only
    assert desktop.data_dir() == Path.home() / ".local" / "share"


def test_cli_installs_and_reports_a_folder_it_cannot_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    monkeypatch.setattr(sys, "argv", [str(tmp_path / "fromscratch")])
    assert main(["desktop", "install"]) == 0
    assert "applications menu" in capsys.readouterr().out
    assert (tmp_path / "share/applications/io.github.fromscratch.desktop").exists()
    assert main(["desktop", "remove"]) == 0
    assert "removed" in capsys.readouterr().out
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker))
    assert main(["desktop", "install"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("fromscratch: cannot write")

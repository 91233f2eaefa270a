"""The system commands tests run (Xvfb, openbox, Graphviz's dot ...), found or refused.

Which Debian package gives a command is read from `.ci/packages.txt`, the one list CI installs,
so a skip names what to install, and a command that list does not name is a mistake in the
tests (an error, not a skip). Under CI (`FROMSCRATCH_REQUIRE_XVFB=1` for the window tests,
`FROMSCRATCH_REQUIRE_TOOLS=1` for the rest) a missing command fails instead of skipping.
"""

from __future__ import annotations

import os
import shutil
from functools import cache
from pathlib import Path

import pytest

PACKAGES = Path(__file__).resolve().parents[2] / ".ci" / "packages.txt"
WINDOW_COMMANDS = frozenset({"Xvfb", "openbox"})


@cache
def providers() -> dict[str, str]:
    """Each command the tests may run, with the Debian package that installs it."""
    found: dict[str, str] = {}
    for line in PACKAGES.read_text().splitlines():
        words = line.split("#", 1)[0].split()
        for command in words[1:]:
            found[command] = words[0]
    return found


def required(command: str) -> bool:
    """Whether CI asked for this command's tests to run rather than skip."""
    variable = (
        "FROMSCRATCH_REQUIRE_XVFB" if command in WINDOW_COMMANDS else ("FROMSCRATCH_REQUIRE_TOOLS")
    )
    return os.environ.get(variable, "") not in ("", "0")


def need(command: str) -> str:
    """The path of `command`; skips the test when it is not installed (fails under CI)."""
    package = providers().get(command)
    if package is None:
        raise LookupError(f"{command} is not in {PACKAGES}: add the package that gives it")
    path = shutil.which(command)
    if path is not None:
        return path
    reason = f"{command} is not installed (apt-get install {package}, or .ci/install)"
    if required(command):
        pytest.fail(f"CI requires it, but {reason}")
    pytest.skip(reason)

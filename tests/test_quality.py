"""The house rules, run by the test command: ruff, mypy (strict on core), import-linter."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def tool(name: str) -> list[str]:
    local = Path(sys.executable).with_name(name)
    found = str(local) if local.exists() else shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed; install the test extras: pip install -e '.[test]'")
    return [found]


@pytest.mark.parametrize(
    "command",
    [
        ["ruff", "check", "."],
        ["mypy"],
        ["lint-imports"],
    ],
    ids=["ruff", "mypy", "import-linter"],
)
def test_house_tool_is_clean(command: list[str]) -> None:
    """mypy and import-linter read the package from files: the generated tree
    (packaging/typed_tree.py), put first on Python's path for import-linter."""
    sys.path.insert(0, str(REPO / "packaging"))
    try:
        from typed_tree import make  # a script beside build.py, not a package
    finally:
        sys.path.pop(0)
    tree = make()
    env = {**os.environ, "PYTHONPATH": str(tree)}
    done = subprocess.run(
        tool(command[0]) + command[1:],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]


def test_gui_modules_and_classes_stay_small() -> None:
    """The window once held the whole session (603 lines, 43 methods); new work goes to the
    controller, core, or a module of its own: no gui module over 400 lines, no class over 300."""
    import ast

    too_big = []
    for path in sorted((REPO / "gui").rglob("*.py")):
        text = path.read_text()
        if text.count("\n") > 400:
            too_big.append(f"{path.relative_to(REPO)}: {text.count(chr(10))} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.ClassDef) and node.end_lineno is not None:
                length = node.end_lineno - node.lineno + 1
                if length > 300:
                    too_big.append(f"{path.relative_to(REPO)}: class {node.name}, {length} lines")
    assert too_big == []

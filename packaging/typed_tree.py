"""The installed package as one folder tree, for the tools that read files instead of
importing: mypy and import-linter (`python packaging/typed_tree.py`, run by the quality test
before them). In git the package's parts live in the top-level folders and are mapped by
`pyproject.toml` (`package-dir`), which the installs follow, so a module runs, and names
itself in tracebacks, from the file a reader sees (`core/graph/tree.py`). This tree is
generated into `build/typed` (ignored), links only.

usage: python packaging/typed_tree.py   (prints the folder to put on mypy's and Python's path)
"""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TREE = ROOT / "build" / "typed"
PARTS = ("core", "gui", "resources")
"""Top-level folders that are subpackages of `fromscratch`."""


def make(tree: Path = TREE) -> Path:
    """(Re)make `tree`/fromscratch: the package's own files, and a link to each part."""
    package = tree / "fromscratch"
    if package.is_symlink() or package.is_file():
        package.unlink()
    elif package.exists():
        shutil.rmtree(package)
    package.mkdir(parents=True)
    for item in sorted((ROOT / "packaging" / "fromscratch").iterdir()):
        if item.name != "__pycache__":
            (package / item.name).symlink_to(item)
    for part in PARTS:
        (package / part).symlink_to(ROOT / part, target_is_directory=True)
    return tree


if __name__ == "__main__":
    print(make())

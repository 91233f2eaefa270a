"""Build the double-clickable bundle with PyInstaller, then smoke-run it.

usage: python packaging/build.py [OUT_DIR]   (needs: pip install pyinstaller)
The smoke run renders the window offscreen on the bundled sample with no engine reachable and
checks the picture was written (the bundle starts, finds its resources and draws the tree),
prints the sample's tree, and installs the applications-menu entry pointing at the bundle.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else ROOT  # where dist/ and build/ go (tests use a temp dir)
    dist = out / "dist"
    sys.path.insert(0, str(ROOT / "packaging"))
    from icons import write as write_icons  # scripts beside this one, not a package
    from typed_tree import make

    typed = make()  # the package as one tree, for PyInstaller's analysis (the spec's pathex)
    shutil.copy(ROOT / "packaging" / "entry.py", typed / "entry.py")  # searched from there

    icon = write_icons(out / "build" / "icons").get(sys.platform)  # Linux uses the .desktop's
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--clean",
            "--distpath",
            str(dist),
            "--workpath",
            str(out / "build"),
            str(ROOT / "packaging" / "fromscratch.spec"),
        ],
        check=True,
        cwd=ROOT,
        # the generated tree first on the path: the spec's hooks place data files by it
        env={**os.environ, "FROMSCRATCH_ICON": str(icon) if icon else "", "PYTHONPATH": str(typed)},
    )
    binary = dist / "fromscratch" / ("fromscratch.exe" if os.name == "nt" else "fromscratch")
    with tempfile.TemporaryDirectory() as tmp:
        shot = Path(tmp) / "smoke.png"
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "FROMSCRATCH_CACHE_DIR": tmp,
            "DOCKER_HOST": f"unix://{tmp}/none.sock",
            "XDG_CONFIG_HOME": tmp,
        }
        done = subprocess.run(
            [str(binary), "--screenshot", str(shot)],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if done.returncode != 0 or not shot.exists() or shot.stat().st_size < 10_000:
            print(f"smoke run failed ({done.returncode}): {done.stderr[-500:]}", file=sys.stderr)
            return 1
        tree = subprocess.run(
            [str(binary), "tree", "--sample"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        if tree.returncode != 0 or "alpine:3.24" not in tree.stdout:
            print(f"CLI smoke run failed: {tree.stderr[-500:]}", file=sys.stderr)
            return 1
        menu = subprocess.run(  # the menu entry must start the bundle itself
            [str(binary), "desktop", "install"],
            env={**env, "XDG_DATA_HOME": f"{tmp}/share"},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        entry = Path(tmp) / "share" / "applications" / "io.github.fromscratch.desktop"
        if menu.returncode != 0 or f"Exec={binary.resolve()} %f" not in _text(entry):
            print(f"desktop entry smoke run failed: {menu.stderr[-500:]}", file=sys.stderr)
            return 1
    print(f"built and smoke-tested {binary}")
    return 0


def _text(path: Path) -> str:
    return path.read_text() if path.exists() else ""


if __name__ == "__main__":
    raise SystemExit(main())

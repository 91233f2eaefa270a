"""The double-clickable bundle: PyInstaller builds it and it starts on the bundled sample."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_bundle_builds_and_smoke_runs(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(REPO / "packaging" / "build.py"), str(tmp_path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "smoke-tested" in done.stdout
    assert (tmp_path / "dist" / "fromscratch" / "fromscratch").exists()
    # the C reader of plain layer entries goes with it (imported where it may be missing)
    assert list((tmp_path / "dist").rglob("_plainentries*.so"))


def test_platform_icons_hold_every_size(tmp_path: Path) -> None:
    """The .ico and .icns the bundle build renders from the SVG, read back by Qt's own
    readers: every size present, none blank."""
    script = f"""
import sys
sys.path.insert(0, {str(REPO / "packaging")!r})
from icons import write
from PySide6.QtGui import QImageReader
for path in write(__import__("pathlib").Path({str(tmp_path)!r})).values():
    reader = QImageReader(str(path))
    sizes = []
    for index in range(reader.imageCount()):
        reader.jumpToImage(index)
        image = reader.read()
        opaque = sum(image.pixelColor(x, y).alpha() > 0 for x in range(image.width())
                     for y in range(image.height()))
        sizes.append(f"{{image.width()}}:{{opaque > image.width()}}")
    print(path.suffix, " ".join(sizes))
"""
    done = subprocess.run(
        [sys.executable, "-c", script],
        env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    lines = dict(line.split(" ", 1) for line in done.stdout.strip().splitlines())
    assert lines[".ico"].split() == [f"{n}:True" for n in (16, 24, 32, 48, 64, 128, 256)]
    assert lines[".icns"].split() == [f"{n}:True" for n in (16, 32, 64, 128, 256, 512, 1024)]


def test_wheel_installs_one_package_that_runs_on_its_own(tmp_path: Path) -> None:
    """`pip install .` into a fresh venv adds exactly one import package, `fromscratch` (nothing
    named core, gui or resources to clobber or be clobbered), and the app runs from it: the
    `fromscratch` script, `python -m fromscratch`, and the window on the bundled sample."""
    import os
    import shutil
    import sysconfig

    source = tmp_path / "source"  # setuptools writes build/ beside the sources: not the checkout
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, source / name)
    ignore = shutil.ignore_patterns("__pycache__")
    for folder in ("core", "gui", "resources", "packaging/fromscratch"):
        shutil.copytree(REPO / folder, source / folder, symlinks=True, ignore=ignore)
    wheels = tmp_path / "wheels"
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(wheels),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert build.returncode == 0, build.stderr[-2000:]
    (wheel,) = wheels.glob("fromscratch-*.whl")
    fresh = tmp_path / "fresh"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", fresh], check=True)
    python = fresh / "bin" / "python"
    site = Path(
        subprocess.run(
            [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    before = set(os.listdir(site))
    install = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--no-deps",
            "--no-index",
            str(wheel),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert install.returncode == 0, install.stderr[-2000:]
    added = set(os.listdir(site)) - before
    packages = {name for name in added if not name.endswith((".dist-info", ".pth"))}
    assert packages == {"fromscratch"}, added
    # The dependencies come from the test venv's site-packages (a path, so its editable
    # fromscratch hook is not run); the wheel's own files are all that provide fromscratch.
    (site / "deps.pth").write_text(sysconfig.get_path("purelib") + "\n")
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "DOCKER_HOST": f"unix://{tmp_path}/none.sock",
        "FROMSCRATCH_CACHE_DIR": str(tmp_path / "cache"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }
    env.pop("PYTHONPATH", None)

    def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(a) for a in args],
            cwd=tmp_path,  # not the checkout, whose folders would be importable from here
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    where = run(
        python,
        "-c",
        "import importlib.util as u, fromscratch; print(fromscratch.__file__); "
        "print([n for n in ('core', 'gui', 'resources') if u.find_spec(n)])",
    )
    assert where.returncode == 0, where.stderr[-2000:]
    assert where.stdout.split() == [str(site / "fromscratch" / "__init__.py"), "[]"]
    compiled = run(
        python, "-c", "from fromscratch.core.layers import tarindex as t; print(t.COMPILED)"
    )
    assert compiled.returncode == 0 and "built-in function run" in compiled.stdout, compiled
    script = run(fresh / "bin" / "fromscratch", "tree", "--sample", "--image", "python:3-bookworm")
    assert script.returncode == 0, script.stderr[-2000:]
    assert script.stdout.splitlines()[-1].strip().startswith("└─ scratch (empty")
    module = run(python, "-m", "fromscratch", "tree", "--sample")
    assert module.returncode == 0, module.stderr[-2000:]
    usage = run(python, "-m", "fromscratch", "df", "--sample")  # core.disk was left out
    assert usage.returncode == 0, usage.stderr[-2000:]
    assert "alpine:3.24" in module.stdout
    shot = tmp_path / "window.png"
    window = run(python, "-m", "fromscratch", "--screenshot", shot, "--size", "1024x768")
    assert window.returncode == 0, window.stderr[-2000:]
    assert shot.stat().st_size > 10_000


def test_every_package_folder_is_in_the_wheel() -> None:
    """The wheel holds the packages pyproject names, and only those: a folder left off the
    list (core/disk was) installs nothing, and its commands fail only after `pip install .`."""
    import tomllib

    listed = set(
        tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    roots = {
        "core": "fromscratch.core",
        "gui": "fromscratch.gui",
        "resources": "fromscratch.resources",
    }
    found = {"fromscratch"}
    for folder, package in roots.items():
        for init in (REPO / folder).rglob("__init__.py"):
            parts = init.parent.relative_to(REPO / folder).parts
            found.add(".".join((package, *parts)))
    assert found == listed

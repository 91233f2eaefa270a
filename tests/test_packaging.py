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

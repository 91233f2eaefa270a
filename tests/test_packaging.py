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

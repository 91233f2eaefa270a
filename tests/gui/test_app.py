"""The `fromscratch` window command as a user starts it: a fresh process, its own QApplication."""

from __future__ import annotations

from pathlib import Path

from tests.gui.conftest import app_process

# Imported on first use, not at launch: each one costs launch time (docs/benchmarks.md).
LATER = (
    "pyqtgraph",
    "networkx",
    "docker",
    "http.client",
    "html",
    "fromscratch.core.graph.export",
    "fromscratch.core.graph.details",
    "fromscratch.core.story.steps",
    "fromscratch.core.evidence.containers",
    "fromscratch.core.evidence.kernel",
    "fromscratch.core.evidence.scratch",
    "fromscratch.core.evidence.contents",
    "fromscratch.core.desktop",
    "fromscratch.gui.kernel.view",
    "fromscratch.gui.details.sizechart",
    "fromscratch.gui.kernel.dirchart",
    "fromscratch.gui.kernel.evidence",
    "fromscratch.gui.tree.export",
    "fromscratch.core.engine.client",
)


def modules_after_first_paint(delay_ms: int) -> str:
    """Code for a fresh process: start the app as a user does, print the imported modules
    `delay_ms` after the first tree is laid out, quit."""
    return f"""
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

run = QApplication.exec

def report():
    print("\\n".join(sorted(sys.modules)), flush=True)
    QApplication.exit(0)

def watch():
    window = next(w for w in QApplication.topLevelWidgets() if hasattr(w, "arranged"))
    window.arranged.connect(lambda: QTimer.singleShot({delay_ms}, report))

def exec_watched(self):
    QTimer.singleShot(0, watch)
    return run()

QApplication.exec = exec_watched
from fromscratch.__main__ import main
sys.exit(main([]))
"""


def run(code: str, tmp_path: Path, **env: str) -> str:
    done = app_process(tmp_path, "-c", code, **env)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_a_new_app_is_fusion_whatever_the_desktop_asks(tmp_path: Path) -> None:
    out = run(
        "from fromscratch.gui.app import application; print(application().style().name())",
        tmp_path,
        QT_STYLE_OVERRIDE="Windows",
    )
    assert out.strip() == "fusion"


def test_first_tree_is_painted_without_the_modules_loaded_on_first_use(tmp_path: Path) -> None:
    """What is imported when the first tree is on screen, started the way a user starts it."""
    code = modules_after_first_paint(0)
    loaded = set(run(code, tmp_path).split())
    assert {
        "fromscratch.gui.window.mainwindow",
        "fromscratch.core.graph.lineage",
        "fromscratch.core.graph.layout",
    } <= loaded  # it did get that far
    early = sorted(m for m in LATER if m in loaded)
    assert early == [], f"imported before the first tree was painted: {early}"


def test_what_the_first_click_needs_loads_in_the_background_after_the_first_paint(
    tmp_path: Path,
) -> None:
    code = modules_after_first_paint(3000)
    from fromscratch.gui.window.warmup import FIRST_SELECTION_MODULES

    loaded = set(run(code, tmp_path).split())
    assert set(FIRST_SELECTION_MODULES) <= loaded
    assert "pyqtgraph" in loaded


def test_bad_step_is_one_line_and_exit_2(tmp_path: Path) -> None:
    out = str(tmp_path / "x.png")
    done = app_process(
        tmp_path, "-m", "fromscratch", "--view", "kernel", "--step", "42", "--screenshot", out
    )
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1] == "fromscratch: --step 42: choose 1 to 8"


def test_screenshot_exits_cleanly_while_workers_still_run(tmp_path: Path) -> None:
    """`--screenshot` quits with the window open, about when the first-click warm-up starts:
    every worker must be stopped or waited for, never report to a deleted object."""
    for _ in range(2):  # the race shows nearly every time; twice makes it certain enough
        out = tmp_path / "shot.png"
        done = app_process(tmp_path, "-m", "fromscratch", "--screenshot", str(out))
        assert done.returncode == 0, done.stderr[-2000:]
        assert out.stat().st_size > 10_000
        assert "Traceback" not in done.stderr, done.stderr[-2000:]

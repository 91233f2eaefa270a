"""Frame time of the kernel view's animations (the VM-to-container morph, the system call) at
1920x1080 and 3840x2160, offscreen. Target (issue 4): below half the 16.7 ms budget.

Each frame sets the running animation to the next 1/60 s and lets Qt paint what changed, as
it does in the app (the view repaints only dirty regions: the whole picture while everything
moves in the morph, the dot's path during the system call). `--full` repaints the whole
viewport every frame instead (the worst case).
usage: python -m bench.bench_kernel
"""

from __future__ import annotations

import os
import statistics
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def measure(width: int, height: int, *, full: bool = False) -> dict[str, list[float]]:
    from PySide6.QtWidgets import QApplication

    from fromscratch.core.formats.sample import load_sample
    from fromscratch.core.graph.lineage import build_tree
    from fromscratch.core.story.picture import Picture, picture_of
    from fromscratch.core.story.steps import step_index
    from fromscratch.gui.kernel.view import KernelView

    app = QApplication.instance() or QApplication([])
    inventory = load_sample()
    boxes = picture_of(inventory, build_tree(inventory.images), live=True).boxes
    view = KernelView()
    view.resize(width, height)
    view.show()
    view.set_picture(Picture("6.1.0-bench", "bench", False, boxes), live=False)
    app.processEvents()
    frames: dict[str, list[float]] = {"morph": [], "syscall": []}
    view.show_step(step_index("vm"), animate=False)
    view.show_step(step_index("container"))
    group = view.scene._group
    assert group is not None
    group.pause()
    for t in range(0, group.totalDuration() + 1, 16):
        start = time.perf_counter()
        group.setCurrentTime(t)
        paint(app, view, full=full)
        frames["morph"].append(time.perf_counter() - start)
    view.show_step(step_index("kernel-user"), animate=False)
    syscall = view.scene._syscall
    assert syscall is not None
    syscall.pause()
    for t in range(0, 3800, 16):
        start = time.perf_counter()
        syscall.setCurrentTime(t)
        paint(app, view, full=full)
        frames["syscall"].append(time.perf_counter() - start)
    view.scene.stop()
    view.close()
    return frames


def paint(app: object, view: object, *, full: bool) -> None:
    if full:
        view.view.viewport().repaint()  # type: ignore[attr-defined]
    else:
        app.processEvents()  # type: ignore[attr-defined]


def main() -> None:
    import sys

    full = "--full" in sys.argv
    for width, height in ((1920, 1080), (3840, 2160)):
        for name, times in measure(width, height, full=full).items():
            ms = sorted(t * 1000 for t in times)
            p95 = ms[int(len(ms) * 0.95) - 1]
            verdict = "MET" if p95 <= 16.7 / 2 else "NOT MET"
            print(
                f"{width}x{height} {name:8} frames {len(ms):3}: median "
                f"{statistics.median(ms):5.2f} ms, p95 {p95:5.2f} ms, max {ms[-1]:5.2f} ms "
                f"(target p95 <= 8.35 ms: {verdict})"
            )


if __name__ == "__main__":
    main()

"""The Files view of a 100,000-file image (issue 19's target): from the layer cache to a
painted tree, within 2x a bare QTreeView given the same rows (a QStandardItemModel of the
same folders and files, built and painted the same way), and the frame time of scrolling it
(target: the 16.7 ms budget). Offscreen, CPU raster.

usage: QT_QPA_PLATFORM=offscreen python -m bench.bench_files [--files 100000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import tarfile
import tempfile
import time
from pathlib import Path


def layer_bytes(files: int) -> bytes:
    """`files` files in folders of 50 under two levels, as a package-heavy image holds."""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for n in range(files):
            info = tarfile.TarInfo(f"usr/lib/group{n // 5000}/pkg{n // 50}/file-{n}.so")
            info.size = 0
            info.mtime = 1_700_000_000
            tar.addfile(info)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QApplication, QTreeView

    from fromscratch.core.layers.cache import LayerCache
    from fromscratch.core.layers.filetree import file_tree
    from fromscratch.core.layers.tarindex import read_layer
    from fromscratch.gui.files.model import FilesModel

    app = QApplication.instance() or QApplication([])
    cache = LayerCache(Path(tempfile.mkdtemp(prefix="bench-files-")))
    layer = read_layer(io.BytesIO(layer_bytes(args.files)), "bench")
    cache.put(layer)

    def painted(view: QTreeView) -> None:
        view.resize(1366, 700)
        view.show()
        view.expandToDepth(2)
        view.grab()  # paint once
        app.processEvents()

    def ours() -> tuple[float, QTreeView]:
        start = time.perf_counter()
        kept = cache.get(layer.diff_id)
        assert kept is not None
        tree = file_tree([kept])
        model = FilesModel()
        model.show_tree(tree, ["bench:1"], [])
        view = QTreeView()
        view.setUniformRowHeights(True)
        view.setModel(model)
        painted(view)
        return time.perf_counter() - start, view

    def scroll(view: QTreeView) -> list[float]:
        frames = []
        bar = view.verticalScrollBar()
        for step in range(60):
            start = time.perf_counter()
            bar.setValue(bar.maximum() * step // 60)
            view.viewport().repaint()
            frames.append(time.perf_counter() - start)
        return frames

    def bare() -> tuple[float, QTreeView]:
        kept = cache.get(layer.diff_id)
        assert kept is not None
        tree = file_tree([kept])  # the same rows, given
        start = time.perf_counter()
        model = QStandardItemModel()
        items: list[QStandardItem] = []
        for row in tree.rows:
            item = QStandardItem(row.name)
            items.append(item)
            parent = items[row.parent] if row.parent >= 0 else model.invisibleRootItem()
            parent.appendRow([item, QStandardItem(str(row.total))])
        view = QTreeView()
        view.setUniformRowHeights(True)
        view.setModel(model)
        painted(view)
        return time.perf_counter() - start, view

    times = [ours()[0] for _ in range(args.repeat)]
    bare_times = [bare()[0] for _ in range(args.repeat)]
    frames = scroll(ours()[1])
    bare_frames = scroll(bare()[1])
    ours_s, bare_s = statistics.median(times), statistics.median(bare_times)
    print(f"{args.files:,} files: ours {ours_s:.2f} s (cache -> painted), bare QTreeView given")
    print(f"the rows {bare_s:.2f} s: {ours_s / bare_s:.2f}x (target <= 2x)")

    def p95(values: list[float]) -> float:
        return sorted(values)[int(len(values) * 0.95)] * 1000

    print(
        f"scrolling: median frame {statistics.median(frames) * 1000:.1f} ms, "
        f"p95 {p95(frames):.1f} ms, worst {max(frames) * 1000:.1f} ms (budget 16.7 ms); bare: "
        f"median {statistics.median(bare_frames) * 1000:.1f} ms, p95 {p95(bare_frames):.1f} ms, "
        f"worst {max(bare_frames) * 1000:.1f} ms"
    )


if __name__ == "__main__":
    main()

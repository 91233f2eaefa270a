"""Platform icons rendered from the one SVG at build time: `.ico` for Windows and `.icns` for
macOS, so the repository keeps a single source picture. Each size is a PNG inside the
container format (both formats allow it: Windows Vista+, macOS 10.7+).

usage: python packaging/icons.py OUT_DIR   (writes fromscratch.ico and fromscratch.icns)
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SVG = ROOT / "resources" / "icons" / "fromscratch.svg"
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_TYPES = {16: b"icp4", 32: b"icp5", 64: b"icp6", 128: b"ic07", 256: b"ic08", 512: b"ic09"}
ICNS_TYPES[1024] = b"ic10"
_APP: Any = None


def png(size: int, svg: Path = SVG) -> bytes:
    """The SVG drawn on a transparent `size` x `size` square, as PNG bytes."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QGuiApplication, QImage, QImageWriter, QPainter
    from PySide6.QtSvg import QSvgRenderer

    global _APP
    if QGuiApplication.instance() is None:  # drawing text and paths needs a GUI application
        _APP = QGuiApplication(["icons", "-platform", "offscreen"])  # kept for the next sizes
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    QSvgRenderer(str(svg)).render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    QImageWriter(buffer, QByteArray(b"png")).write(image)
    return bytes(data.data())


def ico(sizes: tuple[int, ...] = ICO_SIZES) -> bytes:
    """ICONDIR, one ICONDIRENTRY per size, then the PNGs (256 is written as 0)."""
    images = [png(size) for size in sizes]
    offset = 6 + 16 * len(images)
    head = struct.pack("<HHH", 0, 1, len(images))
    entries = b""
    for size, data in zip(sizes, images, strict=True):
        side = size % 256
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
    return head + entries + b"".join(images)


def icns(types: dict[int, bytes] = ICNS_TYPES) -> bytes:
    """The 'icns' header, then one (type, length, PNG) element per size."""
    body = b""
    for size, kind in types.items():
        data = png(size)
        body += kind + struct.pack(">I", 8 + len(data)) + data
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def write(out: Path) -> dict[str, Path]:
    """Both files into `out`; returns them by platform."""
    out.mkdir(parents=True, exist_ok=True)
    written = {"win32": out / "fromscratch.ico", "darwin": out / "fromscratch.icns"}
    written["win32"].write_bytes(ico())
    written["darwin"].write_bytes(icns())
    return written


if __name__ == "__main__":
    for path in write(Path(sys.argv[1] if len(sys.argv) > 1 else ".")).values():
        print(path)

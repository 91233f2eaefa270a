"""Layer indexes kept on disk by diff-ID, so the layers of `debian:12` are read once for every
image built on it, and offline. A folder of the user's cache (0700), one file per layer
(msgpack, zlib), written whole or not at all (core.files.atomic_write): a layer read in part
never enters. Capped in size: the least recently used go first. A damaged file is removed
and read again from its source, never trusted."""

from __future__ import annotations

import base64
import os
import zlib
from collections.abc import Mapping
from pathlib import Path

import msgspec

from fromscratch.core.files import atomic_write
from fromscratch.core.layers.entries import Entry, EntryType
from fromscratch.core.layers.tarindex import LayerIndex
from fromscratch.core.paths import private, user_cache_dir

CAP_BYTES = 1024 * 1024 * 1024
"""The folder's size at most (its files are about 30 bytes an entry)."""
FORMAT = 2
SUFFIX = ".layer"
HEX = "0123456789abcdef"


class _Stored(msgspec.Struct, array_like=True):
    format: int
    diff_id: str
    content: int
    rows: list[tuple[bytes, str, int, int, int, int, int, bytes]]
    """Each entry, its path and link as bytes (names need not be UTF-8)."""
    texts: list[tuple[str, str]]


def _raw(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")


def _text(raw: bytes) -> str:
    return raw.decode("utf-8", "surrogateescape")


def _decoded(diff_id: str, data: bytes) -> LayerIndex:
    """A kept file's layer; ValueError when it is another layer's or another format's."""
    stored = msgspec.msgpack.decode(zlib.decompress(data), type=_Stored)
    if stored.format != FORMAT or stored.diff_id != diff_id:
        raise ValueError("another layer's or format's file")
    entries = tuple(
        Entry(_text(p), EntryType(t), mode, uid, gid, size, mtime, _text(link))
        for p, t, mode, uid, gid, size, mtime, link in stored.rows
    )
    return LayerIndex(diff_id, entries, stored.content, tuple(stored.texts))


class LayerCache:
    def __init__(self, folder: Path | None = None, cap: int = CAP_BYTES) -> None:
        self.folder = private(folder or user_cache_dir() / "layers")
        self.cap = cap

    def _file(self, diff_id: str) -> Path | None:
        algorithm, _, hexa = diff_id.partition(":")
        if (
            algorithm != "sha256"
            or len(hexa) != 64
            or not all(c in "0123456789abcdef" for c in hexa)
        ):
            return None
        return self.folder / f"{hexa}{SUFFIX}"

    def has(self, diff_id: str) -> bool:
        path = self._file(diff_id)
        return path is not None and path.exists()

    def get(self, diff_id: str) -> LayerIndex | None:
        """The kept index, else None (missing, or damaged: then removed)."""
        path = self._file(diff_id)
        if path is None:
            return None
        try:
            data = path.read_bytes()
        except OSError:
            return None
        try:
            layer = _decoded(diff_id, data)
        except (ValueError, zlib.error, msgspec.DecodeError):
            path.unlink(missing_ok=True)  # damaged: read again from the source
            return None
        os.utime(path)  # recently used
        return layer

    def raw(self, diff_id: str) -> bytes | None:
        """The kept file's bytes as they are (a snapshot carries them), None if not kept."""
        path = self._file(diff_id)
        try:
            return path.read_bytes() if path is not None else None
        except OSError:
            return None

    def adopt(self, files: Mapping[str, str]) -> int:
        """Keep the indexes a snapshot carries (base64 files by diff-ID) that decode as the
        layer they name; returns how many. Nothing else is written, nowhere else."""
        kept = 0
        for diff_id, text in files.items():
            if self._file(diff_id) is None:
                continue
            if self.has(diff_id):
                kept += 1
                continue
            try:
                layer = _decoded(diff_id, base64.b64decode(text, validate=True))
            except (ValueError, zlib.error, msgspec.DecodeError):
                continue  # damaged in the file: read from a source when needed
            self.put(layer)
            kept += 1
        return kept

    def put(self, layer: LayerIndex) -> None:
        path = self._file(layer.diff_id)
        if path is None:
            return
        rows = [
            (_raw(e.path), str(e.type), e.mode, e.uid, e.gid, e.size, e.mtime, _raw(e.link))
            for e in layer.entries
        ]
        stored = _Stored(FORMAT, layer.diff_id, layer.content, rows, list(layer.texts))
        atomic_write(path, zlib.compress(msgspec.msgpack.encode(stored), 1), durable=False)
        self._trim()

    def _trim(self) -> None:
        files = []
        for path in self.folder.glob(f"*{SUFFIX}"):
            try:
                stat = path.stat()
            except OSError:
                continue
            files.append((stat.st_mtime, stat.st_size, path))
        total = sum(size for _, size, _ in files)
        for _, size, path in sorted(files):
            if total <= self.cap:
                break
            path.unlink(missing_ok=True)
            total -= size

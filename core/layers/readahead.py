"""A layer's bytes read, inflated and hashed on another core while this one parses headers.

zlib, zstandard, sha256 and file reads release the GIL while they work, so a thread that reads
the next chunks (inflating them when the layer is compressed) and hashes them runs beside the
header parser instead of taking turns with it: a gzip layer then costs about what inflating it
costs, and a plain one what parsing it costs (docs/benchmarks.md). At most :data:`AHEAD`
chunks wait between the two, so memory stays bounded whatever the layer's size."""

from __future__ import annotations

import hashlib
import queue
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

CHUNK = 4 * 1024 * 1024
"""Bytes a chunk: each costs the two threads a few hand-overs of the GIL, so not small."""
AHEAD = 2
"""Chunks read ahead at most (8 MiB)."""
SWITCH_INTERVAL = 0.0002
"""Seconds a thread holds the GIL before another that waits for it gets it, while layers are
read (Python's default is 0.005). The reading thread takes the GIL back after each inflate
and hash; at the default it waited up to 5 ms each time and the two threads mostly took turns
(gzip layer: 0.93 s; at 0.2 ms: 0.71 s, as fast as `gzip -dc | tar -t`)."""
CLOSE_WAIT = 5.0
_END = b""


_switching = threading.Lock()
_readers = 0
_interval = 0.0


@contextmanager
def quick_switches() -> Iterator[None]:
    """Python's switch interval at :data:`SWITCH_INTERVAL` while any layer is read (it is
    the process's: the last reader puts the one before back)."""
    global _readers, _interval  # one setting of the process, counted
    with _switching:
        if _readers == 0:
            _interval = sys.getswitchinterval()
            sys.setswitchinterval(SWITCH_INTERVAL)
        _readers += 1
    try:
        yield
    finally:
        with _switching:
            _readers -= 1
            if _readers == 0:
                sys.setswitchinterval(_interval)


class ReadAhead:
    """`raw` read in a thread, chunk by chunk, each hashed; `read()` gives the chunks in order
    (whole: callers take what they need of them), b"" at the end. An error of the thread is
    raised by the `read()` that reaches it. :meth:`close` stops the thread (any time)."""

    def __init__(self, raw: IO[bytes]) -> None:
        self._raw = raw
        self._queue: queue.Queue[bytes | BaseException] = queue.Queue(AHEAD)
        self._stop = threading.Event()
        self._sha = hashlib.sha256()
        self._ended = False
        self._thread = threading.Thread(target=self._run, name="layer-read-ahead", daemon=True)
        self._thread.start()

    def _put(self, item: bytes | BaseException) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                chunk = self._raw.read(CHUNK)
                if not chunk:
                    break
                self._sha.update(chunk)
                if not self._put(chunk):
                    return
            self._put(_END)
        except BaseException as exc:  # handed to the reader, raised there
            self._put(exc)

    def read(self, _size: int = -1) -> bytes:
        if self._ended:
            return _END
        item = self._queue.get()
        if isinstance(item, BaseException):
            self._ended = True
            raise item
        if not item:
            self._ended = True
        return item

    def hexdigest(self) -> str:
        """The sha256 of every byte read; only once :meth:`read` gave the end."""
        if not self._ended:
            raise RuntimeError("the digest of a stream not read to its end")
        self._thread.join()
        return self._sha.hexdigest()

    def close(self) -> None:
        """Stop the thread; wait for it up to :data:`CLOSE_WAIT` seconds (a read of a stalled
        engine's stream may take longer: the thread then ends when it returns, putting
        nothing)."""
        self._stop.set()
        deadline = time.monotonic() + CLOSE_WAIT
        while self._thread.is_alive() and time.monotonic() < deadline:
            try:
                self._queue.get_nowait()
            except queue.Empty:
                self._thread.join(0.05)

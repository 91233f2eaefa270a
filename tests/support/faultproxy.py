"""A small fault-injecting proxy on a unix socket, in front of a real engine's socket: each
request is answered as the engine answers it, or delayed, dropped, cut short, replaced by
garbage, dripped a byte at a time, or rewritten for one path. Tests set `mode` between loads.

One request per connection (the proxy asks the engine to close after each answer), which
also exercises the client's reconnecting."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path

Rewrite = Callable[[str, bytes], bytes | None]
"""(request path, the engine's whole answer) -> a new answer, or None to keep it."""


class FaultProxy:
    """`mode`: "pass", "delay", "drop", "truncate", "garbage" or "drip"; `rewrite` applies in
    any mode; `drop_next` drops that many connections first, whatever the mode."""

    def __init__(self, listen: Path, upstream: Path) -> None:
        self.listen, self.upstream = listen, upstream
        self.mode = "pass"
        self.delay = 3.0
        self.drip_every = 0.5
        self.rewrite: Rewrite | None = None
        self.drop_next = 0
        self.requests: list[str] = []
        self._server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._server.bind(str(listen))
        self._server.listen(16)
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._serve, name="fault-proxy", daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"unix://{self.listen}"

    def stop(self) -> None:
        self._stopping.set()
        with contextlib.suppress(OSError):
            self._server.close()
        self._thread.join(5)
        self.listen.unlink(missing_ok=True)

    def _serve(self) -> None:
        while not self._stopping.is_set():
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            threading.Thread(target=self._handle, args=(client,), daemon=True).start()

    def _handle(self, client: socket.socket) -> None:
        with client:
            try:
                head = self._read_head(client)
                if not head:
                    return
                path = head.split(b" ", 2)[1].decode(errors="replace")
                self.requests.append(path)
                mode = self.mode
                with self._lock:
                    dropping, self.drop_next = self.drop_next > 0, max(0, self.drop_next - 1)
                if mode == "drop" or dropping:
                    return
                answer = self._ask_engine(head)
                if self.rewrite is not None:
                    answer = self.rewrite(path, answer) or answer
                if mode == "delay":
                    time.sleep(self.delay)
                if mode == "truncate":
                    answer = answer[: max(1, len(answer) // 2)]
                if mode == "garbage":
                    answer = b"\x00\xffNOT HTTP\r\n\r\n" + bytes(range(256))
                if mode == "drip":
                    for byte in answer:
                        if self._stopping.is_set():
                            return
                        client.sendall(bytes([byte]))
                        time.sleep(self.drip_every)
                    return
                client.sendall(answer)
            except OSError:
                return

    @staticmethod
    def _read_head(client: socket.socket) -> bytes:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = client.recv(65536)
            if not chunk:
                return b""
            data += chunk
        return data

    def _ask_engine(self, head: bytes) -> bytes:
        lines = [
            line
            for line in head.split(b"\r\n\r\n", 1)[0].split(b"\r\n")
            if not line.lower().startswith(b"connection:")
        ]
        request = b"\r\n".join([*lines, b"Connection: close"]) + b"\r\n\r\n"
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as engine:
            engine.connect(str(self.upstream))
            engine.sendall(request)
            parts = []
            while chunk := engine.recv(1 << 16):
                parts.append(chunk)
        return b"".join(parts)


def with_body(answer: bytes, body: bytes) -> bytes:
    """`answer` (a whole HTTP response) with its body replaced (and Content-Length set)."""
    head = answer.split(b"\r\n\r\n", 1)[0].split(b"\r\n")
    kept = [
        h for h in head if not h.lower().startswith((b"content-length:", b"transfer-encoding:"))
    ]
    kept.append(f"Content-Length: {len(body)}".encode())
    return b"\r\n".join(kept) + b"\r\n\r\n" + body

"""An engine (or a proxy in front of it) that drips its answer, or sends a huge one: every
request ends by its deadline, and no answer is read past the cap."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from fromscratch.core.engine import transport
from fromscratch.core.engine.endpoint import Endpoint
from fromscratch.core.engine.failures import EngineState, EngineUnavailable
from fromscratch.core.engine.transport import RawTransport


class FakeEngine:
    """A unix socket answering every request with `head`, then `body` one byte at a time
    every `drip` seconds."""

    def __init__(self, path: Path, head: bytes, body: bytes, drip: float) -> None:
        self.head, self.body, self.drip = head, body, drip
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(str(path))
        self.server.listen(4)
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self) -> None:
        self.server.settimeout(0.2)
        while not self.stopping.is_set():
            try:
                conn, _ = self.server.accept()
            except TimeoutError:
                continue
            except OSError:  # closed by stop()
                return
            with conn:
                try:
                    conn.recv(65536)
                    conn.sendall(self.head)
                    for byte in self.body:
                        if self.stopping.is_set():
                            return
                        conn.sendall(bytes([byte]))
                        time.sleep(self.drip)
                except OSError:
                    continue

    def stop(self) -> None:
        self.stopping.set()
        self.server.close()
        self.thread.join(5)


@pytest.fixture
def socket_path(tmp_path: Path) -> Iterator[Path]:
    path = Path(f"/tmp/fs-drip-{tmp_path.name[-20:]}.sock")  # short: socket paths are limited
    yield path
    path.unlink(missing_ok=True)


def test_a_dripping_answer_ends_at_the_request_deadline(socket_path: Path) -> None:
    body = b'{"Version": "' + b"x" * 200 + b'"}'
    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
    head += f"Content-Length: {len(body)}\r\n\r\n".encode()
    engine = FakeEngine(socket_path, head, body, drip=0.5)  # a byte every half second
    raw = RawTransport(Endpoint(f"unix://{socket_path}", "test"), timeout=5, deadline=2)
    started = time.monotonic()
    try:
        with pytest.raises(EngineUnavailable) as info:
            raw.get_json("/version")
    finally:
        raw.close()
        engine.stop()
    assert info.value.state is EngineState.TIMEOUT
    assert info.value.detail == "no whole answer to /version in 2 s"
    assert "did not answer in time" in str(info.value)
    assert time.monotonic() - started < 5  # each byte came within the socket timeout


def test_an_answer_declared_too_big_is_not_read(socket_path: Path) -> None:
    head = b"HTTP/1.1 200 OK\r\nContent-Length: 1073741824\r\n\r\n"  # 1 GiB
    engine = FakeEngine(socket_path, head, b"[", drip=0)
    raw = RawTransport(Endpoint(f"unix://{socket_path}", "test"), timeout=5, deadline=10)
    try:
        with pytest.raises(EngineUnavailable, match="the answer to /version is over 256 MiB"):
            raw.get_json("/version")
    finally:
        raw.close()
        engine.stop()


def test_an_answer_that_grows_past_the_cap_is_cut(
    socket_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(transport, "MAX_BODY", 64)
    head = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
    chunk = b"[" + b"1," * 200 + b"1]"
    body = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n0\r\n\r\n"
    engine = FakeEngine(socket_path, head + body, b"", drip=0)
    raw = RawTransport(Endpoint(f"unix://{socket_path}", "test"), timeout=5, deadline=10)
    try:
        with pytest.raises(EngineUnavailable, match="over 256 MiB"):
            raw.get_json("/images/json")
    finally:
        raw.close()
        engine.stop()

"""Record a real engine's answers for tests that need no daemon.

`python -m tests.support.recording KIND DIR` starts a private engine of KIND
(tests.support.dockerd.EngineKind), builds the integration zoo on it, loads it once
through the app's own gateway, and writes every answer the gateway asked for to
`DIR/engine-zoo.KIND.recorded.json` (path -> JSON, for RecordedTransport) and the zoo's
expected parents to `DIR/engine-zoo.KIND.expected.json`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from fromscratch.core.engine.endpoint import Endpoint
from fromscratch.core.engine.gateway import EngineGateway
from fromscratch.core.engine.transport import Transport, open_transport
from tests.support.dockerd import EngineKind, start_dockerd


class RecordingTransport:
    """Passes requests to `inner` and keeps every answer by path."""

    def __init__(self, inner: Transport) -> None:
        self.inner = inner
        self.where = inner.where
        self.answers: dict[str, Any] = {}

    def get_json(self, path: str) -> Any:
        answer = self.inner.get_json(path)
        self.answers[path] = answer
        return answer

    def close(self) -> None:
        self.inner.close()


def record(url: str) -> dict[str, Any]:
    """Every answer one load of the engine at `url` needs."""
    endpoint = Endpoint(url, "recording")
    transport = RecordingTransport(open_transport(endpoint, 30.0))
    gateway = EngineGateway(endpoint, transport=transport)
    try:
        gateway.load()
    finally:
        gateway.close()
    return transport.answers


def main(argv: list[str]) -> int:
    kind, out = EngineKind(argv[0]), Path(argv[1])
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the checkout, for tests/
    from tests.integration.scenarios import build_zoo

    daemon = start_dockerd(kind)
    try:
        expected = build_zoo(daemon)
        answers = record(daemon.url)
    finally:
        daemon.stop()
    stem = out / f"engine-zoo.{kind.value}"
    Path(f"{stem}.recorded.json").write_text(json.dumps(answers, indent=0, sort_keys=True) + "\n")
    Path(f"{stem}.expected.json").write_text(json.dumps(expected, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

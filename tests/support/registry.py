"""A real registry for the tests: Debian's `docker-registry` (the distribution server 2.8)
on 127.0.0.1 with its storage in a folder of the test's, started and stopped by the test.
dockerd treats a 127.0.0.0/8 registry as insecure by default, so `docker push` needs no
daemon flag."""

from __future__ import annotations

import hashlib
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

from tests.support.tools import need


class RegistryServer:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.storage = root / "storage"
        with socket.socket() as probe:  # a free port (taken again at once by the server)
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.host = f"127.0.0.1:{self.port}"
        self.url = f"http://{self.host}"
        config = root / "config.yml"
        storage = f"{{filesystem: {{rootdirectory: {self.storage}}}, delete: {{enabled: true}}}}"
        http = f"{{addr: {self.host}}}"
        config.write_text(
            f"version: 0.1\nstorage: {storage}\nhttp: {http}\nlog: {{level: error}}\n"
        )
        self._log = (root / "registry.log").open("wb")
        self.process = subprocess.Popen(
            [need("docker-registry"), "serve", str(config)],
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(f"{self.url}/v2/", timeout=1) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                log = (root / "registry.log").read_text(errors="replace")[-2000:]
                raise RuntimeError(f"docker-registry did not start: {log}")
            time.sleep(0.1)

    def put_blob(self, repository: str, data: bytes) -> str:
        """Upload `data` as a blob of `repository` (monolithic: POST, then PUT); its digest."""
        digest = "sha256:" + hashlib.sha256(data).hexdigest()
        start = urllib.request.Request(f"{self.url}/v2/{repository}/blobs/uploads/", method="POST")
        with urllib.request.urlopen(start, timeout=10) as answer:
            location = answer.headers["Location"]
        where = location if location.startswith("http") else f"{self.url}{location}"
        joiner = "&" if "?" in where else "?"
        put = urllib.request.Request(f"{where}{joiner}digest={digest}", data=data, method="PUT")
        put.add_header("Content-Type", "application/octet-stream")
        urllib.request.urlopen(put, timeout=10).close()
        return digest

    def put_manifest(self, repository: str, reference: str, media_type: str, data: bytes) -> str:
        """PUT a manifest or index under `reference` (a tag); its digest."""
        url = f"{self.url}/v2/{repository}/manifests/{reference}"
        put = urllib.request.Request(url, data=data, method="PUT")
        put.add_header("Content-Type", media_type)
        urllib.request.urlopen(put, timeout=10).close()
        return "sha256:" + hashlib.sha256(data).hexdigest()

    def blob_file(self, digest: str) -> Path:
        """Where the filesystem storage keeps the blob `digest` (to damage it in a test)."""
        hexa = digest.removeprefix("sha256:")
        return self.storage / "docker/registry/v2/blobs/sha256" / hexa[:2] / hexa / "data"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()

"""A private Docker daemon for tests and benchmarks: own socket, data root, and clean stop.

No registry is reachable here, so every image is made locally: `FROM scratch` with the static
busybox, `docker load` of generated tarballs, or `docker import`.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

# Debian's own client: the newer one some machines put first on PATH lacks buildx, so
# DOCKER_BUILDKIT=1 fails with it (see the project's docker-ancestry notes, section 7).
DOCKER_CLI = "/usr/bin/docker" if Path("/usr/bin/docker").exists() else "docker"
BUSYBOX = next((p for p in ("/bin/busybox", "/usr/bin/busybox") if Path(p).exists()), None)


class DockerdUnavailable(RuntimeError):
    """A private daemon could not start here (a root without the privileges dockerd needs:
    an unprivileged container, a user namespace ...); the message ends with its log."""


def unavailable_reason() -> str | None:
    """Why a private daemon cannot run here, or None when it can."""
    if shutil.which("dockerd") is None:
        return "dockerd is not installed (apt-get install docker.io)"
    if os.geteuid() != 0:
        return "starting dockerd needs root"
    if BUSYBOX is None:
        return "the static busybox is not installed (apt-get install busybox-static)"
    return None


@dataclass
class Dockerd:
    """A running daemon; `url` is its `unix://` endpoint."""

    root: Path
    process: subprocess.Popen[bytes] | None = None
    env: dict[str, str] = field(default_factory=dict)

    @property
    def socket(self) -> Path:
        return self.root / "docker.sock"

    @property
    def url(self) -> str:
        return f"unix://{self.socket}"

    def start(self, timeout: float = 30.0) -> Dockerd:
        """Start and wait until it answers; a daemon that cannot start leaves no process and
        no folder behind (the error says why, from its log)."""
        try:
            with (self.root / "dockerd.log").open("wb") as log:  # the child keeps its own copy
                self.process = self._spawn(log)
            self.env = {
                **os.environ,
                "DOCKER_HOST": self.url,
                "DOCKER_CONFIG": str(self.root / "cfg"),
            }
            return self._wait_ready(timeout)
        except BaseException:
            self.stop()
            raise

    def _spawn(self, log: BinaryIO) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [
                "dockerd",
                "--host",
                self.url,
                "--data-root",
                str(self.root / "data"),
                "--exec-root",
                str(self.root / "exec"),
                "--pidfile",
                str(self.root / "pid"),
                "--bridge",
                "none",
                "--iptables=false",
                "--ip-masq=false",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def _wait_ready(self, timeout: float) -> Dockerd:
        assert self.process is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise DockerdUnavailable(f"dockerd exited at start: {self.log_tail()}")
            probe = subprocess.run(
                [DOCKER_CLI, "version", "--format", "{{.Server.Version}}"],
                env=self.env,
                capture_output=True,
                check=False,
            )
            if probe.returncode == 0:
                return self
            time.sleep(0.2)
        raise DockerdUnavailable(f"dockerd did not answer in {timeout:.0f} s: {self.log_tail()}")

    def log_tail(self) -> str:
        try:
            return (self.root / "dockerd.log").read_text(errors="replace")[-1500:]
        except OSError:
            return ""

    def docker(
        self,
        *args: str,
        buildkit: bool | None = None,
        stdin: bytes | None = None,
        cwd: Path | None = None,
    ) -> str:
        env = dict(self.env)
        if buildkit is not None:
            env["DOCKER_BUILDKIT"] = "1" if buildkit else "0"
        done = subprocess.run(
            [DOCKER_CLI, *args],
            env=env,
            input=stdin,
            capture_output=True,
            cwd=cwd,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"docker {' '.join(args)}: {done.stderr.decode(errors='replace')}")
        return done.stdout.decode()

    def build(
        self, tag: str, dockerfile: str, *, buildkit: bool, files: dict[str, bytes] | None = None
    ) -> str:
        """Build `tag` from `dockerfile` text; busybox is available as `busybox` in the context."""
        with tempfile.TemporaryDirectory() as ctx:
            context = Path(ctx)
            (context / "Dockerfile").write_text(dockerfile)
            assert BUSYBOX is not None
            shutil.copy(BUSYBOX, context / "busybox")
            for name, data in (files or {}).items():
                (context / name).write_bytes(data)
            for entry in context.iterdir():  # fixed times: BuildKit's cache then always hits
                os.utime(entry, (1_700_000_000, 1_700_000_000))
            self.docker("build", "-q", "-t", tag, ".", buildkit=buildkit, cwd=context)
        return self.image_id(tag)

    def load_forest(self, fanout: str, prefix: str = "forest") -> None:
        """`docker load` a forest of tiny images (fromscratch.testing.image_forest); `fanout`
        as "10,10,10"."""
        from fromscratch.testing.image_forest import write_forest

        tar = self.root / f"{prefix}.tar"
        write_forest(tar, [int(n) for n in fanout.split(",")], prefix)
        self.docker("load", "-q", "-i", str(tar))
        tar.unlink()

    def image_id(self, ref: str) -> str:
        return self.docker("image", "inspect", "--format", "{{.Id}}", ref).strip()

    def kill(self, sig: int = signal.SIGKILL) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, sig)

    def stop(self) -> None:
        """End the daemon (whatever state it is in) and delete its folder."""
        if self.process is not None:
            if self.process.poll() is None:
                os.killpg(self.process.pid, signal.SIGCONT)  # a frozen one cannot take SIGTERM
                os.killpg(self.process.pid, signal.SIGTERM)
                try:
                    self.process.wait(20)
                except subprocess.TimeoutExpired:
                    os.killpg(self.process.pid, signal.SIGKILL)
                    self.process.wait(10)
            self.process = None
        # Unmount whatever the daemon left (overlay mounts under the data root), then delete.
        subprocess.run(
            [
                "sh",
                "-c",
                f"grep ' {self.root}' /proc/mounts | cut -d' ' -f2 | sort -r | xargs -r umount -l",
            ],
            check=False,
            capture_output=True,
        )
        shutil.rmtree(self.root, ignore_errors=True)


def start_dockerd() -> Dockerd:
    """A fresh daemon in a new temporary folder (short path: unix socket paths are limited).
    Raises DockerdUnavailable, leaving nothing behind, when it cannot start."""
    base = tempfile.gettempdir()
    root = Path(tempfile.mkdtemp(prefix="fsd-", dir=base if len(base) < 60 else "/tmp"))
    return Dockerd(root).start()

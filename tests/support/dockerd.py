"""Private engines for tests and benchmarks: own socket, data root, and clean stop.

Four kinds (:class:`EngineKind`): the host's own dockerd (Debian 12: Docker 20.10, overlay2),
and, from a Debian sid root (``.ci/sid_root.sh`` builds and caches it), Docker 28 with the
containerd image store, Docker 28 with overlay2, and Podman 5 through its Docker-compatible
service. A sid engine runs in its own mount, PID, network, UTS and IPC namespaces, chrooted
into that root; its socket and data live in a folder of its own under the root's `share/`,
and the sid root's own client (docker 28 with buildx) drives it, so builds are what a user of
that engine gets (BuildKit with provenance attestations on Docker 28, the classic builder
through Podman's API).

No registry is reachable here, so every image is made locally: `FROM scratch` with the static
busybox, `docker load` of generated tarballs, or `docker import`.
"""

from __future__ import annotations

import contextlib
import enum
import fcntl
import os
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, TextIO

# Debian's own client: the newer one some machines put first on PATH lacks buildx, so
# DOCKER_BUILDKIT=1 fails with it (see the project's docker-ancestry notes, section 7).
DOCKER_CLI = "/usr/bin/docker" if Path("/usr/bin/docker").exists() else "docker"
BUSYBOX = next((p for p in ("/bin/busybox", "/usr/bin/busybox") if Path(p).exists()), None)
SID_ROOT = Path(os.environ.get("FROMSCRATCH_SID_ROOT", "/var/cache/fromscratch-ci/sid-root"))
"""Where `.ci/sid_root.sh` puts the Debian sid root with Docker 28 and Podman 5."""


class EngineKind(enum.Enum):
    """Which engine a private daemon is; the value is the test id."""

    DOCKER_HOST = "docker-host"
    """The host's dockerd (Debian 12's docker.io 20.10, overlay2)."""
    DOCKER28_CONTAINERD = "docker28-containerd"
    """Docker 28 with the containerd image store (what Engine 29 and Docker Desktop run)."""
    DOCKER28_OVERLAY2 = "docker28-overlay2"
    PODMAN5 = "podman5"

    @property
    def in_sid_root(self) -> bool:
        return self is not EngineKind.DOCKER_HOST

    @property
    def buildkit(self) -> bool:
        """Whether builds can use BuildKit (Podman's compatible API has only the classic
        /build, served by buildah)."""
        return self is not EngineKind.PODMAN5


class DockerdUnavailable(RuntimeError):
    """A private daemon could not start here (a root without the privileges dockerd needs:
    an unprivileged container, a user namespace ...); the message ends with its log."""


def unavailable_reason(kind: EngineKind = EngineKind.DOCKER_HOST) -> str | None:
    """Why a private daemon of `kind` cannot run here, or None when it can."""
    if kind.in_sid_root:
        if os.geteuid() != 0:
            return f"starting {kind.value} needs root"
        if shutil.which("unshare") is None:
            return "unshare is not installed (util-linux)"
        if not (SID_ROOT / ".fromscratch-stamp").exists():
            return f"no Debian sid root with Docker 28 and Podman 5 at {SID_ROOT} (.ci/sid_root.sh)"
        return None
    if shutil.which("dockerd") is None:
        return "dockerd is not installed (apt-get install docker.io)"
    if os.geteuid() != 0:
        return "starting dockerd needs root"
    if BUSYBOX is None:
        return "the static busybox is not installed (apt-get install busybox-static)"
    return None


_NAMESPACES = ["unshare", "--mount", "--pid", "--net", "--uts", "--ipc", "--fork"]
_NAMESPACES += ["--propagation", "private", "--kill-child=SIGTERM"]
_SID_SETUP = """
set -e
R="$1"; shift
mount --bind "$R" "$R"   # containerd 2.1 needs the root to be a mount point of its own
mount -t proc proc "$R/proc"
mount -t sysfs sysfs "$R/sys"
mount --rbind /sys/fs/cgroup "$R/sys/fs/cgroup"
mount --rbind /dev "$R/dev"
mount -t tmpfs tmpfs "$R/run"
mount -t tmpfs tmpfs "$R/tmp"
ip link set lo up 2>/dev/null || true
exec chroot "$R" catatonit -- "$@"
"""


_SID_ENV = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "HOME": "/root", "LANG": "C.UTF-8"}
"""What a sid engine and its client get: nothing of this machine's (its TMPDIR, say, is no
folder inside the root)."""


@dataclass
class Dockerd:
    """A running engine; `url` is its `unix://` endpoint as seen from this machine."""

    root: Path
    kind: EngineKind = EngineKind.DOCKER_HOST
    process: subprocess.Popen[bytes] | None = None
    env: dict[str, str] = field(default_factory=dict)
    """The environment for this machine's tools (the app, the CLI under test)."""
    _owner: TextIO | None = None

    @property
    def socket(self) -> Path:
        return self.root / ("podman.sock" if self.kind is EngineKind.PODMAN5 else "docker.sock")

    @property
    def url(self) -> str:
        return f"unix://{self.socket}"

    def inside(self, path: Path) -> str:
        """`path` (under the engine's folder) as the engine and its client see it."""
        if not self.kind.in_sid_root:
            return str(path)
        return "/" + str(path.relative_to(SID_ROOT))

    def start(self, timeout: float = 60.0) -> Dockerd:
        """Start and wait until it answers; a daemon that cannot start leaves no process and
        no folder behind (the error says why, from its log)."""
        try:
            self._owner = (self.root / OWNER).open("w")
            fcntl.flock(self._owner, fcntl.LOCK_EX | fcntl.LOCK_NB)  # held while we live
            with (self.root / "dockerd.log").open("wb") as log:  # the child keeps its own copy
                self.process = self._spawn(log)
            self._owner.write(str(self.process.pid))
            self._owner.flush()
            self.env = {
                **os.environ,
                "DOCKER_HOST": self.url,
                "DOCKER_CONFIG": str(self.root / "cfg"),
            }
            return self._wait_ready(timeout)
        except BaseException:
            self.stop()
            raise

    def _command(self) -> list[str]:
        if self.kind is EngineKind.PODMAN5:
            storage = self.inside(self.root / "storage")
            return [
                "podman",
                "--root",
                storage,
                "--runroot",
                "/run/podman-run",
                "system",
                "service",
                "--time=0",
                f"unix://{self.inside(self.socket)}",
            ]
        daemon = [
            "dockerd",
            "--host",
            f"unix://{self.inside(self.socket)}",
            "--data-root",
            self.inside(self.root / "data"),
            "--exec-root",
            "/run/docker-exec" if self.kind.in_sid_root else str(self.root / "exec"),
            "--pidfile",
            "/run/docker.pid" if self.kind.in_sid_root else str(self.root / "pid"),
            "--bridge",
            "none",
            "--iptables=false",
            "--ip-masq=false",
        ]
        if self.kind is EngineKind.DOCKER28_CONTAINERD:
            daemon += ["--config-file", "/etc/docker-containerd.json"]
        elif self.kind is EngineKind.DOCKER28_OVERLAY2:
            daemon += ["--config-file", "/etc/docker-overlay2.json"]
        return daemon

    def _spawn(self, log: BinaryIO) -> subprocess.Popen[bytes]:
        command = self._command()
        if self.kind.in_sid_root:
            command = [*_NAMESPACES, "sh", "-c", _SID_SETUP, "sid-engine", str(SID_ROOT), *command]
        # Its own temporary folder, inside its own: dockerd restarts a containerd that stops
        # answering (under load) with SIGUSR1 first, and containerd then writes its stacks to
        # TMPDIR, which outlived the engine (CI found containerd.PID.stacks.log left behind).
        scratch = self.root / "tmp"
        scratch.mkdir(exist_ok=True)
        env = dict(_SID_ENV) if self.kind.in_sid_root else dict(os.environ)
        env["TMPDIR"] = self.inside(scratch)
        return subprocess.Popen(
            command,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env=env,
        )

    def _wait_ready(self, timeout: float) -> Dockerd:
        assert self.process is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise DockerdUnavailable(f"{self.kind.value} exited at start: {self.log_tail()}")
            if self.socket.exists():
                probe = self.run_client(["version", "--format", "{{.Server.Version}}"])
                if probe.returncode == 0:
                    return self
            time.sleep(0.2)
        raise DockerdUnavailable(
            f"{self.kind.value} did not answer in {timeout:.0f} s: {self.log_tail()}"
        )

    def log_tail(self) -> str:
        try:
            return (self.root / "dockerd.log").read_text(errors="replace")[-1500:]
        except OSError:
            return ""

    def run_client(
        self,
        args: list[str],
        *,
        buildkit: bool | None = None,
        stdin: bytes | None = None,
    ) -> subprocess.CompletedProcess[bytes]:
        """The engine's own docker client (the sid root's for a sid engine) with `args`."""
        env = dict(self.env)
        if self.kind.in_sid_root:
            env = {
                **_SID_ENV,
                "DOCKER_HOST": f"unix://{self.inside(self.socket)}",
                "DOCKER_CONFIG": self.inside(self.root / "cfg"),
            }
            command = ["chroot", str(SID_ROOT), "/usr/bin/docker", *args]
        else:
            command = [DOCKER_CLI, *args]
        if buildkit is not None:
            env["DOCKER_BUILDKIT"] = "1" if buildkit and self.kind.buildkit else "0"
        return subprocess.run(command, env=env, input=stdin, capture_output=True, check=False)

    def docker(self, *args: str, buildkit: bool | None = None, stdin: bytes | None = None) -> str:
        done = self.run_client(list(args), buildkit=buildkit, stdin=stdin)
        if done.returncode != 0:
            raise RuntimeError(f"docker {' '.join(args)}: {done.stderr.decode(errors='replace')}")
        return done.stdout.decode()

    def build(
        self,
        tag: str,
        dockerfile: str,
        *,
        buildkit: bool,
        files: dict[str, bytes] | None = None,
        network: str | None = None,
    ) -> str:
        """Build `tag` from `dockerfile` text; busybox is available as `busybox` in the context.
        `buildkit` is ignored where the engine has no BuildKit (Podman). `network="none"` lets
        RUN steps run on an engine without a bridge (the tests' engines have none)."""
        context = Path(tempfile.mkdtemp(prefix="ctx-", dir=self.root))
        try:
            (context / "Dockerfile").write_text(dockerfile)
            assert BUSYBOX is not None
            shutil.copy(BUSYBOX, context / "busybox")
            for name, data in (files or {}).items():
                (context / name).write_bytes(data)
            for entry in context.iterdir():  # fixed times: BuildKit's cache then always hits
                os.utime(entry, (1_700_000_000, 1_700_000_000))
            extra = ["--network", network] if network else []
            self.docker("build", "-q", *extra, "-t", tag, self.inside(context), buildkit=buildkit)
        finally:
            shutil.rmtree(context, ignore_errors=True)
        return self.image_id(tag)

    def load_forest(self, fanout: str, prefix: str = "forest") -> None:
        """`docker load` a forest of tiny images (tests.support.image_forest); `fanout`
        as "10,10,10"."""
        from tests.support.image_forest import write_forest

        tar = self.root / f"{prefix}.tar"
        write_forest(tar, [int(n) for n in fanout.split(",")], prefix)
        self.docker("load", "-q", "-i", self.inside(tar))
        tar.unlink()

    def save(self, archive: Path, *refs: str) -> None:
        """`docker save` into `archive` (any path on this machine)."""
        out = self.root / "save.tar"
        try:
            self.docker("save", "-o", self.inside(out), *refs)
            shutil.move(out, archive)
        finally:
            out.unlink(missing_ok=True)

    def image_id(self, ref: str) -> str:
        return self.docker("image", "inspect", "--format", "{{.Id}}", ref).strip()

    def kill(self, sig: int = signal.SIGKILL) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, sig)

    def halt(self) -> None:
        """End the daemon as `systemctl stop docker` would, keeping its data: `start()`
        brings the same engine back (same socket, same images)."""
        self._end_process()
        self._owner_release()

    def stop(self) -> None:
        """End the daemon (whatever state it is in) and delete its folder."""
        self._end_process()
        # Unmount whatever the daemon left (overlay mounts under the data root), then delete.
        # (A sid engine's mounts were in its own namespace and ended with it.)
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
        self._owner_release()

    def _owner_release(self) -> None:
        if self._owner is not None:
            self._owner.close()
            self._owner = None

    def _end_process(self) -> None:
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
            # containerd ended with the group, but a killed one leaves its pid file: a new
            # dockerd that finds the pid taken by another process (a thread of ours, say)
            # waits for a containerd that is not there ("containerd is still running").
            (self.root / "exec" / "containerd" / "containerd.pid").unlink(missing_ok=True)


OWNER = "owner.lock"
"""Locked by the process that started the engine, holding the engine's process group id."""


def sweep_stale(base: Path) -> None:
    """End and delete the engines under `base` whose starter died without stopping them (a
    killed test run): their owner lock is free. Engines of a live run keep theirs."""
    for folder in base.glob("fsd-*"):
        try:
            with (folder / OWNER).open("r+") as owner:
                fcntl.flock(owner, fcntl.LOCK_EX | fcntl.LOCK_NB)
                group = owner.read().strip()
                if group.isdigit():
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(int(group), signal.SIGKILL)
        except BlockingIOError:
            continue  # alive
        except FileNotFoundError:
            pass  # never started, or already gone
        if (folder / OWNER).exists() or not any(folder.iterdir()):
            time.sleep(0.5)  # the killed engine's namespace lets go of its mounts
            shutil.rmtree(folder, ignore_errors=True)


def start_dockerd(kind: EngineKind = EngineKind.DOCKER_HOST) -> Dockerd:
    """A fresh engine of `kind` in a new folder (short path: unix socket paths are limited):
    the temporary folder for the host's dockerd, the sid root's `share/` for the others.
    Raises DockerdUnavailable, leaving nothing behind, when it cannot start."""
    if kind.in_sid_root:
        base = SID_ROOT / "share"
        base.mkdir(exist_ok=True)
        sweep_stale(base)
    else:
        temp = Path(tempfile.gettempdir())
        base = temp if len(str(temp)) < 60 else Path("/tmp")
    root = Path(tempfile.mkdtemp(prefix="fsd-", dir=base))
    return Dockerd(root, kind).start()

"""Prove the README's two set-up commands on a fresh Debian 12 machine.

A minbase Debian 12 root with nothing but python3, venv, pip, git and sudo (debootstrap,
cached as a tarball where the next run on this machine finds it) is imported into a private
dockerd as an image. In a new container each, as an ordinary user with sudo, a plain clone of
this checkout's committed HEAD runs:

- the run command, verbatim, with QT_QPA_PLATFORM=offscreen: the app must come up and stay
  up for 30 s with no traceback;
- the test command, verbatim: it must end green (the engine tests skip: no dockerd there);
- then CI's own package list (`.ci/install`, `.ci/packages.txt`) and, with
  FROMSCRATCH_REQUIRE_XVFB=1 and FROMSCRATCH_REQUIRE_TOOLS=1, every test marked `system` (real
  windows under Xvfb + openbox, Graphviz, the desktop-file validator): a package missing from
  the list fails here, whatever the machine CI runs on has installed by hand.

usage (root, after the test command made .venv): .venv/bin/python .ci/fresh_debian.py
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.support.dockerd import DOCKER_CLI, Dockerd, start_dockerd

REPO = Path(__file__).resolve().parents[1]
CACHE = Path(os.environ.get("FROMSCRATCH_CI_CACHE", "/var/cache/fromscratch-ci"))
ROOTFS = CACHE / "debian12-minbase.tar"
IMAGE = "fromscratch-ci/debian12-fresh:1"
USER_UID = 1000
KEEP_UP_S = 30
HOST_CA = Path("/etc/ssl/certs/ca-certificates.crt")
CA_VARIABLES = ("PIP_CERT", "SSL_CERT_FILE", "REQUESTS_CA_BUNDLE")
"""The sandbox this runs in reaches PyPI through a TLS-inspecting proxy whose CA only the host
trusts; a fresh machine elsewhere needs none of this. Only TLS trust is passed in."""

RUNNER = r"""
set -u
cd "$HOME/fromscratch"
QT_QPA_PLATFORM=offscreen bash -c "$RUN_COMMAND" > "$HOME/run.log" 2>&1 &
started=$!
app_up() { grep -lqs 'bin/fromscratch' /proc/[0-9]*/cmdline; }
for _ in $(seq 1 1200); do
  app_up && break
  if ! kill -0 "$started" 2>/dev/null; then
    tail -40 "$HOME/run.log"; echo "FRESH: the run command ended before the app came up"; exit 1
  fi
  sleep 1
done
app_up || { tail -40 "$HOME/run.log"; echo "FRESH: the app never came up"; exit 1; }
sleep __KEEP_UP__
if ! app_up; then
  tail -40 "$HOME/run.log"; echo "FRESH: the app exited within __KEEP_UP__ s"; exit 1
fi
if grep -q Traceback "$HOME/run.log"; then
  tail -40 "$HOME/run.log"; echo "FRESH: a traceback while running"; exit 1
fi
kill "$started" 2>/dev/null
for p in /proc/[0-9]*; do
  grep -qs 'bin/fromscratch' "$p/cmdline" && kill "${p#/proc/}" 2>/dev/null
done
echo "FRESH: the app stayed up __KEEP_UP__ s with no traceback"
""".replace("__KEEP_UP__", str(KEEP_UP_S))


def readme_command(marker: str) -> str:
    """The fenced shell block after `marker` in the README (the test command's marker), or the
    first one in the "Set up" section (the run command)."""
    text = (REPO / "README.md").read_text()
    start = text.index(marker)
    block = re.search(r"```sh\n(.*?)\n```", text[start:], re.DOTALL)
    assert block is not None, f"no command after {marker!r} in README.md"
    return block.group(1).strip()


def build_rootfs() -> None:
    """debootstrap once; later runs on this machine reuse the tarball."""
    if ROOTFS.exists() and ROOTFS.stat().st_size > 0:
        print(f"FRESH: reusing {ROOTFS}", flush=True)
        return
    CACHE.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="fs-debootstrap-") as work:
        root = Path(work) / "root"
        started = time.monotonic()
        subprocess.run(
            [
                "debootstrap",
                "--variant=minbase",
                "--include=python3,python3-venv,python3-pip,git,sudo,ca-certificates",
                "bookworm",
                str(root),
                "http://deb.debian.org/debian",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        subprocess.run(
            ["chroot", str(root), "useradd", "-m", "-u", str(USER_UID), "-s", "/bin/bash", "user"],
            check=True,
        )
        (root / "etc/sudoers.d/user").write_text("user ALL=(ALL) NOPASSWD:ALL\n")
        (root / "etc/sudoers.d/user").chmod(0o440)
        shutil.rmtree(root / "var/cache/apt/archives", ignore_errors=True)
        partial = ROOTFS.with_suffix(".tar.part")
        subprocess.run(["tar", "-C", str(root), "-cf", str(partial), "."], check=True)
        partial.replace(ROOTFS)
        print(f"FRESH: debootstrap took {time.monotonic() - started:.0f} s", flush=True)


SYSTEM_TESTS = (
    "sudo .ci/install && FROMSCRATCH_REQUIRE_XVFB=1 FROMSCRATCH_REQUIRE_TOOLS=1 "
    ".venv/bin/python -m pytest -m system -p no:cacheprovider"
)
"""After the README's test command, in the same container: CI's packages, the system tests."""


def in_container(daemon: Dockerd, bundle: Path, script: str, **env: str) -> int:
    """Run `script` as `user` in a new container of the fresh image, with a clone of HEAD
    (pip's and apt's downloads cached across runs on this machine)."""
    command = f'git clone -q /src.bundle "$HOME/fromscratch" && {script}'
    args = ["run", "--rm", "--network", "host", "--user", "user", "--workdir", "/home/user"]
    args += ["-v", f"{bundle}:/src.bundle:ro", "-v", f"{CACHE / 'pip'}:/home/user/.cache/pip"]
    args += ["-v", f"{CACHE / 'apt'}:/var/cache/apt/archives"]
    if HOST_CA.exists():  # this machine's network re-signs TLS: trust what the host trusts
        args += ["-v", f"{HOST_CA}:/etc/fromscratch-ci/ca.crt:ro"]
        env = {**{k: "/etc/fromscratch-ci/ca.crt" for k in CA_VARIABLES}, **env}
    for key, value in env.items():
        args += ["-e", f"{key}={value}"]
    done = subprocess.run(
        [DOCKER_CLI, *args, IMAGE, "bash", "-c", command],
        env=daemon.env,
        check=False,
    )
    return done.returncode


def main() -> int:
    run_command = readme_command("Run the app")
    test_command = readme_command("<!-- test-command -->")
    build_rootfs()
    pip_cache = CACHE / "pip"
    pip_cache.mkdir(parents=True, exist_ok=True)
    (CACHE / "apt" / "partial").mkdir(parents=True, exist_ok=True)
    os.chown(pip_cache, USER_UID, USER_UID)
    for path in pip_cache.rglob("*"):  # a cache written as root by an earlier layout
        if path.stat().st_uid != USER_UID:
            os.lchown(path, USER_UID, USER_UID)
    with tempfile.TemporaryDirectory(prefix="fs-fresh-") as work:
        bundle = Path(work) / "repo.bundle"
        subprocess.run(
            ["git", "-C", str(REPO), "bundle", "create", str(bundle), "HEAD"],
            check=True,
            capture_output=True,
        )
        bundle.chmod(0o644)
        daemon = start_dockerd()
        try:
            with ROOTFS.open("rb") as tar:
                subprocess.run(
                    [DOCKER_CLI, "import", "-", IMAGE],
                    stdin=tar,
                    env=daemon.env,
                    check=True,
                    capture_output=True,
                )
            started = time.monotonic()
            print(f"FRESH: run command: {run_command}", flush=True)
            code = in_container(daemon, bundle, RUNNER, RUN_COMMAND=run_command)
            print(f"FRESH: run command checked in {time.monotonic() - started:.0f} s", flush=True)
            if code != 0:
                return 1
            started = time.monotonic()
            print(f"FRESH: test command: {test_command}", flush=True)
            script = f'cd "$HOME/fromscratch" && {test_command} && {SYSTEM_TESTS}'
            code = in_container(daemon, bundle, script)
            print(
                f"FRESH: test command, then CI's packages and the system tests: exit {code} "
                f"in {time.monotonic() - started:.0f} s"
            )
            return 0 if code == 0 else 1
        finally:
            daemon.stop()


if __name__ == "__main__":
    sys.exit(main())

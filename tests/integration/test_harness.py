"""Where no private dockerd can run (a root without privileges: an unprivileged container, a
user namespace), the engine tests skip and say why, and leave no process and no folder."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.dockerd import unavailable_reason

REPO = Path(__file__).resolve().parents[2]


def test_an_unprivileged_root_skips_the_engine_tests_and_leaves_nothing(tmp_path: Path) -> None:
    reason = unavailable_reason()
    if reason is not None or shutil.which("unshare") is None:
        pytest.skip(reason or "unshare is not installed (util-linux)")
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "FROMSCRATCH_REQUIRE_DOCKER"}
    # The sid engines bring namespaces of their own and do start under a user namespace;
    # this test is about the host's dockerd, which cannot.
    env["FROMSCRATCH_SID_ROOT"] = str(tmp_path / "no-sid-root")
    unprivileged = ["unshare", "--user", "--map-root-user", "--mount"]
    pytest_args = [
        "-q",
        "-rs",
        "-p",
        "no:cacheprovider",
        "tests/integration/test_engine_lineage.py",
    ]
    done = subprocess.run(
        [*unprivileged, sys.executable, "-m", "pytest", *pytest_args],
        cwd=REPO,
        env={**env, "TMPDIR": str(temp)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "error" not in done.stdout.splitlines()[-1]
    assert (
        "skipped" in done.stdout and "a private docker-host engine cannot run here" in done.stdout
    )
    assert list(temp.iterdir()) == []  # no fsd-* folder, no pytest folders
    running = subprocess.run(["pgrep", "-f", f"dockerd .*{temp}"], capture_output=True, check=False)
    assert running.stdout == b""


def test_an_engines_stack_dumps_stay_in_its_own_folder(dockerd: object) -> None:
    """dockerd restarts a containerd that stops answering (a busy CI machine) with SIGUSR1
    first; containerd then wrote containerd.PID.stacks.log to the run's TMPDIR, and CI failed
    on the file left behind."""
    import signal
    import time

    from tests.support.dockerd import Dockerd

    assert isinstance(dockerd, Dockerd) and dockerd.process is not None
    found = subprocess.run(
        ["pgrep", "-P", str(dockerd.process.pid), "containerd"], capture_output=True, text=True
    ).stdout.split()
    if not found:
        pytest.skip("this dockerd uses a containerd it did not start")
    os.kill(int(found[0]), signal.SIGUSR1)
    deadline = time.monotonic() + 10
    dumps: list[Path] = []
    while not dumps and time.monotonic() < deadline:
        time.sleep(0.2)
        dumps = list((dockerd.root / "tmp").glob("containerd.*.stacks.log"))
    assert dumps, "containerd wrote its stacks elsewhere"
    for dump in dumps:
        dump.unlink()

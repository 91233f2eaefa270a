"""Inputs that used to hang, exhaust memory, trace back or be accepted wrongly: each is now
one line with the right exit code."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from fromscratch.core import cli
from fromscratch.core.formats.sample import load_sample
from fromscratch.core.formats.snapshot import HINT, SnapshotError, SnapshotWriteError, load, save

SAMPLE = Path(__file__).parents[2] / "data" / "official-images.inspect.json"


def tree_cli(path: Path | str, *, memory: int | None = None) -> subprocess.CompletedProcess[str]:
    """`fromscratch tree --snapshot PATH` with a minute to answer (and `memory` bytes of
    address space at most, for the inputs that used to take gigabytes)."""

    def cap() -> None:
        if memory is not None:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    return subprocess.run(
        [sys.executable, "-m", "fromscratch", "tree", "--snapshot", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        preexec_fn=cap,
    )


def test_a_device_is_refused_before_it_is_read() -> None:
    done = tree_cli("/dev/zero")  # used to read until memory ran out
    assert done.returncode == 2
    assert done.stderr == f"fromscratch: /dev/zero: is a device, not a file; {HINT}\n"


def test_a_pipe_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    done = tree_cli(fifo)  # used to block for ever
    assert done.returncode == 2
    assert done.stderr.strip().endswith(f"is a pipe, not a file; {HINT}")


def test_deep_nesting_is_one_line_not_a_recursion_error(tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text('[{"Id": "sha256:a", "X": ' + "[" * 3000 + "]" * 3000 + "}]")
    done = tree_cli(deep)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "nested deeper than any image data" in done.stderr


def test_every_member_of_a_multi_member_gzip_is_read(tmp_path: Path) -> None:
    text = SAMPLE.read_bytes()
    half = len(text) // 2
    joined = tmp_path / "two.json.gz"
    joined.write_bytes(gzip.compress(text[:half]) + gzip.compress(text[half:]))  # cat a.gz b.gz
    assert len(load(joined).images) == 21


@pytest.mark.parametrize(
    ("content", "field"),
    [
        ({"format": "fromscratch-snapshot", "version": 0, "images": []}, "version: 0"),
        ({"format": "fromscratch-snapshot", "version": -1, "images": []}, "version: -1"),
        ([{"Id": "sha256:a", "Size": -5}], "[0].Size"),
        ([{"Id": "sha256:a", "Size": 2**80}], "[0].Size"),
        (
            [{"Id": "sha256:a", "RootFS": {"Layers": ["sha256:l"]}, "X-LayerSizes": [-1]}],
            "[0].X-LayerSizes",
        ),
    ],
)
def test_impossible_numbers_are_refused(tmp_path: Path, content: object, field: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(content))
    with pytest.raises(SnapshotError) as info:
        load(path)
    assert str(info.value).startswith(f"{path}: {field}")


def test_a_snapshot_that_cannot_be_written_is_exit_1_and_says_where(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("")  # a file where a folder should be
    target = blocked / "snap.json"
    with pytest.raises(SnapshotWriteError):
        save(load_sample(), target)
    monkeypatch.setattr(cli, "_live", lambda host, *, use_cache=True: load_sample())
    code = cli.main(["snapshot", "save", str(target)])
    err = capsys.readouterr().err
    assert code == 1  # the README: 1 for a file that cannot be written
    assert err.startswith(f"fromscratch: {target}: cannot write it (")
    assert err.strip().endswith("choose a folder you can write to")


def test_a_save_killed_mid_write_leaves_no_stray_after_the_next(tmp_path: Path) -> None:
    """kill -9 while a snapshot is written: the old file stays whole, and the dead writer's
    temporary file goes with the next write of the same snapshot."""
    target = tmp_path / "snap.json"
    save(load_sample(), target)
    before = target.read_bytes()
    killed = subprocess.run(
        [
            sys.executable,
            "-c",
            "import os, signal; os.fsync = lambda fd: os.kill(os.getpid(), signal.SIGKILL)\n"
            "from fromscratch.core.formats.sample import load_sample\n"
            "from fromscratch.core.formats.snapshot import save\n"
            f"save(load_sample(), {str(target)!r})",
        ],
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert killed.returncode == -9
    assert target.read_bytes() == before  # never half a file
    strays = [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert len(strays) == 1  # what kill -9 leaves: nothing can run after it
    save(load_sample(), target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["snap.json"]


def test_a_full_disk_on_stdout_is_one_line_not_a_traceback() -> None:
    for args in (["tree", "--sample"], ["df", "--sample", "--format", "json"]):
        with open("/dev/full", "w") as full:
            done = subprocess.run(
                [sys.executable, "-m", "fromscratch", *args],
                stdout=full,
                stderr=subprocess.PIPE,
                text=True,
                timeout=60,
                check=False,
            )
        assert done.returncode == 1, done.stderr
        assert done.stderr == "fromscratch: cannot write the output: No space left on device\n"


def test_a_file_name_with_a_newline_is_said_on_one_line(tmp_path: Path) -> None:
    odd = tmp_path / "images\n\u202egnp.json"
    done = tree_cli(odd)
    assert done.returncode == 2
    (line,) = done.stderr.splitlines()
    assert line.endswith("images\\x0a\\u202egnp.json: no such file")

"""The C reader of plain entries (core/layers/_plainentries.c): built by the install, used for
the entries it can read, and reading every tar, whole or damaged, as the Python reader does;
under AddressSanitizer it reads no byte outside its buffers."""

from __future__ import annotations

import io
import os
import random
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fromscratch.core.layers import tarindex
from tests.core.layers import tarfuzz
from tests.core.layers.layertar import file, folder, hardlink, layer_tar, symlink
from tests.support.tools import need, required

ROOT = Path(__file__).resolve().parents[3]
SOURCE = ROOT / "core" / "layers" / "_plainentries.c"
HARNESS = "tests.core.layers.asan_plain_entries"


def compiled() -> tarindex.PlainEntries:
    if tarindex.COMPILED is None:
        reason = "the C reader was not built (apt-get install gcc, then pip install -e .)"
        if required("gcc"):
            pytest.fail(f"CI requires it, but {reason}")
        pytest.skip(reason)
    return tarindex.COMPILED


@pytest.mark.system
def test_the_install_built_the_c_reader_from_this_source() -> None:
    run = compiled()
    from fromscratch.core.layers import _plainentries

    built = Path(_plainentries.__file__)
    assert callable(run)
    if built.parent == SOURCE.parent:  # an editable install: rebuilt when the source changed?
        assert built.stat().st_mtime >= SOURCE.stat().st_mtime, (
            f"{built.name} is older than {SOURCE.name}: pip install -e . again"
        )


def test_the_c_reader_takes_the_plain_entries_and_gives_the_same_index(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    run = compiled()
    taken = 0

    def counted(buffer: bytes, at: int, entries: list, *rest: object) -> tuple[int, int]:  # type: ignore[type-arg]
        nonlocal taken
        before = len(entries)
        out = run(buffer, at, entries, *rest)  # type: ignore[arg-type]
        taken += len(entries) - before
        return out

    items = [folder("./usr"), folder("./usr/lib")]
    items += [file(f"./usr/lib/f{n}.so", b"x" * (n % 700)) for n in range(300)]
    items += [symlink("./usr/lib/link", "f1.so"), hardlink("./usr/lib/again", "./usr/lib/f2.so")]
    items += [file("./etc/os-release", b'PRETTY_NAME="Test"\n')]
    data = layer_tar(*items)
    monkeypatch.setattr(tarindex, "COMPILED", counted)
    in_c = tarindex.read_layer(io.BytesIO(data), "layer", digests={"usr/lib/f7.so"})
    python = tarindex.read_layer(io.BytesIO(data), "layer", digests={"usr/lib/f7.so"}, in_c=False)
    assert in_c == python
    assert dict(in_c.texts)["etc/os-release"].startswith("PRETTY_NAME")  # left to Python
    assert [path for path, _ in in_c.digests] == ["usr/lib/f7.so"]  # left to Python
    # all but the first (its checksum is checked), the hard link, os-release and f7.so
    assert taken == len(in_c.entries) - 4


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.randoms(use_true_random=False), st.sampled_from(tarfuzz.CHUNKS), st.integers(0, 6))
def test_any_tar_whole_or_damaged_is_read_as_the_python_reader_reads_it(
    rng: random.Random, chunk: int, damage: int
) -> None:
    compiled()
    data = tarfuzz.random_tar(rng)
    tarfuzz.assert_same(tarfuzz.damaged(rng, data, damage) if damage else data, chunk)


BOUND = "while (at >= 0 && at <= length - BLOCK)"
"""The C reader's check that a whole header is in the buffer: dropped in the broken copy."""


def sanitized(source: str, built: Path) -> subprocess.CompletedProcess[str]:
    """`source` built with AddressSanitizer and UBSan into `built`, then fed 3,000 generated
    and damaged tars by the harness, with libasan preloaded (the interpreter lacks it)."""
    gcc = need("gcc")
    code = built.with_suffix(".c")
    code.write_text(source)
    subprocess.run(
        [
            *(gcc, "-shared", "-fPIC", "-g", "-O1", "-fno-omit-frame-pointer"),
            *("-fsanitize=address,undefined", "-fno-sanitize-recover=all"),
            *(f"-I{sysconfig.get_paths()['include']}", str(code), "-o", str(built)),
        ],
        check=True,
    )
    asan = subprocess.run(
        [gcc, "-print-file-name=libasan.so"], capture_output=True, text=True, check=True
    ).stdout.strip()
    env = {
        **os.environ,
        "LD_PRELOAD": asan,
        "ASAN_OPTIONS": "detect_leaks=0:abort_on_error=1",
        "PYTHONMALLOC": "malloc",  # every object its own allocation, bounded by red zones
    }
    return subprocess.run(
        [sys.executable, "-m", HARNESS, str(built), "3000", "20261207"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.mark.system
def test_under_address_sanitizer_the_c_reader_reads_inside_its_buffers(tmp_path: Path) -> None:
    compiled()
    suffix = sysconfig.get_config_var("EXT_SUFFIX")
    source = SOURCE.read_text()
    done = sanitized(source, tmp_path / f"_plainentries{suffix}")
    assert done.returncode == 0, done.stderr[-3000:]
    assert "checked 3000 tars" in done.stdout
    # the same run finds a read past a buffer's end: without the check, at a cut header
    assert BOUND in source
    broken = source.replace(BOUND, "while (at >= 0 && at < length)")
    (tmp_path / "broken").mkdir()
    failed = sanitized(broken, tmp_path / "broken" / f"_plainentries{suffix}")
    assert failed.returncode != 0
    assert "AddressSanitizer: heap-buffer-overflow" in failed.stderr

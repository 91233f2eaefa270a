"""Whatever bytes a file holds, the readers answer with images or with one of their documented
one-line errors: never another exception (hypothesis drives them with JSON of every shape and
with damaged copies of a real file; atheris, coverage-guided, mutates real files of each kind)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fromscratch.core.formats.inventory import Inventory
from fromscratch.core.formats.parse import InputError
from fromscratch.core.formats.snapshot import from_bytes

SAMPLE = (Path(__file__).parents[2] / "data" / "official-images.inspect.json").read_bytes()
KEYS = ["Id", "RepoTags", "Parent", "ParentId", "RootFS", "Layers", "History", "X-History",
        "X-LayerSizes", "Size", "VirtualSize", "Config", "State", "format", "version",
        "images", "inspect", "history", "CreatedBy", "Created", "EmptyLayer"]  # fmt: skip

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=5), inner, max_size=5)
    ),
    max_leaves=30,
)


def read(raw: bytes) -> None:
    """Images, or a one-line InputError; anything else escapes and fails the test."""
    refusal = ""
    try:
        result: object = from_bytes(raw, source="fuzz")
    except InputError as exc:
        refusal, result = str(exc), None
    if result is None:
        assert refusal and "\n" not in refusal
    else:
        assert isinstance(result, Inventory)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values)
def test_json_of_any_shape_is_read_or_refused_in_one_line(document: object) -> None:
    read(json.dumps(document).encode())


@settings(max_examples=200, deadline=None)
@given(
    st.integers(0, len(SAMPLE) - 1),
    st.binary(min_size=1, max_size=8),
    st.sampled_from(["cut", "overwrite"]),
)
def test_a_damaged_real_file_is_read_or_refused_in_one_line(
    at: int, patch: bytes, how: str
) -> None:
    damaged = SAMPLE[:at] if how == "cut" else SAMPLE[:at] + patch + SAMPLE[at + len(patch) :]
    read(damaged)


ATHERIS_RUNS = 100_000
"""About 10 s here; a fixed seed, so a run is repeatable."""


def test_coverage_guided_fuzzing_finds_no_crash_leak_or_hang(tmp_path: Path) -> None:
    """atheris (libFuzzer) from seeds of every kind the readers take: an inspect array, the
    containerd store's inspect with `Manifests`, NDJSON, UTF-16 with a BOM, a snapshot. A
    crash, an exception other than InputError, more than 2 GiB or 10 s on one input fails."""
    from fromscratch.core.formats.snapshot import from_bytes, to_document

    here = Path(__file__).parent
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    official = json.loads(SAMPLE)[:2]
    recorded = json.loads(
        (here.parents[1] / "data" / "engine-zoo.docker28-containerd.recorded.json").read_text()
    )
    store = [v for k, v in sorted(recorded.items()) if k.endswith("?manifests=1")][:2]
    snapshot = to_document(from_bytes(json.dumps(store).encode(), source="seed"), redacted=True)
    seeds = {
        "inspect.json": json.dumps(official).encode(),
        "store.json": json.dumps(store).encode(),
        "stream.ndjson": "\n".join(json.dumps(x) for x in store).encode(),
        "utf16.json": json.dumps(official[:1]).encode("utf-16"),
        "snapshot.json": json.dumps(snapshot).encode(),
    }
    for name, data in seeds.items():
        (corpus / name).write_bytes(data)
    done = subprocess.run(
        [
            sys.executable,
            str(here / "atheris_readers.py"),
            f"-runs={ATHERIS_RUNS}",
            "-seed=1",
            "-max_len=16384",
            "-timeout=10",
            "-rss_limit_mb=2048",
            f"-dict={here / 'atheris_readers.dict'}",
            f"-artifact_prefix={tmp_path}/",  # a crashing input is kept there, not in cwd
            str(corpus),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    tail = done.stderr[-3000:]
    assert done.returncode == 0, tail
    assert f"Done {ATHERIS_RUNS} runs" in done.stderr, tail

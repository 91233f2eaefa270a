"""Whatever bytes a file holds, the readers answer with images or with one of their documented
one-line errors: never another exception (hypothesis drives them with JSON of every shape and
with damaged copies of a real file)."""

from __future__ import annotations

import json
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

"""Coverage-guided fuzzing of the file readers with atheris (libFuzzer), run by
test_fuzz_readers.py in a subprocess (atheris owns the process): whatever bytes a file holds,
`from_bytes` returns an inventory or raises its one-line InputError; anything else, a crash,
a leak past libFuzzer's RSS limit or a hang past its timeout fails the run.

usage: python atheris_readers.py [libFuzzer options] CORPUS_DIR
"""

from __future__ import annotations

import sys

import atheris

from fromscratch.core.formats.inventory import Inventory
from fromscratch.core.formats.parse import InputError
from fromscratch.core.formats.snapshot import from_bytes


def test_one_input(data: bytes) -> None:
    try:
        result = from_bytes(data, source="fuzz")
    except InputError as exc:
        message = str(exc)
        if not message or "\n" in message:
            raise AssertionError(f"not a one-line refusal: {message!r}") from None
        return
    if not isinstance(result, Inventory):
        raise AssertionError(f"read as {type(result).__name__}")


if __name__ == "__main__":
    # Everything loaded, the standard library's json and codecs too: the readers fall back
    # to them for streams and odd encodings (3.5x the edges of instrumenting ours alone).
    atheris.instrument_all()
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()

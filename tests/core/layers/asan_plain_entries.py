"""The C reader of plain entries built with AddressSanitizer and UndefinedBehaviorSanitizer,
fed generated and damaged layer tars: run by test_plain_entries.py in a subprocess with
libasan preloaded (the interpreter is not built with it). Any read outside a buffer, any
overflow, aborts the process; a reading unlike the Python reader's fails an assertion.

usage: python -m tests.core.layers.asan_plain_entries SANITIZED_SO TARS SEED  (in the checkout)
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import random
import sys
from pathlib import Path

from fromscratch.core.layers import tarindex
from tests.core.layers import tarfuzz

NAME = "fromscratch.core.layers._plainentries"


def main() -> None:
    built, tars, seed = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    loader = importlib.machinery.ExtensionFileLoader(NAME, str(built))
    spec = importlib.util.spec_from_file_location(NAME, built, loader=loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    tarindex.COMPILED = module.run
    rng = random.Random(seed)
    for _ in range(tars):
        data = tarfuzz.random_tar(rng)
        if rng.random() < 0.7:
            data = tarfuzz.damaged(rng, data, rng.randint(1, 6))
        tarfuzz.assert_same(data, rng.choice(tarfuzz.CHUNKS))
    sys.stdout.write(f"checked {tars} tars with {built.name}\n")


if __name__ == "__main__":
    main()

"""A chain of 50,000 generations (a classic builder's Parent chain) prints in bounded memory,
and depths and bases come from one pass, not from walking every node's ancestry."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path

from fromscratch.core.formats.sample import load_sample
from fromscratch.core.graph.lineage import build_tree
from fromscratch.core.graph.records import SCRATCH_ID
from fromscratch.core.graph.tree import ancestry, generations
from tests.core.helpers import digest


def test_a_50000_deep_chain_prints_in_bounded_memory(tmp_path: Path) -> None:
    chain = [
        {
            "Id": digest("c", str(i)),
            "RepoTags": [f"c{i}:1"],
            "Parent": digest("c", str(i - 1)) if i else "",
        }
        for i in range(50_000)
    ]
    path = tmp_path / "chain.json"
    path.write_text(json.dumps(chain))

    def two_gib() -> None:  # the full indentation alone would be ~3.75 GB
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    for extra in ((), ("--image", "c49999:1")):
        done = subprocess.run(
            [sys.executable, "-m", "fromscratch", "tree", "--snapshot", str(path), *extra],
            capture_output=True,
            text=True,
            timeout=300,
            preexec_fn=two_gib,
            check=False,
        )
        assert done.returncode == 0, done.stderr[-2000:]
        lines = done.stdout.splitlines()
        assert len(lines) == 50_001  # scratch and every generation, one line each
        assert max(len(line) for line in lines) < 300
        deep = lines[-1] if not extra else lines[0]
        assert "c49999:1" in deep


def test_generations_agree_with_ancestry() -> None:
    tree = build_tree(load_sample().images)
    places = generations(tree)
    assert set(places) == set(tree) - {SCRATCH_ID}
    for node, (depth, base) in places.items():
        chain = ancestry(tree, node)
        assert depth == len(chain) - 1 and base == chain[-2]

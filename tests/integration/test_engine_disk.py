"""`fromscratch df` against the engine's own accounting on the overlay2 store, where dockerd
computes `/system/df` right: every image's size and shared bytes are the engine's, byte for
byte.

The engine lists no untagged image with children (classic build intermediates), as `df`
does without --all. What it shares differs by version: Docker 20.10 counts a layer as shared
when another *listed* image uses it (df's definition: images shown), Docker 28 when any image
does, intermediates too, so there the figures equal those of `df --all`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.integration.conftest import Engines
from tests.support.dockerd import EngineKind

COUNTS_HIDDEN = {EngineKind.DOCKER_HOST: False, EngineKind.DOCKER28_OVERLAY2: True}


def df(engine_env: dict[str, str], tmp_path: Path, *args: str) -> dict[str, dict[str, object]]:
    env = {**engine_env, "FROMSCRATCH_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run(
        [sys.executable, "-m", "fromscratch", "df", "--format", "json", *args],
        env=env,
        cwd=Path(__file__).parents[2],
        capture_output=True,
        text=True,
        check=True,
    )
    return {i["id"]: i for i in json.loads(done.stdout)["images"]}


@pytest.mark.parametrize("kind", list(COUNTS_HIDDEN), ids=lambda kind: kind.value)
def test_df_equals_the_engines_system_df(
    engines: Engines, kind: EngineKind, tmp_path: Path
) -> None:
    import docker

    engine = engines.daemon(kind)
    engines.zoo(kind)
    listed = df(engine.env, tmp_path)
    counted = df(engine.env, tmp_path, "--all") if COUNTS_HIDDEN[kind] else listed
    client = docker.DockerClient(base_url=engine.url)
    try:
        theirs = {i["Id"]: i for i in client.df()["Images"]}
    finally:
        client.close()
    assert set(listed) == set(theirs)
    assert len(listed) > 10
    for image_id, engine_says in theirs.items():
        mine = counted[image_id]
        assert mine["size"] == engine_says["Size"], (mine["tags"], engine_says)
        assert mine["shared"] == engine_says["SharedSize"], (mine["tags"], engine_says)
    assert any(i["shared"] for i in listed.values()) and any(i["unique"] for i in listed.values())

"""Removing images on each real engine: exactly what the plan lists goes, containers that hold
an image stop it unless the user chose to remove them too, and on the overlay2 store (Docker
20.10 and 28) the bytes predicted equal the engine's own `/system/df` LayersSize before minus
after, byte for byte."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from fromscratch.core.disk.removal import RemovalError, Target, plan_removal
from fromscratch.core.engine.endpoint import Endpoint
from fromscratch.core.engine.gateway import EngineGateway
from fromscratch.core.engine.removal import RemovalRefused, Removing, remove
from fromscratch.core.graph.lineage import build_tree
from fromscratch.core.graph.tree import Tree, find
from tests.support.dockerd import Dockerd, EngineKind

pytestmark = pytest.mark.integration
BASE = "FROM scratch\nCOPY busybox /bin/busybox\nCOPY base.txt /base.txt\n"
APP = "FROM {base}\nCOPY {name}.txt /{name}.txt\n"
BYTE_FOR_BYTE = (EngineKind.DOCKER_HOST, EngineKind.DOCKER28_OVERLAY2)


def files(tag: str) -> dict[str, bytes]:
    """Contents no other image has (so their layers are these images' alone)."""
    return {
        "base.txt": f"base of {tag}\n".encode() * 300,
        "one.txt": f"one of {tag}\n".encode() * 700,
        "two.txt": f"two of {tag}\n".encode() * 500,
        "old.txt": f"old of {tag}\n".encode() * 900,
    }


def build_family(engine: Dockerd, prefix: str) -> None:
    """base, two images on it, and a dangling one (a tag a rebuild moved); buildkit where the
    engine has it, so nothing but the tags links them."""
    kit = engine.kind.buildkit
    data = files(prefix)
    engine.build(f"{prefix}/base:1", BASE, buildkit=kit, files=data)
    engine.build(
        f"{prefix}/one:1", APP.format(base=f"{prefix}/base:1", name="one"), buildkit=kit, files=data
    )
    engine.build(
        f"{prefix}/two:1", APP.format(base=f"{prefix}/base:1", name="old"), buildkit=kit, files=data
    )
    engine.build(
        f"{prefix}/two:1", APP.format(base=f"{prefix}/base:1", name="two"), buildkit=kit, files=data
    )


def look(engine: Dockerd) -> tuple[Tree, object]:
    gateway = EngineGateway(Endpoint(engine.url, "test"))
    try:
        inventory = gateway.load()
    finally:
        gateway.close()
    return build_tree(inventory.images), inventory


def test_what_is_removed_and_what_it_frees_is_what_was_said(
    engine: Dockerd, engine_zoo: dict[str, str]
) -> None:
    prefix = f"rm{os.getpid()}"
    build_family(engine, prefix)
    engine.docker("create", "--name", f"{prefix}-holder", f"{prefix}/one:1", "/bin/busybox", "true")
    endpoint = Endpoint(engine.url, "test")
    tree, inventory = look(engine)
    base = find(tree, f"{prefix}/base:1")
    assert base is not None

    with pytest.raises(RemovalError, match=r"[23] images stand on it"):
        plan_removal(tree, inventory.containers, Target.IMAGE, base)  # type: ignore[attr-defined]

    # Dangling: the image the rebuild of two:1 left behind (where the engine keeps it).
    try:
        dangling = plan_removal(tree, inventory.containers, Target.DANGLING)  # type: ignore[attr-defined]
    except RemovalError:
        dangling = None
    if dangling is not None:
        done = remove(endpoint, Removing(tuple((i.id, i.tags) for i in dangling.images)))
        assert set(done.removed) == {i.id for i in dangling.images} and not done.failed
        if engine.kind in BYTE_FOR_BYTE:
            assert done.engine_freed == dangling.frees, (done.before, done.after)

    # The family, held by a stopped container: refused without touching anything, unless
    # the container goes too.
    tree, inventory = look(engine)
    plan = plan_removal(tree, inventory.containers, Target.SUBTREE, base)  # type: ignore[attr-defined]
    assert {i.name.split("/", 1)[-1] for i in plan.images} >= {"base:1", "one:1", "two:1"}
    assert plan.images[-1].id == base  # children first
    assert [c.name for c in plan.containers] == [f"{prefix}-holder"]
    engine.docker("create", "--name", f"{prefix}-late", f"{prefix}/two:1", "/bin/busybox", "true")
    listed = tuple(c.id for c in plan.containers)  # the holder, not the late one
    with pytest.raises(RemovalRefused, match=f"{prefix}-late"):
        remove(endpoint, Removing(tuple((i.id, i.tags) for i in plan.images), listed))
    for image in plan.images:  # nothing was touched
        for tag in image.tags:
            assert engine.image_id(tag)
    assert f"{prefix}-holder" in engine.docker("ps", "-a", "--format", "{{.Names}}")
    engine.docker("rm", f"{prefix}-late")
    done = remove(
        endpoint,
        Removing(tuple((i.id, i.tags) for i in plan.images), tuple(c.id for c in plan.containers)),
    )
    assert not done.failed, done.failed
    assert set(done.removed) == {i.id for i in plan.images}
    assert done.containers == tuple(c.id for c in plan.containers)
    listed = engine.docker("images", "-q", "--no-trunc", "--filter", f"reference={prefix}/*")
    assert listed.split() == []
    if engine.kind in BYTE_FOR_BYTE:  # what `df` predicted is what the engine freed
        assert plan.frees is not None and plan.frees > 0
        assert done.engine_freed == plan.frees, (done.before, done.after, plan.frees)
    after, _ = look(engine)
    assert set(after) >= set(tree) - {i.id for i in plan.images} - {
        n for n in tree if tree.nodes[n]["kind"] != "image"
    }  # the zoo and everything else stays


def test_the_cli_lists_refuses_and_removes(
    dockerd: Dockerd, zoo: dict[str, str], tmp_path: Path
) -> None:
    prefix = f"cli{os.getpid()}"
    build_family(dockerd, prefix)
    dockerd.docker(
        "create", "--name", f"{prefix}-holder", f"{prefix}/one:1", "/bin/busybox", "true"
    )

    def rm(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "fromscratch", "rm", *args],
            env={**os.environ, "DOCKER_HOST": dockerd.url, "FROMSCRATCH_CACHE_DIR": str(tmp_path)},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    dry = rm(f"{prefix}/base:1", "--subtree")
    assert dry.returncode == 0, dry.stderr
    # base, one, two and the two:1 a rebuild left dangling (Docker 20.10 keeps it)
    assert "would remove 4 images" in dry.stdout and f"{prefix}-holder" in dry.stdout
    assert "dry run: nothing removed" in dry.stdout
    held = rm(f"{prefix}/base:1", "--subtree", "--yes")
    assert held.returncode == 1 and "add --with-containers" in held.stdout
    assert dockerd.image_id(f"{prefix}/one:1")  # nothing removed
    alone = rm(f"{prefix}/base:1")
    assert alone.returncode == 2 and "3 images stand on it" in alone.stderr
    done = rm(f"{prefix}/base:1", "--subtree", "--yes", "--with-containers")
    assert done.returncode == 0, done.stderr
    assert "removed 4 of 4 images and 1 containers" in done.stdout
    line = next(x for x in done.stdout.splitlines() if x.startswith("the engine's image layers"))
    freed, predicted = line.split("freed ", 1)[1].split(" (predicted ")
    assert freed == predicted.rstrip(")"), line
    assert dockerd.docker("images", "-q", "--filter", f"reference={prefix}/*").split() == []

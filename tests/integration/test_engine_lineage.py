"""Lineage on a real engine: classic builder, BuildKit, ENV-only children, load, import,
a tag moved by a rebuild, a dangling image; and the CLI against it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

from fromscratch.core.engine.cache import InspectCache
from fromscratch.core.engine.endpoint import Endpoint
from fromscratch.core.engine.gateway import EngineGateway, connect
from fromscratch.core.graph.lineage import build
from fromscratch.core.graph.records import EdgeMethod
from fromscratch.testing.dockerd import Dockerd
from tests.integration.scenarios import check_zoo

pytestmark = pytest.mark.integration


def load(dockerd: Dockerd, cache: InspectCache | None = None) -> nx.DiGraph:
    gateway = EngineGateway(Endpoint(dockerd.url, "test"), cache=cache)
    try:
        return build(gateway.load().images)
    finally:
        gateway.close()


def test_every_case_gets_its_parent(dockerd: Dockerd, zoo: dict[str, str]) -> None:
    graph = load(dockerd)
    tags = {t: n for n in graph for t in graph.nodes[n]["tags"]}
    check_zoo(graph, zoo)
    edge = graph.edges[tags["zoo/base:classic"], tags["zoo/meta:classic"]]
    assert edge["method"] == EdgeMethod.PARENT_FIELD
    assert graph.edges[tags["zoo/base:bk"], tags["zoo/meta:bk"]]["method"] == EdgeMethod.HISTORY
    assert nx.is_arborescence(graph)


def test_moved_tag_leaves_the_old_image_dangling_but_present(
    dockerd: Dockerd, zoo: dict[str, str]
) -> None:
    graph = load(dockerd)
    dangling = [n for n in graph if graph.nodes[n]["dangling"]]
    assert len(dangling) == 1
    assert dangling[0] != dockerd.image_id("zoo/moving:latest")
    kids = [graph.nodes[k]["tags"] for k in graph.successors(dangling[0])]
    assert kids == [("zoo/on-moving:latest",)]


def test_cache_makes_a_warm_load_equal_and_cheap(
    dockerd: Dockerd, zoo: dict[str, str], tmp_path: Path
) -> None:
    cache = InspectCache(tmp_path)
    cold = load(dockerd, cache)
    assert len(list((tmp_path / "images").rglob("*.json"))) >= len(zoo)
    warm = load(dockerd, cache)
    assert sorted(cold.edges) == sorted(warm.edges)


def test_cli_tree_and_snapshot_on_the_engine(
    dockerd: Dockerd, zoo: dict[str, str], tmp_path: Path
) -> None:
    env = {**dockerd.env, "FROMSCRATCH_CACHE_DIR": str(tmp_path / "cache")}
    cli = [sys.executable, "-m", "fromscratch"]
    repo = Path(__file__).parents[2]
    done = subprocess.run(
        [*cli, "tree", "--format", "json"],
        env=env,
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    )
    nodes = {n["id"]: n for n in json.loads(done.stdout)["nodes"]}
    assert {t for n in nodes.values() for t in n["tags"]} >= set(zoo)
    snap = tmp_path / "s.json.gz"
    subprocess.run(
        [*cli, "snapshot", "save", str(snap)], env=env, cwd=repo, check=True, capture_output=True
    )
    again = subprocess.run(
        [*cli, "tree", "--snapshot", str(snap), "--format", "json"],
        env=env,
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(again.stdout)["edges"] == json.loads(done.stdout)["edges"]
    info = subprocess.run(
        [*cli, "info"], env=env, cwd=repo, capture_output=True, text=True, check=True
    )
    assert "host kernel" in info.stdout and dockerd.url in info.stdout
    assert "(DOCKER_HOST)" in info.stdout
    rows = dict(line.split(None, 1) for line in info.stdout.splitlines() if line.strip())
    assert rows["engine"].startswith("Docker ") and "runc" in rows["runtimes"]
    assert rows["runtimes"].startswith("configured: ")


def test_connect_reports_the_kernel_and_endpoint(dockerd: Dockerd) -> None:
    gateway, facts = connect(dockerd.url)
    gateway.close()
    assert facts.kernel_version == Path("/proc/sys/kernel/osrelease").read_text().strip()
    assert gateway.endpoint.source == "--host"


def test_default_source_is_the_live_engine_and_is_kept(
    dockerd: Dockerd, zoo: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fromscratch.core.session.last_live_source import last_live_path
    from fromscratch.core.session.opening import open_default

    monkeypatch.setenv("DOCKER_HOST", dockerd.url)
    monkeypatch.setenv("FROMSCRATCH_CACHE_DIR", str(tmp_path))
    opened = open_default()
    assert opened.kind == "engine" and opened.notice == ""
    assert opened.describe().startswith(f"Docker engine {dockerd.url} (DOCKER_HOST)")
    assert last_live_path().exists()


def test_a_docker_save_archive_gives_the_engines_tree(
    dockerd: Dockerd, zoo: dict[str, str], tmp_path: Path
) -> None:
    """`docker save` of the zoo, opened with no engine: every saved image stands on the same
    nearest saved ancestor as on the engine (BuildKit, classic builds, ENV-only children)."""
    from fromscratch.core.formats.snapshot import load as load_file
    from fromscratch.core.graph.lineage import build_tree

    saved_tags = [
        "zoo/base:classic",
        "zoo/meta:classic",
        "zoo/app:classic",
        "zoo/base:bk",
        "zoo/meta:bk",
        "zoo/app:bk",
        "zoo/imported:latest",
        "zoo/on-import:bk",
    ]  # fmt: skip (zoo/zero has no layer: dockerd 20.10 refuses to save it, "empty export")
    archive = tmp_path / "zoo.tar"
    dockerd.docker("save", "-o", str(archive), *saved_tags)
    engine = load(dockerd)
    engine_id = {t: n for n in engine for t in engine.nodes[n]["tags"]}
    saved = {engine_id[t] for t in saved_tags}

    def nearest_saved(graph: nx.DiGraph, node: str, keep: set[str]) -> str:
        parent = next(iter(graph.predecessors(node)))
        while parent != "scratch" and parent not in keep:
            parent = next(iter(graph.predecessors(parent)))
        return parent

    tree = build_tree(load_file(archive).images).to_networkx()
    in_archive = {n for n in tree if tree.nodes[n]["kind"] == "image"}
    assert in_archive == saved  # the same ids: the config digest, as the engine says
    for node in saved:
        assert nearest_saved(tree, node, saved) == nearest_saved(engine, node, saved), tree.nodes[
            node
        ]["tags"]

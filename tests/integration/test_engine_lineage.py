"""Lineage on each real engine (Docker 20.10, Docker 28 with the containerd image store and
with overlay2, Podman 5): classic builder, BuildKit, ENV-only children, load, import, a tag
moved by a rebuild, one image rebuilt under a new tag; and the CLI against it."""

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
from fromscratch.core.formats.inventory import SizeBasis
from fromscratch.core.formats.names import short_name
from fromscratch.core.graph.lineage import build
from fromscratch.core.graph.records import EdgeMethod
from tests.integration.scenarios import SAME_IMAGE, check_zoo, keeps_moved_from_image, tag_nodes
from tests.support.dockerd import BUSYBOX, Dockerd, EngineKind

pytestmark = pytest.mark.integration


def load(dockerd: Dockerd, cache: InspectCache | None = None) -> nx.DiGraph:
    gateway = EngineGateway(Endpoint(dockerd.url, "test"), cache=cache)
    try:
        return build(gateway.load().images)
    finally:
        gateway.close()


def test_every_case_gets_its_parent(engine: Dockerd, engine_zoo: dict[str, str]) -> None:
    graph = load(engine)
    tags = tag_nodes(graph)
    check_zoo(graph, engine_zoo)
    edge = graph.edges[tags["zoo/base:classic"], tags["zoo/meta:classic"]]
    assert edge["method"] == EdgeMethod.PARENT_FIELD
    if engine.kind.buildkit:  # BuildKit writes no Parent: the history tells
        assert graph.edges[tags["zoo/base:bk"], tags["zoo/meta:bk"]]["method"] == (
            EdgeMethod.HISTORY
        )
    assert nx.is_arborescence(graph)


def test_one_image_is_one_card_with_all_its_tags(
    engine: Dockerd, engine_zoo: dict[str, str]
) -> None:
    """The same Dockerfile rebuilt under a new tag: one card, both tags, whatever ids the
    engine gave (two on the containerd store: each build gets a new attestation)."""
    graph = load(engine)
    node = tag_nodes(graph)[SAME_IMAGE[0]]
    ids = {engine.image_id(tag) for tag in SAME_IMAGE}
    image = graph.nodes[node]["image"]
    assert {node, *image.aliases} == ids
    assert len(ids) == (2 if engine.kind is EngineKind.DOCKER28_CONTAINERD else 1)
    done = subprocess.run(
        [sys.executable, "-m", "fromscratch", "tree", "--no-cache", "--image", max(ids)],
        env=engine.env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.startswith(graph.nodes[node]["label"] + "  (")


def test_sizes_are_never_mixed(engine: Dockerd, engine_zoo: dict[str, str]) -> None:
    """Each image's size and its own layers count the same thing, and an image is never
    smaller than its own layers (on the containerd store inspect `Size` is compressed while
    history sizes are unpacked blocks: shown as "1.1 MB (+2.1 MB)" before)."""
    graph = load(engine)
    for node in graph:
        attrs = graph.nodes[node]
        image = attrs["image"]
        if image is None:
            continue
        own = attrs["own_size"]
        assert own is None or own <= attrs["size"], (attrs["label"], own, attrs["size"])
        if engine.kind is EngineKind.DOCKER28_CONTAINERD:
            assert image.size_basis is SizeBasis.UNPACKED_BLOCKS, attrs["label"]
            assert image.content_size is not None and image.size % 4096 == 0
        else:
            assert image.size_basis is SizeBasis.LAYER_BYTES and image.content_size is None
    base = graph.nodes[tag_nodes(graph)["zoo/base:classic"]]["image"]
    assert base.size >= Path(BUSYBOX or "").stat().st_size  # its binary, on every engine
    # What the engine's own client says, figure by figure.
    told = engine.docker("image", "inspect", "--format", "{{.Size}}", "zoo/base:classic")
    steps = engine.docker("history", "--format", "{{.Size}}", "--human=false", "zoo/base:classic")
    history_total = sum(int(n) for n in steps.split())
    if engine.kind is EngineKind.DOCKER28_CONTAINERD:
        assert base.content_size == int(told) and base.size == history_total
    else:
        assert base.size == int(told)


def test_moved_tag_leaves_the_child_on_the_old_base(
    engine: Dockerd, engine_zoo: dict[str, str]
) -> None:
    graph = load(engine)
    tags = tag_nodes(graph)
    (parent,) = graph.predecessors(tags["zoo/on-moving:latest"])
    assert parent != tags["zoo/moving:latest"]
    dangling = [n for n in graph if graph.nodes[n]["dangling"]]
    if keeps_moved_from_image(engine.kind):
        assert dangling == [parent]
    else:
        assert dangling == [] and graph.nodes[parent]["kind"] == "virtual"


def test_cache_makes_a_warm_load_equal_and_cheap(
    engine: Dockerd, engine_zoo: dict[str, str], tmp_path: Path
) -> None:
    cache = InspectCache(tmp_path)
    cold = load(engine, cache)
    assert len(list((tmp_path / "images").rglob("*.json"))) >= len(engine_zoo) - 1
    warm = load(engine, cache)
    assert sorted(cold.edges) == sorted(warm.edges)


def test_cli_tree_and_snapshot_on_the_engine(
    engine: Dockerd, engine_zoo: dict[str, str], tmp_path: Path
) -> None:
    env = {**engine.env, "FROMSCRATCH_CACHE_DIR": str(tmp_path / "cache")}
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
    assert {short_name(t) for n in nodes.values() for t in n["tags"]} >= set(engine_zoo)
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
    assert "host kernel" in info.stdout and engine.url in info.stdout
    assert "(DOCKER_HOST)" in info.stdout
    rows = dict(line.split(None, 1) for line in info.stdout.splitlines() if line.strip())
    product = "Podman " if engine.kind is EngineKind.PODMAN5 else "Docker "
    assert rows["engine"].startswith(product) and "runc" in rows["runtimes"]
    if engine.kind is EngineKind.DOCKER28_CONTAINERD:
        assert "(containerd image store)" in rows["storage"]
    assert rows["runtimes"].startswith("configured: ")


def test_connect_reports_the_kernel_and_endpoint(engine: Dockerd) -> None:
    """Whichever engine answers, the kernel it reports is this machine's: containers share it."""
    gateway, facts = connect(engine.url)
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
    engine: Dockerd, engine_zoo: dict[str, str], tmp_path: Path
) -> None:
    """`docker save` of the zoo, opened with no engine: every saved image stands on the same
    nearest saved ancestor as on the engine (BuildKit, classic builds, ENV-only children), and
    goes by the ids the engine gave it."""
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
    engine.save(archive, *saved_tags)
    live = load(engine)
    live_tags = tag_nodes(live)

    def nearest_saved(graph: nx.DiGraph, node: str) -> frozenset[str]:
        """The tags of the nearest ancestor that was saved (none: scratch)."""
        parent = next(iter(graph.predecessors(node)))
        while parent != "scratch" and not {
            short_name(t) for t in graph.nodes[parent]["tags"]
        } & set(saved_tags):
            parent = next(iter(graph.predecessors(parent)))
        return frozenset(short_name(t) for t in graph.nodes[parent]["tags"]) & set(saved_tags)

    tree = build_tree(load_file(archive).images).to_networkx()
    offline = tag_nodes(tree)
    images = [n for n in tree if tree.nodes[n]["kind"] == "image"]
    assert {t for n in images for t in map(short_name, tree.nodes[n]["tags"])} == set(saved_tags)
    for tag in saved_tags:
        assert nearest_saved(tree, offline[tag]) == nearest_saved(live, live_tags[tag]), tag
        image = tree.nodes[offline[tag]]["image"]
        # The engine's id: the config digest (overlay2, Podman) or, on the containerd store,
        # the index that wraps a BuildKit build, or the manifest of a classic one.
        assert engine.image_id(tag) in {offline[tag], image.manifest, *image.aliases}, tag
        if engine.kind in (EngineKind.DOCKER_HOST, EngineKind.DOCKER28_OVERLAY2):
            # Layer bytes counted from the layers' tar headers as the graph driver counts
            # its folders (not the tars' bytes, which add headers and padding).
            assert image.size_basis is SizeBasis.LAYER_BYTES
            assert image.layer_sizes == live.nodes[live_tags[tag]]["image"].layer_sizes, tag

"""Recorded answers of the engines people run today (Docker 28 with the containerd image store
and with overlay2, Podman 5: `python -m tests.support.recording KIND tests/data`), read
by the same gateway as a live load: the zoo's lineage, one card per image, sizes never mixed.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from fromscratch.core.engine.endpoint import Endpoint
from fromscratch.core.engine.gateway import EngineGateway, RecordedTransport
from fromscratch.core.formats.inventory import Inventory, SizeBasis
from fromscratch.core.formats.snapshot import from_bytes, to_document
from fromscratch.core.graph.export import to_text
from fromscratch.core.graph.lineage import build, build_tree
from fromscratch.core.graph.tree import find
from tests.core.conftest import DATA
from tests.integration.scenarios import SAME_IMAGE, check_zoo, tag_nodes

KINDS = ["docker28-containerd", "docker28-overlay2", "podman5"]


def recorded(kind: str) -> tuple[dict[str, Any], dict[str, str]]:
    answers = json.loads((DATA / f"engine-zoo.{kind}.recorded.json").read_text())
    return answers, json.loads((DATA / f"engine-zoo.{kind}.expected.json").read_text())


def load(kind: str) -> Inventory:
    answers, _ = recorded(kind)
    gateway = EngineGateway(Endpoint("unix:///recorded.sock", "test"), RecordedTransport(answers))
    return gateway.load()


@pytest.mark.parametrize("kind", KINDS)
def test_recorded_zoo_lineage(kind: str) -> None:
    _, expected = recorded(kind)
    graph = build(list(load(kind).images))
    check_zoo(graph, expected)


def test_containerd_store_one_card_per_image_whatever_index_wraps_it() -> None:
    answers, _ = recorded("docker28-containerd")
    listed = answers["/images/json?all=1"]
    ids = {
        tag: item["Id"] for item in listed for tag in item["RepoTags"] or () if tag in SAME_IMAGE
    }
    assert len(set(ids.values())) == 2  # the engine: two ids (two attestations)
    inventory = load("docker28-containerd")
    (image,) = [i for i in inventory.images if SAME_IMAGE[0] in i.tags]
    assert set(image.tags) >= set(SAME_IMAGE)
    assert {image.id, *image.aliases} == set(ids.values())
    assert len(inventory.images) == len(listed) - 1
    graph = build_tree(inventory.images)
    assert find(graph, ids[SAME_IMAGE[1]]) == find(graph, SAME_IMAGE[0]) == image.id


def test_containerd_store_sizes_are_unpacked_and_the_compressed_apart() -> None:
    answers, _ = recorded("docker28-containerd")
    inventory = load("docker28-containerd")
    graph = build_tree(inventory.images)
    for image in inventory.images:
        inspect = answers[f"/images/{image.id}/json?manifests=1"]
        (platform,) = [m for m in inspect["Manifests"] if m["Kind"] == "image"]
        assert image.size_basis is SizeBasis.UNPACKED_BLOCKS
        assert image.size == platform["ImageData"]["Size"]["Unpacked"]
        assert image.content_size == inspect["Size"] != image.size
        assert image.manifest == platform["ID"]
        if image.id in graph:  # (build intermediates are hidden)
            own = graph.nodes[image.id]["own_size"]
            assert own is not None and own <= image.size
    text = to_text(graph)
    assert text.endswith(
        "sizes: unpacked, in 4 KiB disk blocks; compressed sizes are in --format json\n"
    )


@pytest.mark.parametrize("kind", KINDS)
def test_a_snapshot_keeps_what_sizes_count_and_every_id(kind: str) -> None:
    inventory = load(kind)
    again = from_bytes(json.dumps(to_document(inventory, redacted=False)).encode(), source="s")
    assert again.images == inventory.images
    assert [i.aliases for i in again.images] == [i.aliases for i in inventory.images]


def test_podman_names_are_found_as_people_type_them() -> None:
    graph = build_tree(load("podman5").images)
    node = find(graph, "zoo/app:bk")
    assert node is not None and "docker.io/zoo/app:bk" in graph.nodes[node]["tags"]
    assert find(graph, "zooforest-0") == tag_nodes(graph.to_networkx())["zooforest-0:latest"]


def test_df_on_the_containerd_store_keeps_compressed_content_apart() -> None:
    """The containerd store's figures are unpacked sizes; each image's compressed content is
    its own column, never added to them (core.disk)."""
    from fromscratch.core.disk.report import render_text, to_json_data
    from fromscratch.core.disk.usage import disk_usage

    inventory = load("docker28-containerd")
    usage = disk_usage(build_tree(inventory.images))
    assert usage.basis is SizeBasis.UNPACKED_BLOCKS
    by_id = {image.id: image for image in inventory.images}
    for figures in usage.images:
        image = by_id[figures.id]
        assert figures.content == image.content_size is not None
        assert figures.size == sum(image.layer_sizes or ())  # unpacked, not the content
    text = render_text(usage)
    assert "COMPRESSED" in text.splitlines()[0] and "unpacked, in 4 KiB disk blocks" in text
    data = to_json_data(usage)
    assert data["total"]["size_basis"] == "unpacked_blocks"
    assert all("content_size" in image for image in data["images"])

"""Files people have that are not image lists: each is refused in one line that names the
file, says what it is and what to run instead (never drawn as a tree of "dangling images");
image listings with parents, old engines' sizes and untold tags are read right.

The samples are made here in the shapes the engine and the tools write."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from fromscratch.core.formats.snapshot import SnapshotError, load
from fromscratch.core.graph.details import facts
from fromscratch.core.graph.export import render
from fromscratch.core.graph.lineage import build_tree
from fromscratch.core.graph.records import SCRATCH_ID, EdgeMethod
from fromscratch.core.graph.tree import ancestry, find

HEX = "0123456789abcdef" * 4
RUN = "run `docker image inspect $(docker image ls -q) > images.json`"


def hexid(n: int) -> str:
    return "sha256:" + f"{n:04x}" + HEX[4:]


CONTAINER_INSPECT = [  # `docker inspect <container>`
    {
        "Id": HEX,
        "Created": "2026-11-30T10:00:00.000000000Z",
        "Path": "sh",
        "Args": [],
        "State": {"Status": "running", "Running": True, "Pid": 4242},
        "Image": hexid(1),
        "Name": "/web",
        "Config": {"Image": "nginx:stable-alpine", "Cmd": ["nginx"], "Env": ["PATH=/bin"]},
    }
]
CONTAINER_LIST = [  # `GET /containers/json`
    {
        "Id": HEX,
        "Names": ["/web"],
        "Image": "nginx:stable-alpine",
        "ImageID": hexid(1),
        "Command": "nginx",
        "Created": 1764496800,
        "State": "running",
        "Status": "Up 2 hours",
    }
]
HISTORY = [  # `GET /images/{id}/history`
    {"Id": hexid(2), "Created": 1764496800, "CreatedBy": 'CMD ["sh"]', "Tags": ["b:1"], "Size": 0},
    {"Id": "<missing>", "Created": 1764496700, "CreatedBy": "ADD file:abc in /", "Size": 4096},
]
SAVE_MANIFEST = [  # manifest.json inside a `docker save` tar
    {"Config": HEX + ".json", "RepoTags": ["busybox:latest"], "Layers": [HEX + "/layer.tar"]}
]
CLI_LINES = [  # `docker images --format '{{json .}}'`, as one array after `jq -s`
    {"ID": HEX[:12], "Repository": "busybox", "Tag": "latest", "Size": "4.26MB"}
]
SKOPEO = {
    "Name": "docker.io/library/busybox",
    "Digest": "sha256:" + HEX,
    "RepoTags": ["latest"],
    "Layers": ["sha256:" + HEX],
    "Architecture": "amd64",
}


@pytest.mark.parametrize(
    ("document", "says"),
    [
        (CONTAINER_INSPECT, "[0] is a container, not an image"),
        (CONTAINER_LIST, "[0] is a container, not an image"),
        (HISTORY, "[0] is a build-history entry"),
        (SAVE_MANIFEST, "[0] is the manifest.json of a `docker save` archive"),
        (CLI_LINES, "[0] is a `docker images --format` line"),
        (SKOPEO, "this is `skopeo inspect` output"),
        ({"some": "thing"}, "this is neither a fromscratch snapshot nor"),
        (CONTAINER_LIST[0], "this is a container, not an image"),  # `/containers/{id}/json`
    ],
    ids=[
        "container-inspect",
        "containers-json",
        "history",
        "save-manifest",
        "cli-json",
        "skopeo",
        "other",
        "one-container",
    ],
)
def test_what_is_not_an_image_list_is_refused_in_one_line(
    tmp_path: Path, document: Any, says: str
) -> None:
    path = tmp_path / "input.json"
    path.write_text(json.dumps(document))
    with pytest.raises(SnapshotError) as info:
        load(path)
    message = str(info.value)
    assert message.startswith(f"{path}: {says}")
    assert message.endswith(RUN) or RUN.removesuffix("`") in message
    assert "\n" not in message


def test_an_image_listing_is_read_with_its_parents(tmp_path: Path) -> None:
    """`GET /images/json?all=1` of a classic-builder host (2014): no layers, but `ParentId`
    links every image, build steps included, and `VirtualSize` is the whole image."""
    listing = [
        {
            "Id": hexid(1),
            "ParentId": "",
            "RepoTags": ["debian:7"],
            "Created": 1400000000,
            "Size": 85_000_000,
            "VirtualSize": 85_000_000,
        },
        {
            "Id": hexid(2),
            "ParentId": hexid(1),
            "RepoTags": ["<none>:<none>"],
            "Created": 1400000100,
            "Size": 12_000_000,
            "VirtualSize": 97_000_000,
        },
        {
            "Id": hexid(3),
            "ParentId": hexid(2),
            "RepoTags": ["app:1"],
            "Created": 1400000200,
            "Size": 0,
            "VirtualSize": 97_000_000,
        },
        {
            "Id": hexid(4),
            "ParentId": hexid(1),
            "RepoTags": ["tool:1"],
            "Created": 1400000300,
            "Size": 3_000_000,
            "VirtualSize": 88_000_000,
        },
    ]
    path = tmp_path / "images.json"
    path.write_text(json.dumps(listing))
    inventory = load(path)
    sizes = {i.id: i.size for i in inventory.images}
    assert sizes[hexid(2)] == 97_000_000  # the whole image, not its own layer's 12 MB
    tree = build_tree(inventory.images)
    assert ancestry(tree, hexid(3)) == [hexid(3), hexid(1), SCRATCH_ID]  # via the hidden step
    assert tree.edges[hexid(1), hexid(3)]["method"] == EdgeMethod.PARENT_FIELD
    assert ancestry(tree, hexid(4)) == [hexid(4), hexid(1), SCRATCH_ID]


def test_an_old_inspect_without_repotags_is_not_dangling(tmp_path: Path) -> None:
    """Docker 1.8's inspect has no `RepoTags`: the tags are not told, not absent."""
    old = [
        {
            "Id": hexid(7),
            "Parent": "",
            "Size": 1000,
            "VirtualSize": 196_600_000,
            "RootFS": None,
            "Created": "2015-09-01T00:00:00Z",
        }
    ]
    path = tmp_path / "old.json"
    path.write_text(json.dumps(old))
    (image,) = load(path).images
    assert image.size == 196_600_000 and not image.tags_known
    tree = build_tree([image])
    assert not tree.nodes[image.id]["dangling"]
    assert tree.nodes[image.id]["label"] == f"<untold>@{hexid(7)[7:19]}"


def test_the_tree_s_own_labels_find_their_image(tmp_path: Path) -> None:
    """`tree` prints untagged images as `<none>@<short id>`; `--image` takes that back."""
    listing = [{"Id": hexid(9), "RepoTags": [], "RootFS": {"Layers": ["sha256:" + HEX]}}]
    path = tmp_path / "one.json"
    path.write_text(json.dumps(listing))
    tree = build_tree(load(path).images)
    label = tree.nodes[hexid(9)]["label"]
    assert label.startswith("<none>@")
    assert find(tree, label) == hexid(9)


def test_a_parent_the_file_does_not_hold_is_shown_absent_not_scratch(tmp_path: Path) -> None:
    """A classic-builder image whose Parent was not exported with it: the tree says the parent
    is absent (a placeholder naming its id, dashed), never "built FROM scratch (1.00)"."""
    missing = hexid(5)
    child = {
        "Id": hexid(6),
        "Parent": missing,
        "RepoTags": ["app:2"],
        "RootFS": {"Layers": ["sha256:" + HEX]},
    }
    path = tmp_path / "orphan.json"
    path.write_text(json.dumps([child]))
    tree = build_tree(load(path).images)
    chain = ancestry(tree, hexid(6))
    assert chain == [hexid(6), f"absent:{missing}", SCRATCH_ID]
    placeholder = tree.nodes[f"absent:{missing}"]
    assert placeholder["label"] == f"<absent>@{missing[7:19]}"
    assert tree.edges[f"absent:{missing}", hexid(6)]["method"] == EdgeMethod.PARENT_FIELD
    from fromscratch.core.graph.records import is_uncertain

    assert is_uncertain(tree.edges[SCRATCH_ID, f"absent:{missing}"])
    text = render(tree, "text")
    assert f"[inferred base] <absent>@{missing[7:19]}" in text


def podman_image(
    n: int, layers: list[str], history: list[dict[str, Any]], tag: str
) -> dict[str, Any]:
    """`podman image inspect` output: bare-hex ids, and the config's history inlined."""
    return {
        "Id": hexid(n).removeprefix("sha256:"),
        "RepoTags": [f"localhost/{tag}"],
        "RootFS": {"Type": "layers", "Layers": layers},
        "History": history,
        "Created": "2026-12-01T10:00:00Z",
    }


def test_podman_inline_history_is_used(tmp_path: Path) -> None:
    base_history = [
        {"created": "2026-12-01T09:00:00Z", "created_by": "/bin/sh -c #(nop) ADD file:x in /"}
    ]
    app_history = [
        *base_history,
        {"created": "2026-12-01T09:30:00Z", "created_by": "ENV A=1", "empty_layer": True},
        {
            "created": "2026-12-01T09:31:00Z",
            "created_by": "RUN make",
            "comment": "FROM localhost/base:1",
        },
    ]
    layer_a, layer_b = "sha256:" + "a" * 64, "sha256:" + "b" * 64
    images = [
        podman_image(1, [layer_a], base_history, "base:1"),
        podman_image(2, [layer_a, layer_b], app_history, "app:1"),
    ]
    path = tmp_path / "podman.json"
    path.write_text(json.dumps(images))
    loaded = {i.tags[0]: i for i in load(path).images}
    app = loaded["localhost/app:1"]
    assert app.history is not None and [s.created_by for s in app.history][-1] == "RUN make"
    assert [s.empty_layer for s in app.history] == [False, True, False]
    tree = build_tree(loaded.values())
    edge = tree.edges[loaded["localhost/base:1"].id, app.id]
    assert edge["method"] == EdgeMethod.LAYERS_AND_HISTORY and not edge["ambiguous"]


def test_empty_layer_ids_link_nothing(tmp_path: Path) -> None:
    """schema1 images carry "" as a layer id: that names no content, so two unrelated images
    are not parent and child for it."""
    images = [
        {"Id": hexid(3), "RepoTags": ["old-a:1"], "RootFS": {"Layers": [""]}},
        {"Id": hexid(4), "RepoTags": ["old-b:1"], "RootFS": {"Layers": ["", ""]}},
    ]
    path = tmp_path / "schema1.json"
    path.write_text(json.dumps(images))
    tree = build_tree(load(path).images)
    assert list(tree.predecessors(hexid(4))) == [SCRATCH_ID]
    assert list(tree.predecessors(hexid(3))) == [SCRATCH_ID]


def test_a_listing_without_parents_draws_no_confident_tree(tmp_path: Path) -> None:
    """`GET /images/json` of a BuildKit-era host: `ParentId` is empty and there are no layers
    or history to tell bases by. The images stand under scratch as guesses, never as a
    confident "FROM scratch"."""
    listing = [
        {"Id": hexid(11), "ParentId": "", "RepoTags": ["app:1"], "Created": 1764496800},
        {"Id": hexid(12), "ParentId": "", "RepoTags": ["base:1"], "Created": 1764496700},
    ]
    path = tmp_path / "images.json"
    path.write_text(json.dumps(listing))
    images = load(path).images
    # The listing's epoch seconds read as the same RFC 3339 time an inspect gives.
    assert {i.created for i in images} == {"2025-11-30T10:00:00Z", "2025-11-30T09:58:20Z"}
    tree = build_tree(images)
    for node in (hexid(11), hexid(12)):
        edge = tree.edges[SCRATCH_ID, node]
        assert edge["ambiguous"] and edge["confidence"] == 0.0
    assert render(tree, "text").count("[parent uncertain]") == 2
    how_found = dict(facts(tree, hexid(11)))["how found"]
    assert "cannot tell its base" in how_found and "no local image lies below" not in how_found

"""The details panel's content: steps with the ancestor they were inherited from."""

from __future__ import annotations

from fromscratch.core.formats.inventory import Image
from fromscratch.core.graph.details import OWN, details
from fromscratch.core.graph.lineage import build_tree
from tests.core.helpers import child_of, digest, image, step


def by_tag(images: list[Image]) -> dict[str, str]:
    return {t: i.id for i in images for t in i.tags}


def test_python_steps_are_attributed_down_the_chain(official_images: list[Image]) -> None:
    graph = build_tree(official_images)
    tags = by_tag(official_images)
    info = details(graph, tags["python:3-bookworm"])
    image = graph.nodes[tags["python:3-bookworm"]]["image"]
    assert len(info.rows) == len(image.history)
    layer_owners = [r.owner_label for r in info.rows if not r.empty]
    assert layer_owners[:4] == [
        "debian:12",
        "buildpack-deps:bookworm-curl",
        "buildpack-deps:bookworm-scm",
        "buildpack-deps:bookworm",
    ]
    assert set(layer_owners[4:]) == {"own"}
    assert [s.label for s in info.shares] == [
        "debian:12",
        "buildpack-deps:bookworm-curl",
        "buildpack-deps:bookworm-scm",
        "buildpack-deps:bookworm",
        "own",
    ]
    assert sum(s.size for s in info.shares) == sum(image.layer_sizes)
    debian = graph.nodes[tags["debian:12"]]["image"]
    assert info.shares[0].size == debian.size
    # metadata-only steps are marked and carry no size
    assert any(r.empty and r.size == 0 for r in info.rows)
    assert dict(info.facts)["parent"] == "buildpack-deps:bookworm"


def test_empty_steps_belong_to_whoever_ran_them(official_images: list[Image]) -> None:
    graph = build_tree(official_images)
    tags = by_tag(official_images)
    info = details(graph, tags["eclipse-temurin:21-noble"])
    first_five = [r.owner_label for r in info.rows[:5]]
    assert first_five == ["ubuntu:24.04"] * 5  # ARG, ARG, LABEL, ADD, CMD of ubuntu
    assert info.rows[5].owner == OWN and info.rows[5].empty  # its own ENV JAVA_HOME


def test_virtual_base_owns_its_shared_layers() -> None:
    debian = image("debian:12", [digest("deb")], [step("RUN debian.sh", 1)])
    a = child_of(debian, "a:1", 2)
    b = child_of(debian, "b:1", 1)
    graph = build_tree([a, b])
    info = details(graph, a.id)
    assert [r.owner_label for r in info.rows] == ["RUN debian.sh", "own", "own"]
    virtual = next(n for n in graph if graph.nodes[n]["kind"] == "virtual")
    assert details(graph, virtual).rows == ()
    assert dict(details(graph, virtual).facts)["image"].startswith("inferred base")


def test_scratch_explains_itself(official_images: list[Image]) -> None:
    info = details(build_tree(official_images), "scratch")
    assert "no kernel" in dict(info.facts)["what"] and info.rows == ()

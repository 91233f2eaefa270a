"""The containers panel's rows (core.graph.containers): each container placed on the tree by
the image id it runs (an alias on the containerd store too), with its base user space; a tag
that moved to a newer build is said; an image's rows, with or without those built on it."""

from __future__ import annotations

from dataclasses import replace

from fromscratch.core.formats.inventory import Container
from fromscratch.core.formats.sample import load_sample
from fromscratch.core.graph.containers import StartedAs, container_rows, reference_key, rows_on
from fromscratch.core.graph.lineage import build_tree
from fromscratch.core.graph.tree import find


def test_rows_place_containers_by_image_id_with_their_base() -> None:
    sample = load_sample()
    tree = build_tree(sample.images)
    python = find(tree, "python:3-bookworm")
    debian = find(tree, "debian:12")
    assert python is not None and debian is not None
    rows = container_rows(
        [
            Container("c2", ("old",), debian, "debian:12", "exited", "Exited (0) 2 hours ago"),
            Container("c1", ("web",), python, "python:3-bookworm", "running", "Up 5 minutes"),
            # started as python:3-bookworm when that tag named debian's image (a rebuild
            # moved it since): it shows on the image it runs, and says so
            Container("c3", ("stale",), debian, "python:3-bookworm", "running"),
            Container("c4", ("gone",), "sha256:" + "e" * 64, "deleted:1", "exited"),
        ],
        tree,
    )
    assert [r.name for r in rows] == ["stale", "web", "gone", "old"]  # running first
    by = {r.name: r for r in rows}
    assert by["web"].node == python and by["web"].runs == "python:3-bookworm"
    assert by["web"].base == "debian:12" and by["web"].name_now is StartedAs.ITS_IMAGE
    assert by["stale"].node == debian and by["stale"].name_now is StartedAs.MOVED
    assert by["stale"].names_now == python.removeprefix("sha256:")[:12]
    assert by["gone"].node is None and by["gone"].runs == "e" * 12 and by["gone"].base == ""
    assert by["old"].status == "Exited (0) 2 hours ago" and not by["old"].running
    assert {r.name for r in rows_on(rows, tree, debian)} == {"stale", "old"}
    assert {r.name for r in rows_on(rows, tree, debian, above=True)} == {"stale", "old", "web"}


def test_an_alias_of_the_image_places_the_container() -> None:
    """On the containerd image store a container may name the image by another id."""
    sample = load_sample()
    image = next(i for i in sample.images if "debian:12" in i.tags)
    alias = "sha256:" + "a" * 64
    images = tuple(replace(i, aliases=(alias,)) if i is image else i for i in sample.images)
    tree = build_tree(images)
    (row,) = container_rows([Container("c", ("x",), alias, "debian:12", "running")], tree)
    assert row.node == image.id and row.base == "debian:12"


def test_a_second_tag_an_id_or_a_short_name_is_not_a_moved_tag() -> None:
    """The walkthrough's false "(now elsewhere)": containers started by an image's second tag
    (`debian:bookworm` beside `debian:12`), by a name without its tag or registry, by id."""
    sample = load_sample()
    tree = build_tree(sample.images)
    debian = find(tree, "debian:12")
    assert debian is not None and len(tree.nodes[debian]["tags"]) > 1
    second = sorted(tree.nodes[debian]["tags"])[-1]
    started = {
        "second": second,
        "registry": f"docker.io/library/{second}",
        "id": debian.removeprefix("sha256:")[:12],
        "digest": "debian@sha256:" + "f" * 64,
    }
    rows = container_rows(
        [Container(k, (k,), debian, ref, "running") for k, ref in started.items()], tree
    )
    assert {r.name: r.name_now for r in rows} == dict.fromkeys(started, StartedAs.ITS_IMAGE)


def test_a_name_no_image_has_now_is_gone_not_moved() -> None:
    sample = load_sample()
    tree = build_tree(sample.images)
    debian = find(tree, "debian:12")
    assert debian is not None
    (row,) = container_rows([Container("c", ("x",), debian, "mine:old", "exited")], tree)
    assert row.name_now is StartedAs.GONE and row.names_now == ""


def test_references_are_compared_as_the_engine_resolves_them() -> None:
    assert reference_key("busybox") == "busybox:latest"
    assert reference_key("docker.io/library/busybox:1") == "busybox:1"
    assert reference_key("localhost:5000/team/app") == "localhost:5000/team/app:latest"
    assert reference_key("localhost/app:2") == "app:2"  # Podman's local names
    assert reference_key("sha256:" + "a" * 64) is None
    assert reference_key("0123abcd") is None  # a short id
    assert reference_key("app@sha256:" + "b" * 64) is None

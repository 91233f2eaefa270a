"""What `watch` reports: the difference of two listings, each change once, in a fixed order
(a tag moved by a rebuild reads as untagged there, then tagged here)."""

from __future__ import annotations

from itertools import pairwise

from fromscratch.core.engine.changes import ChangeKind, as_record, as_text, changes, listing


def images(*pairs: tuple[str, list[str]]) -> list[dict[str, object]]:
    return [{"Id": i, "RepoTags": tags} for i, tags in pairs]


def container(cid: str, name: str, state: str, image: str = "sha256:a") -> dict[str, object]:
    return {"Id": cid, "Names": [f"/{name}"], "ImageID": image, "State": state}


def test_a_rebuild_moves_the_tag_and_leaves_the_old_image_dangling() -> None:
    before = listing(images(("sha256:a", ["app:1"])), [])
    after = listing(images(("sha256:a", ["<none>:<none>"]), ("sha256:b", ["app:1"])), [])
    got = [(c.kind, c.id, c.tag) for c in changes(before, after)]
    assert got == [
        (ChangeKind.IMAGE_UNTAGGED, "sha256:a", "app:1"),
        (ChangeKind.IMAGE_ADDED, "sha256:b", ""),
    ]


def test_tag_rmi_and_nothing_twice() -> None:
    one = listing(images(("sha256:a", ["a:1"])), [])
    two = listing(images(("sha256:a", ["a:1", "a:2"])), [])
    three = listing([], [])
    assert [(c.kind, c.tag) for c in changes(one, two)] == [(ChangeKind.IMAGE_TAGGED, "a:2")]
    assert changes(two, two) == []
    (gone,) = changes(two, three)
    assert gone.kind == ChangeKind.IMAGE_REMOVED and gone.tags == ("a:1", "a:2")


def test_a_containers_life() -> None:
    states = [
        [],
        [container("c1", "web", "created")],
        [container("c1", "web", "running")],
        [container("c1", "web", "paused")],
        [container("c1", "web", "running")],
        [container("c1", "front", "exited")],
        [],
    ]
    seen = [listing([], s) for s in states]
    kinds = [c.kind for a, b in pairwise(seen) for c in changes(a, b)]
    assert kinds == [
        ChangeKind.CONTAINER_CREATED,
        ChangeKind.CONTAINER_STARTED,
        ChangeKind.CONTAINER_PAUSED,
        ChangeKind.CONTAINER_UNPAUSED,
        ChangeKind.CONTAINER_RENAMED,
        ChangeKind.CONTAINER_STOPPED,
        ChangeKind.CONTAINER_REMOVED,
    ]


def test_a_container_that_came_and_runs_while_nobody_looked() -> None:
    after = listing([], [container("c1", "web", "running")])
    kinds = [c.kind for c in changes(listing([], []), after)]
    assert kinds == [ChangeKind.CONTAINER_CREATED, ChangeKind.CONTAINER_STARTED]


def test_lines() -> None:
    before = listing(images(("sha256:" + "a" * 64, ["a:1"])), [])
    after = listing(
        images(("sha256:" + "a" * 64, ["a:1", "a:2"])), [container("c" * 64, "web", "running")]
    )
    tagged, created, started = changes(before, after)
    record = as_record(tagged, "T")
    assert record == {
        "time": "T",
        "kind": "image-tagged",
        "image": {"id": "sha256:" + "a" * 64, "tags": ["a:1", "a:2"]},
        "tag": "a:2",
    }
    assert as_record(started, "T")["container"] == {
        "id": "c" * 64,
        "name": "web",
        "image": "sha256:a",
    }
    assert as_text(tagged, "T").split() == ["T", "image-tagged", "a" * 12, "a:2"]
    assert as_text(created, "T").split()[:4] == ["T", "container-created", "c" * 12, "web"]


def test_a_listing_of_the_wrong_shape_is_refused_in_one_line() -> None:
    """A proxy or an odd engine answering other shapes: an InputError naming the place (the
    watcher turns it into "unexpected answer to ..."), never a KeyError."""
    import pytest

    from fromscratch.core.formats.parse import InputError

    with pytest.raises(InputError, match=r"/images/json: \[0\] has no image id"):
        listing([{"RepoTags": ["a:1"]}], [])
    with pytest.raises(InputError, match="RepoTags"):
        listing([{"Id": "sha256:a", "RepoTags": "a:1"}], [])
    with pytest.raises(InputError, match=r"/containers/json: \[0\]"):
        listing([], [{"Id": "c1", "Names": "/web"}])
    # Podman's bare hex image ids read as the tree reads them
    (only,) = listing(
        [], [{"Id": "c1", "ImageID": "ab" * 32, "State": "running"}]
    ).containers.values()
    assert only.image_id == "sha256:" + "ab" * 32 and only.name == "c1"

"""One image, one record: ids that name the same image (the containerd store wraps each
BuildKit build in a new index) are merged; different images never are."""

from __future__ import annotations

import dataclasses

from fromscratch.core.formats.identity import one_per_image
from fromscratch.core.formats.inventory import Container, Image, Inventory, SizeBasis
from tests.core.helpers import digest, image, step


def wrapped(base: Image, tag: str, index: str, *, manifest: str = "") -> Image:
    """`base` as the containerd store lists it under `tag`: id = an index digest."""
    return dataclasses.replace(
        base,
        id=digest("index", index),
        tags=(tag,),
        size_basis=SizeBasis.UNPACKED_BLOCKS,
        content_size=1000,
        manifest=manifest,
    )


APP = image("app:1", [digest("l1"), digest("l2")], [step("COPY a /", 5), step("COPY b /", 6)])


def test_the_same_manifest_is_one_image_with_every_tag_and_id() -> None:
    one = wrapped(APP, "app:1", "first", manifest=digest("manifest"))
    two = wrapped(APP, "app:again", "second", manifest=digest("manifest"))
    (merged,) = one_per_image(Inventory(images=(two, one))).images
    kept, other = sorted((one.id, two.id))
    assert merged.id == kept and merged.aliases == (other,)
    assert set(merged.tags) == {"app:1", "app:again"}


def test_without_manifests_the_same_content_is_one_image() -> None:
    """A `docker image inspect` file from the containerd store has no `Manifests`: equal
    layers, history (times included), config and platform make one image."""
    one, two = wrapped(APP, "app:1", "first"), wrapped(APP, "app:again", "second")
    assert len(one_per_image(Inventory(images=(one, two))).images) == 1


def test_different_content_is_never_merged() -> None:
    one = wrapped(APP, "app:1", "first")
    later = dataclasses.replace(
        wrapped(APP, "app:2", "second"),
        history=(step("COPY a /", 5), step("COPY b /", 7)),  # built again, not a cache hit
    )
    env = dataclasses.replace(wrapped(APP, "app:3", "third"), env=("A=1",))
    assert len(one_per_image(Inventory(images=(one, later, env))).images) == 3


def test_graph_driver_ids_are_never_merged() -> None:
    """overlay2 and Podman ids are config digests: two ids are two images, whatever they
    look like."""
    twin = dataclasses.replace(APP, id=digest("other"), tags=("app:twin",))
    assert len(one_per_image(Inventory(images=(APP, twin))).images) == 2


def test_parents_and_containers_follow_the_kept_id() -> None:
    one = wrapped(APP, "app:1", "first", manifest=digest("manifest"))
    two = wrapped(APP, "app:again", "second", manifest=digest("manifest"))
    kept, other = sorted((one.id, two.id))
    child = dataclasses.replace(image("child:1", [*APP.layers, digest("l3")], None), parent=other)
    running = Container("c1", ("web",), other, "app:again", "running")
    inventory = one_per_image(
        Inventory(images=(one, two, child), containers=(running,), contents={other: {"n": 1}})
    )
    by_tag = {i.tags[0]: i for i in inventory.images}
    assert by_tag["child:1"].parent == kept
    assert inventory.containers[0].image_id == kept
    assert dict(inventory.contents) == {kept: {"n": 1}}

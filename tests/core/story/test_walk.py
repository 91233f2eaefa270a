"""The story's walk up the tree: the chain is chosen from the data, and every sentence says
what the records show (sizes, layers, the ENV line that names the runtime)."""

from __future__ import annotations

from dataclasses import replace

from fromscratch.core.formats.inventory import Image
from fromscratch.core.formats.sample import load_sample
from fromscratch.core.graph.lineage import build_tree
from fromscratch.core.story.walk import Role, choose_chain, walk_of
from fromscratch.core.text import format_size
from tests.core.helpers import child_of, digest, image, step


def sized(img: Image, env: tuple[str, ...] = (), created: str = "2026-01-01T00:00:00Z") -> Image:
    """Every layer 1,000,000 bytes, so each figure is known."""
    return replace(
        img,
        env=env,
        created=created,
        layer_sizes=(1_000_000,) * len(img.layers),
        size=1_000_000 * len(img.layers),
    )


def host() -> dict[str, Image]:
    debian = sized(image("debian:12", [digest("deb")], [step("ADD rootfs", 1)]))
    tools = sized(child_of(debian, "buildpack-deps:bookworm", 2))
    python = sized(
        child_of(tools, "python:3.12", 3), env=("PATH=/usr/bin", "PYTHON_VERSION=3.12.8")
    )
    app = sized(
        child_of(python, "shop/web:1", 1),
        env=("PATH=/usr/bin", "PYTHON_VERSION=3.12.8", "APP=1"),
        created="2026-11-30T00:00:00Z",
    )
    older = sized(
        child_of(python, "shop/old:1", 1),
        env=("PATH=/usr/bin", "PYTHON_VERSION=3.12.8"),
        created="2026-10-01T00:00:00Z",
    )
    alpine = sized(image("alpine:3.20", [digest("alp")], [step("ADD alpine", 1)]))
    return {
        "debian": debian,
        "tools": tools,
        "python": python,
        "app": app,
        "older": older,
        "alpine": alpine,
    }


def test_the_walk_goes_from_scratch_through_os_and_runtime_to_the_newest_app() -> None:
    images = host()
    walk = walk_of(build_tree(images.values()))
    assert walk is not None
    assert walk.chain == (
        "scratch",
        images["debian"].id,
        images["tools"].id,
        images["python"].id,
        images["app"].id,
    )
    assert [level.role for level in walk.levels] == [
        Role.SCRATCH,
        Role.SYSTEM,
        Role.MORE,
        Role.RUNTIME,
        Role.APP,
    ]
    added = [level.added for level in walk.levels]
    assert added == [0, 1_000_000, 2_000_000, 3_000_000, 1_000_000]
    assert [level.layers for level in walk.levels] == [0, 1, 2, 3, 1]
    runtime = walk.levels[3].runtime
    assert runtime is not None and (runtime.name, runtime.value) == ("Python", "3.12.8")
    texts = [step.text for step in walk.steps]
    assert "Debian 12 user space" in walk.steps[1].title
    assert "1.0 MB in 1 layer" in texts[1]
    assert "PYTHON_VERSION=3.12.8" in texts[3] and "3.0 MB in 3 layers" in texts[3]
    assert "shop/web:1 adds 1.0 MB in 1 layer" in texts[4]
    assert format_size(6_000_000) in texts[4]  # what it inherits: 7 MB minus its own
    assert walk.lit(walk.steps[2]) == set(walk.chain[:3])


def test_with_no_app_on_the_runtime_the_last_step_says_so() -> None:
    images = host()
    del images["app"], images["older"]
    walk = walk_of(build_tree(images.values()))
    assert walk is not None and walk.levels[-1].role == Role.RUNTIME
    last = walk.steps[-1]
    assert last.key == "tree-yours" and "No image here stands on python:3.12" in last.text
    assert format_size(6_000_000) in last.text


def test_a_busybox_base_is_not_called_an_operating_system() -> None:
    busybox = sized(image("busybox:latest", [digest("bb")], [step("ADD busybox", 1)]))
    walk = walk_of(build_tree([busybox]))
    assert walk is not None
    (_, base) = walk.steps
    assert "operating system's user space" not in base.text
    assert "BusyBox" in base.title


def test_no_runtime_walks_the_deepest_tagged_chain() -> None:
    images = host()
    plain = [images["debian"], images["tools"], images["alpine"]]
    assert choose_chain(build_tree(plain)) == ["scratch", images["debian"].id, images["tools"].id]


def test_nothing_on_scratch_no_walk() -> None:
    assert walk_of(build_tree([])) is None


def test_the_sample_walk_is_told_from_its_own_records() -> None:
    inventory = load_sample()
    tree = build_tree(inventory.images)
    walk = walk_of(tree)
    assert walk is not None
    for level in walk.levels[1:]:
        own = sum(tree.nodes[n]["own_size"] or 0 for n in level.nodes)
        assert level.added == own
    for step_, level in zip(walk.steps, walk.levels, strict=False):
        if level.role != Role.SCRATCH:
            assert format_size(level.added) in step_.text


def test_a_base_of_unknown_name_is_not_called_an_operating_system() -> None:
    base = sized(image("acme/base:1", [digest("acme")], [step("ADD rootfs", 1)]))
    app = sized(child_of(base, "acme/app:1", 1))
    walk = walk_of(build_tree([base, app]))
    assert walk is not None
    text = walk.steps[1].text
    assert "operating system" not in text and "no kernel runs from them" in text


def test_a_known_distribution_is_named() -> None:
    images = host()
    walk = walk_of(build_tree(images.values()))
    assert walk is not None
    assert "the files of Debian 12's user space, without its kernel" in walk.steps[1].text


def test_without_a_runtime_the_top_is_not_called_an_app() -> None:
    images = host()
    plain = [images["debian"], images["tools"]]
    walk = walk_of(build_tree(plain))
    assert walk is not None
    last = walk.steps[-1]
    assert "the image on top" in last.title and "app" not in last.text
    assert all("tools and libraries" not in step.text for step in walk.steps)


def test_a_walk_goes_up_to_the_image_asked_for() -> None:
    from fromscratch.core.formats.sample import load_sample
    from fromscratch.core.graph.lineage import build_tree
    from fromscratch.core.graph.tree import ancestry, find
    from fromscratch.core.story.walk import walk_of

    tree = build_tree(load_sample().images)
    top = find(tree, "python:3-slim-bookworm")
    assert top is not None
    walk = walk_of(tree, top)
    assert walk is not None and list(walk.chain) == ancestry(tree, top)[::-1]
    assert walk_of(tree, "scratch") == walk_of(tree)  # not an image: the data's own chain

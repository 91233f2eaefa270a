"""The story is data: every step has text and a valid scene, in the narrative's order."""

from __future__ import annotations

from fromscratch.core.formats.inventory import Image
from fromscratch.core.formats.sample import load_sample
from fromscratch.core.graph.lineage import build_tree
from fromscratch.core.story.picture import picture_of, userspace_of
from fromscratch.core.story.steps import STORY, Highlight, Layout, TreeAction, step_index


def test_every_step_has_text_and_a_valid_scene() -> None:
    for step in STORY:
        assert step.title and len(step.text.split()) >= 12
        assert isinstance(step.state.layout, Layout)
        assert all(isinstance(h, Highlight) for h in step.state.highlight)
        assert isinstance(step.state.tree_action, TreeAction)
        assert 1 <= step.state.boxes <= 8
    assert len({s.key for s in STORY}) == len(STORY)


def test_order_follows_the_blockers_path() -> None:
    assert [s.key for s in STORY] == [
        "question",
        "vm",
        "container",
        "scale-up",
        "kernel-user",
        "from-ubuntu",
        "scratch",
        "your-images",
    ]
    assert "FROM ubuntu" in STORY[0].title
    assert STORY[step_index("vm")].state.layout == "vms"
    assert all(s.state.layout == "containers" for s in STORY[step_index("container") :])
    # scaling up adds containers, never kernels: the layout keeps one kernel
    assert STORY[step_index("scale-up")].state.boxes > STORY[step_index("container")].state.boxes
    assert STORY[step_index("kernel-user")].state.syscall
    assert STORY[step_index("scratch")].state.tree_action == "scratch"


def test_userspace_names() -> None:
    assert userspace_of("debian:bookworm", 1) == "Debian 12 user space"
    assert userspace_of("debian:12", 1) == "Debian 12 user space"
    assert userspace_of("ubuntu:24.04", 1) == "Ubuntu 24.04 user space"
    assert userspace_of("alpine:3.24", 1) == "Alpine Linux 3.24 user space"
    assert userspace_of("hello-world:latest", 1).startswith("no user space")
    assert userspace_of("busybox:latest", 1).startswith("BusyBox")
    assert userspace_of("myorg/thing:2", 3) == "myorg/thing:2 user space"


def test_stage_from_the_sample_shows_varied_bases_and_no_live_kernel(
    official_images: list[Image],
) -> None:
    inventory = load_sample()
    tree = build_tree(inventory.images)
    scene = picture_of(inventory, tree, live=False)
    assert scene.recorded and scene.kernel == ""  # the sample records no kernel
    spaces = [b.userspace for b in scene.boxes]
    assert len(scene.boxes) == 6 and len(set(spaces)) >= 4
    assert "Debian 12 user space" in spaces
    for box in scene.boxes:
        assert tree.nodes[box.base]["tags"]
        assert "scratch" in tree.pred[box.base]


def test_lowest_local_image_skips_inferred_bases() -> None:
    from fromscratch.core.story.picture import lowest_image
    from tests.core.helpers import child_of, digest, image, step

    debian = image("debian:12", [digest("deb")], [step("RUN debian.sh", 1)])
    a, b = child_of(debian, "a:1", 2), child_of(debian, "b:1", 1)
    tree = build_tree([a, b])
    assert lowest_image(tree, a.id) == a.id  # its base is inferred, not local
    full = build_tree([debian, a, b])
    assert lowest_image(full, a.id) == debian.id
    assert lowest_image(full, "scratch") == "scratch"


def test_os_release_from_gathered_contents_names_the_user_space(tmp_path: object) -> None:
    from dataclasses import replace
    from pathlib import Path

    from fromscratch.core.evidence.contents import Contents
    from fromscratch.core.formats.snapshot import load, save

    inventory = load_sample()
    tree = build_tree(inventory.images)
    debian = next(n for n, a in tree.nodes(data=True) if "debian:12" in a["tags"])
    found = Contents(
        debian,
        (("usr", 100),),
        10,
        ("apt (Debian/Ubuntu)",),
        os_release="Debian GNU/Linux 12 (bookworm)",
        executables=648,  # counts a snapshot once dropped (its schema lacked them)
        libraries=540,
        configs=7,
    )
    with_contents = replace(inventory, contents={debian: found.to_json()})
    path = save(with_contents, Path(str(tmp_path)) / "s.json")
    reopened = load(path)
    assert Contents.from_json(dict(reopened.contents[debian])) == found  # kept in snapshots
    spaces = [
        b.userspace for b in picture_of(reopened, build_tree(reopened.images), live=False).boxes
    ]
    assert "Debian GNU/Linux 12 (bookworm) user space" in spaces


def test_a_box_on_an_inferred_base_is_named_after_a_local_image() -> None:
    """An inferred base's label is the build step that made it; a picture needs a name."""
    from tests.core.helpers import child_of, digest, image, step

    debian = image("debian:12", [digest("deb")], [step("RUN debian.sh", 1)])
    a, b = child_of(debian, "a:1", 2), child_of(debian, "b:1", 1)
    tree = build_tree([a, b])  # debian itself is not local: an inferred base holds the pair
    virtual = next(n for n, attrs in tree.nodes(data=True) if attrs["kind"] == "virtual")
    inventory = load_sample()
    from dataclasses import replace

    boxes = picture_of(replace(inventory, images=(a, b), containers=()), tree, live=False).boxes
    assert {box.base for box in boxes} == {virtual}  # still pointing into the tree there
    assert sorted(box.userspace for box in boxes) == ["a:1 user space", "b:1 user space"]
    assert not any("RUN" in box.userspace for box in boxes)


def test_what_a_user_space_holds_comes_from_its_files_or_says_typically() -> None:
    """A busybox-only base must not be said to hold /lib /etc /usr and apt: with its files
    summarised the box says what they are; without, it says what is typical, as typical."""
    from dataclasses import replace

    from fromscratch.core.evidence.contents import Contents

    inventory = load_sample()
    tree = build_tree(inventory.images)
    boxes = picture_of(inventory, tree, live=False).boxes
    assert boxes and all(b.holds.startswith("typically ") for b in boxes)
    first = boxes[0]
    busybox_only = Contents(first.base, (("bin", 1_000_000),), 1, ())
    known = replace(inventory, contents={first.base: busybox_only.to_json()})
    (holds,) = {b.holds for b in picture_of(known, tree, live=False).boxes if b.base == first.base}
    assert holds == "/bin 1.0 MB · no kernel"
    debian = Contents(
        first.base,
        (("usr", 9), ("var", 5), ("etc", 1), ("opt", 1)),
        99,
        ("apt (Debian/Ubuntu)",),
        executables=1200,
        libraries=1,
    )
    known = replace(inventory, contents={first.base: debian.to_json()})
    (holds,) = {b.holds for b in picture_of(known, tree, live=False).boxes if b.base == first.base}
    assert holds == (
        "/usr 9 B, /var 5 B, /etc 1 B · 1,200 programs, 1 library · apt (Debian/Ubuntu) · no kernel"
    )


def test_what_an_image_says_of_itself_reaches_the_picture_escaped() -> None:
    """os-release words and folder names are the image's data: a bidi override or a newline
    is written out in the story's boxes, never acted on."""
    from dataclasses import replace

    from fromscratch.core.layers.summary import Contents

    inventory = load_sample()
    tree = build_tree(inventory.images)
    base = picture_of(inventory, tree, live=False).boxes[0].base
    found = Contents(base, (("us\nr", 9),), 1, (), os_release="Evil\u202eOS")
    picture = picture_of(replace(inventory, contents={base: found.to_json()}), tree, live=False)
    box = next(b for b in picture.boxes if b.base == base)
    assert box.userspace == "Evil\\u202eOS user space"
    assert box.holds.startswith("/us\\x0ar 9 B")

"""Inferred bases hold what every image on them shares: their layers' steps and the metadata
steps after them (a base's LABEL and CMD are never an image's own); one that a hidden local
build step holds says so, instead of "not local"."""

from __future__ import annotations

from fromscratch.core.graph.details import OWN, step_rows
from fromscratch.core.graph.lineage import build_tree
from fromscratch.core.graph.records import NodeKind
from fromscratch.core.graph.tree import Tree
from tests.core.helpers import digest, image, step

BASE_STEPS = [
    step("COPY busybox /bin/", 1),
    step("RUN busybox --install -s /bin", 1),
    step("LABEL org.opencontainers.image.title=mybase", 1, empty=True),
    step('CMD ["/bin/sh"]', 1, empty=True),
]
BASE_LAYERS = [digest("busybox"), digest("links")]


def on_base(tag: str, own: list[str]) -> object:
    steps = [*BASE_STEPS, *(step(s, 2, empty=s.startswith(("ENV", "CMD"))) for s in own)]
    layers = [*BASE_LAYERS, *(digest(tag, s) for s in own if not s.startswith(("ENV", "CMD")))]
    return image(tag, layers, steps)


def the_base(tree: Tree) -> str:
    (base,) = (n for n in tree if tree.nodes[n]["kind"] == NodeKind.VIRTUAL)
    return base


def test_a_bases_metadata_steps_are_inherited_not_own() -> None:
    """A `docker save` of myweb and myapi without mybase: mybase's LABEL and CMD were "own"."""
    web = on_base("myweb:1", ["RUN echo hello > /index.html", 'CMD ["httpd"]'])
    api = on_base("myapi:1", ["ENV APP_VERSION=3", "RUN mkdir /app"])
    tree = build_tree([web, api])  # type: ignore[list-item]
    base = the_base(tree)
    assert tree.nodes[base]["steps"] == 4
    for node in (web.id, api.id):  # type: ignore[attr-defined]
        rows = step_rows(tree, node)
        assert [r.owner for r in rows[:4]] == [base] * 4
        assert all(r.owner == OWN for r in rows[4:])


def test_metadata_steps_only_some_images_share_are_theirs() -> None:
    web = on_base("myweb:1", ["RUN echo hello > /index.html"])
    steps = [*BASE_STEPS[:2], step("ENV MODE=debug", 1, empty=True), step("RUN make", 2)]
    api = image("myapi:1", [*BASE_LAYERS, digest("make")], steps)
    tree = build_tree([web, api])
    base = the_base(tree)
    assert tree.nodes[base]["steps"] == 2  # through the shared layers' steps, no further
    assert [r.owner for r in step_rows(tree, api.id)] == [base, base, OWN, OWN]


def test_a_base_a_hidden_build_step_holds_names_it() -> None:
    """The classic builder keeps each step as an untagged image, the Parent of the next: the
    fork myweb:1.0 and myweb:latest share is one of them, local but hidden."""
    base = image("mybase:1", BASE_LAYERS, BASE_STEPS)
    shared = [*BASE_STEPS, step("RUN echo '<h1>hello</h1>' > /index.html", 3)]
    shared_layers = [*BASE_LAYERS, digest("hello")]
    fork = image(None, shared_layers, shared, parent=base.id)
    one = image(
        "myweb:1.0", [*shared_layers, digest("one")], [*shared, step("COPY one", 4)], parent=fork.id
    )
    two = image(
        "myweb:latest",
        [*shared_layers, digest("two")],
        [*shared, step("COPY two", 5)],
        parent=fork.id,
    )
    tree = build_tree([base, fork, one, two])
    node = the_base(tree)
    assert tree.nodes[node]["local_id"] == fork.id
    assert list(tree.predecessors(node)) == [base.id]
    shown = build_tree([base, fork, one, two], show_intermediates=True)
    assert fork.id in shown and shown.nodes[fork.id]["intermediate"]
    assert not any(shown.nodes[n]["kind"] == NodeKind.VIRTUAL for n in shown)


def test_every_place_says_what_a_hidden_build_step_is() -> None:
    """The card, the text tree, `df` and the dock: "hidden build step", never "not local"."""
    from fromscratch.core.disk.report import render_text
    from fromscratch.core.disk.usage import disk_usage
    from fromscratch.core.graph.details import facts
    from fromscratch.core.graph.export import to_json_data, to_text

    base = image("mybase:1", BASE_LAYERS, BASE_STEPS)
    shared = [*BASE_STEPS, step("RUN echo hello", 3)]
    layers = [*BASE_LAYERS, digest("hello")]
    fork = image(None, layers, shared, parent=base.id)
    kids = [
        image(f"myweb:{n}", [*layers, digest(n)], [*shared, step(f"COPY {n}", 4)], parent=fork.id)
        for n in ("1.0", "latest")
    ]
    tree = build_tree([base, fork, *kids])
    node = the_base(tree)
    assert "[hidden build step] RUN echo hello" in to_text(tree)
    assert "[hidden build step] RUN echo hello" in render_text(disk_usage(tree))
    said = dict(facts(tree, node))
    assert "build step the classic builder kept" in said["image"] and said["id"] == fork.id
    record = next(n for n in to_json_data(tree)["nodes"] if n["id"] == node)
    assert record["local_id"] == fork.id

"""The overview of a wide tree keeps the generations that fit side by side."""

from __future__ import annotations

from fromscratch.core.graph.filters import TreeFilter, apply
from fromscratch.core.graph.lineage import build_tree
from fromscratch.core.graph.overview import columns_by_depth, overview_collapse
from tests.core.helpers import child_of, digest, image, step


def wide() -> tuple:  # type: ignore[type-arg]
    """Two bases; 30 apps on the first, each with 2 builds on it; one app on the second."""
    one = image("one:1", [digest("one")], [step("ADD one", 1)])
    two = image("two:1", [digest("two")], [step("ADD two", 1)])
    images = [one, two, child_of(two, "solo:1", 1)]
    apps = []
    for n in range(30):
        app = child_of(one, f"app{n}:1", 1)
        apps.append(app)
        images += [app, child_of(app, f"app{n}:2", 1), child_of(app, f"app{n}:3", 1)]
    return build_tree(images), one, two, apps


def test_columns_count_each_cut() -> None:
    graph, *_ = wide()
    # scratch | one, two | 30 apps + solo | 60 builds + solo (a leaf above)
    assert columns_by_depth(graph) == [1, 2, 31, 61]


def test_the_overview_cuts_at_the_deepest_generation_that_fits() -> None:
    graph, one, two, apps = wide()
    assert overview_collapse(graph, 61) == frozenset()  # it all fits
    cut = overview_collapse(graph, 40)  # the apps fit, their builds do not
    assert cut == {app.id for app in apps}
    shown = apply(graph, TreeFilter(collapsed=cut))
    assert sum(attrs["hidden"] for attrs in shown.nodes.values()) == 60
    assert overview_collapse(graph, 10) == {one.id, two.id}  # only the bases fit
    assert overview_collapse(graph, 1) == frozenset()  # nothing sensible to collapse to
    assert overview_collapse(graph, 10, beyond=61) == frozenset()  # legible enough whole
    assert overview_collapse(graph, 10, beyond=60) == {one.id, two.id}

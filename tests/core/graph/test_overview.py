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


def test_revealing_an_image_in_a_folded_base_keeps_its_cousins_folded() -> None:
    """Searching forest-1-5-0 in the overview opened forest-1 with all 110 images on it:
    fitted, a 3 px strip. Only the path opens; the other branches stay folded cards."""
    from fromscratch.core.graph.filters import revealing

    graph, one, two, apps = wide()
    overview = TreeFilter(collapsed=overview_collapse(graph, 10))
    target = next(n for n in graph if graph.nodes[n]["label"] == "app7:2")
    shown = apply(graph, revealing(graph, overview, target))
    assert target in shown and two.id in shown.nodes
    assert all(app.id in shown for app in apps)  # the path's generation shows ...
    builds = [n for n in shown if graph.nodes[n]["label"].endswith((":2", ":3"))]
    assert sorted(graph.nodes[n]["label"] for n in builds) == ["app7:2", "app7:3"]  # ... folded
    assert sum(attrs["hidden"] for attrs in shown.nodes.values()) == 58 + 1  # and two's solo
    # a folded card found by search shows as it is: nothing opens
    again = revealing(graph, overview, one.id)
    assert again.collapsed == overview.collapsed

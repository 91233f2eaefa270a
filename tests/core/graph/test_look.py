"""How nodes look is one table (core.graph.look): every kind has a look, the legend says what
the table draws, and the cards, the rings and the DOT export take it from there."""

from __future__ import annotations

from importlib import resources

from fromscratch.core.graph.look import DANGLING_OPACITY, Line, Role, edge_line, look_of
from fromscratch.core.graph.records import NodeKind


def test_every_kind_has_a_look_and_the_legend_says_it() -> None:
    legend = resources.files("fromscratch.resources").joinpath("help/legend.md").read_text()
    looks = {kind: look_of(kind) for kind in NodeKind}
    assert looks[NodeKind.IMAGE] == look_of(NodeKind.IMAGE, base=False)
    assert not looks[NodeKind.IMAGE].hollow and looks[NodeKind.IMAGE].bar
    # "A dashed, hollow card": an inferred base, a hidden build step
    assert looks[NodeKind.VIRTUAL].line == Line.DASHED and looks[NodeKind.VIRTUAL].hollow
    assert "**A dashed, hollow card" in legend
    # "The dashed box at the bottom": scratch
    assert (
        looks[NodeKind.SCRATCH].line == Line.DASHED and looks[NodeKind.SCRATCH].role == Role.SCRATCH
    )
    assert "**The dashed box at the bottom**: scratch" in legend
    # "A card with a thicker outline, in this colour": a base image
    base = look_of(NodeKind.IMAGE, base=True)
    assert base.width > looks[NodeKind.IMAGE].width and base.role == Role.BASE
    assert "**A card with a thicker outline, in this colour**: a base image" in legend
    # "A faded card": a dangling image
    assert look_of(NodeKind.IMAGE, dangling=True).opacity == DANGLING_OPACITY < 1
    assert "**A faded card**: a dangling image" in legend
    # "A dashed line: a guess"
    assert edge_line(uncertain=True) == Line.DASHED and edge_line(uncertain=False) == Line.SOLID
    assert "**A dashed line**: a guess" in legend


def test_the_dot_export_draws_the_tables_look() -> None:
    from fromscratch.core.graph.export import to_dot
    from fromscratch.core.graph.lineage import build_tree
    from tests.core.helpers import child_of, digest, image, step

    base = image("base:1", [digest("b")], [step("ADD rootfs", 1)])
    loose = child_of(base, "", 1, when=5)  # untagged: dangling
    tree = build_tree([base, loose])
    dot = to_dot(tree)
    lines = {
        n: next(line for line in dot.splitlines() if line.startswith(f'  "{n}"')) for n in tree
    }
    assert "color=gray" in lines[loose.id] and "color=gray" not in lines[base.id]
    assert 'style="rounded,dashed"' in lines["scratch"]

"""The headless CLI: formats, --image, exit codes and one-line errors, and no Qt import."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from fromscratch.core.cli import main
from fromscratch.core.formats.sample import load_sample
from fromscratch.core.formats.snapshot import save


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_text_tree_of_the_sample(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "tree", "--sample")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("scratch")
    assert any(line.startswith("├─ alpine:3.24") for line in lines)
    assert any("│  └─ buildpack-deps:bookworm-curl" in line for line in lines)
    assert sum("─ " in line for line in lines) == 21


def test_json_format_is_documented_shape(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "tree", "--sample", "--format", "json")
    data = json.loads(out)
    assert code == 0 and set(data) == {"nodes", "edges"}
    ids = {n["id"] for n in data["nodes"]}
    assert "scratch" in ids and len(ids) == 22
    root = next(n for n in data["nodes"] if n["id"] == "scratch")
    assert root["kind"] == "scratch" and root["level"] == 0
    for node in data["nodes"]:
        assert {"id", "tags", "kind", "size", "own_size", "x", "level"} <= set(node)
    for edge in data["edges"]:
        assert set(edge) == {"child", "parent", "method", "confidence", "ambiguous"}
        assert edge["parent"] in ids and edge["child"] in ids


def test_image_ancestry_down_to_scratch(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "tree", "--sample", "--image", "python:3-bookworm")
    lines = out.splitlines()
    assert code == 0 and lines[0].startswith("python:3-bookworm") and "scratch" in lines[-1]
    assert len(lines) == 6
    code, out, _ = run(
        capsys, "tree", "--sample", "--image", "node:current-bookworm", "--format", "json"
    )
    assert {n["tags"][0] if n["tags"] else n["id"] for n in json.loads(out)["nodes"]} == {
        "node:current-bookworm",
        "buildpack-deps:bookworm",
        "buildpack-deps:bookworm-scm",
        "buildpack-deps:bookworm-curl",
        "debian:12",
        "scratch",
    }


def test_dot_and_graphml(capsys: pytest.CaptureFixture[str]) -> None:
    _, dot, _ = run(capsys, "tree", "--sample", "--format", "dot")
    assert dot.startswith("digraph lineage {") and dot.count(" -> ") == 21
    _, graphml, _ = run(capsys, "tree", "--sample", "--format", "graphml")
    root = ET.fromstring(graphml)
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    assert len(root.findall(".//g:node", ns)) == 22 and len(root.findall(".//g:edge", ns)) == 21


def test_snapshot_file_source(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = save(load_sample(), tmp_path / "s.json.gz")
    code, out, _ = run(capsys, "tree", "--snapshot", str(path), "--format", "json")
    assert code == 0 and len(json.loads(out)["nodes"]) == 22


def test_errors_are_one_line_with_exit_codes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    code, out, err = run(capsys, "tree", "--snapshot", str(bad))
    assert code == 2 and out == "" and err.count("\n") == 1 and str(bad) in err
    code, _, err = run(capsys, "tree", "--sample", "--image", "nope:1")
    assert code == 2 and "no image 'nope:1'" in err
    code, _, err = run(capsys, "tree", "--host", f"unix://{tmp_path}/none.sock")
    assert code == 1 and "No Docker engine answers" in err and "--sample" in err
    code, _, err = run(capsys, "info", "--host", f"unix://{tmp_path}/none.sock")
    assert code == 1 and err.count("\n") == 1


def test_cli_paths_never_import_qt(tmp_path: Path) -> None:
    probe = (
        "import sys; from fromscratch.__main__ import main; code = main(['tree', '--sample']); "
        "bad = [m for m in sys.modules "
        "if m.startswith(('PySide6', 'pyqtgraph', 'fromscratch.gui.app'))]; "
        "print(bad); raise SystemExit(code)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).parents[2],
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith("[]")


def test_every_command_has_its_own_handler() -> None:
    """A command the parser knows but the dispatch does not must not fall back to another."""
    import argparse

    from fromscratch.core.cli import COMMANDS, HANDLERS, build_parser

    (sub,) = [a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)]
    assert set(sub.choices) == set(COMMANDS) == set(HANDLERS)
    assert len(set(HANDLERS.values())) == len(HANDLERS)

"""`fromscratch df`: the table and the JSON say the same figures, sorted as asked, with the
ids `tree --format json` uses."""

from __future__ import annotations

import json

import pytest

from fromscratch.core import cli


def run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert cli.main(["df", "--sample", *args]) == 0
    return capsys.readouterr().out


def test_json_has_the_documented_shape_and_the_tree_ids(capsys: pytest.CaptureFixture[str]) -> None:
    data = json.loads(run(capsys, "--format", "json"))
    assert set(data) == {"total", "images", "nodes"}
    assert data["total"]["layers_bytes"] < data["total"]["images_bytes"]
    assert set(data["images"][0]) >= {"id", "tags", "size", "shared", "unique"}
    assert set(data["nodes"][0]) == {
        "id",
        "kind",
        "label",
        "subtree_bytes",
        "frees",
        "images",
        "saved",
    }
    assert cli.main(["tree", "--sample", "--format", "json"]) == 0
    tree_ids = {n["id"] for n in json.loads(capsys.readouterr().out)["nodes"]}
    assert {n["id"] for n in data["nodes"]} == tree_ids
    uniques = [i["unique"] for i in data["images"]]
    assert uniques == sorted(uniques, reverse=True)  # --sort frees: images by unique
    frees = [n["frees"] for n in data["nodes"]]
    assert frees == sorted(frees, reverse=True)


def test_sort_by_size(capsys: pytest.CaptureFixture[str]) -> None:
    data = json.loads(run(capsys, "--format", "json", "--sort", "size"))
    sizes = [i["size"] for i in data["images"]]
    assert sizes == sorted(sizes, reverse=True)


def test_the_table_says_the_totals_and_the_bases(capsys: pytest.CaptureFixture[str]) -> None:
    text = run(capsys)
    first = text.splitlines()[0].split()
    assert first == ["IMAGE", "ID", "SIZE", "SHARED", "UNIQUE"]
    python = next(line for line in text.splitlines() if line.startswith("python:3-bookworm "))
    assert python.split()[-2:] == ["36.1", "MB"]  # its unique bytes, the last column
    assert "debian:12" in text.split("BASE", 1)[1]
    assert "Layers on disk: 1.3 GB" in text and "images add up to 2.9 GB" in text


def test_a_snapshot_that_is_not_one_is_refused_in_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: object
) -> None:
    from pathlib import Path

    bad = Path(str(tmp_path)) / "x.json"
    bad.write_text('{"not": "images"}')
    assert cli.main(["df", "--snapshot", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(bad) in err

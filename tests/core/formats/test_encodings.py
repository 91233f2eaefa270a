"""The README's own recipe, `docker image inspect $(docker image ls -q) > images.json`, as the
shells and tools people use write it: every one reads to the same tree."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from fromscratch.core.formats.snapshot import SnapshotError, load

SAMPLE = Path(__file__).parents[2] / "data" / "official-images.inspect.json"


@pytest.fixture(scope="module")
def images() -> list[dict[str, Any]]:
    return json.loads(SAMPLE.read_text())


def ids(path: Path) -> list[str]:
    return [image.id for image in load(path).images]


@pytest.mark.parametrize(
    "write",
    [
        pytest.param(lambda d: b"\xef\xbb\xbf" + json.dumps(d).encode(), id="utf8-bom"),
        pytest.param(  # Windows PowerShell 5.1: `>` writes UTF-16LE with a BOM and CRLF
            lambda d: (
                "\ufeff".encode("utf-16-le")
                + json.dumps(d, indent=4).replace("\n", "\r\n").encode("utf-16-le")
            ),
            id="powershell-utf16le-crlf",
        ),
        pytest.param(lambda d: json.dumps(d).encode("utf-16-be"), id="utf16be-no-bom"),
        pytest.param(  # `docker image inspect ... --format '{{json .}}'`: one object a line
            lambda d: "\n".join(json.dumps(o) for o in d).encode(), id="ndjson"
        ),
        pytest.param(  # `jq '.[]' images.json`: indented objects one after another
            lambda d: "\n".join(json.dumps(o, indent=2) for o in d).encode(), id="jq-stream"
        ),
    ],
)
def test_every_way_the_recipe_is_written_reads_the_same(
    tmp_path: Path, images: list[dict[str, Any]], write: Any
) -> None:
    plain = tmp_path / "plain.json"
    plain.write_text(json.dumps(images))
    other = tmp_path / "other.json"
    other.write_bytes(write(images))
    assert ids(other) == ids(plain)
    assert len(ids(other)) == 21


def test_colour_codes_from_a_terminal_are_named(tmp_path: Path) -> None:
    coloured = tmp_path / "coloured.json"
    coloured.write_bytes(b'\x1b[1;39m[\n  \x1b[1;39m{\x1b[0m\x1b[34;1m"Id"\x1b[0m: "sha256:a"}]')
    with pytest.raises(SnapshotError) as info:
        load(coloured)
    assert str(info.value) == (
        f"{coloured}: holds terminal colour codes (from `jq -C` or a colouring terminal): "
        "write the file again without colour (`jq -M`, or the command alone)"
    )


def test_a_broken_stream_says_where(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"Id": "sha256:a"}\n{"Id": "sha256:b",\n')
    with pytest.raises(SnapshotError, match=r"a stream of objects that breaks at line 3"):
        load(broken)

"""Unpacked layer folders (overlay2) as the reading finds them: walked where this user can
read them, else the image is left to the engine's save stream, never refused for it. (That
the walk equals the stream is proved on real engines: tests/integration/test_engine_layers.)"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from fromscratch.core.engine.endpoint import Endpoint
from fromscratch.core.formats.inventory import Image
from fromscratch.core.layers import unpacked
from fromscratch.core.layers.reading import ArchiveLayers, EngineLayers, _Asked
from fromscratch.core.layers.tarindex import LayerIndex


def _engine_with(tmp_path: Path) -> tuple[Image, Any]:
    lower, upper = tmp_path / "l1" / "diff", tmp_path / "l2" / "diff"
    (lower / "etc").mkdir(parents=True)
    (lower / "etc" / "os-release").write_text("NAME=Tiny\n")
    (upper / "app").mkdir(parents=True)
    (upper / "app" / "run").write_bytes(b"12345")
    layers = ("sha256:" + "1" * 64, "sha256:" + "2" * 64)
    info = {
        "RootFS": {"Layers": list(layers)},
        "GraphDriver": {
            "Name": "overlay2",
            "Data": {"LowerDir": str(lower), "UpperDir": str(upper)},
        },
    }

    class Client:
        def inspect_image(self, _image_id: str) -> dict[str, Any]:
            return info

    return Image("sha256:" + "a" * 64, ("tiny:1",), layers, None), Client()


def _asked(kept: list[LayerIndex]) -> _Asked:
    return _Asked(lambda _d: False, None, kept.append, (), set())


def test_readable_folders_are_walked(tmp_path: Path) -> None:
    image, client = _engine_with(tmp_path)
    source = EngineLayers(Endpoint("unix:///nowhere.sock", "test"), root=Path("/"))
    kept: list[LayerIndex] = []
    assert source._walk(client, [image], _asked(kept), {}) == []
    assert [k.diff_id for k in kept] == list(image.layers) and source.walked == 2
    assert [e.path for e in kept[1].entries] == ["app", "app/run"] and kept[1].content == 5
    assert dict(kept[0].texts) == {"etc/os-release": "NAME=Tiny\n"}


def test_a_folder_this_user_cannot_read_leaves_the_image_to_the_stream(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    image, client = _engine_with(tmp_path)
    scandir = os.scandir

    def refused(path: Any) -> Any:
        if str(path).endswith("app"):
            raise PermissionError(13, "Permission denied", str(path))
        return scandir(path)

    monkeypatch.setattr(unpacked.os, "scandir", refused)
    source = EngineLayers(Endpoint("unix:///nowhere.sock", "test"), root=Path("/"))
    assert source._walk(client, [image], _asked([]), {}) == [image]


def test_only_a_source_here_is_read_unasked(tmp_path: Path) -> None:
    assert EngineLayers(Endpoint("unix:///nowhere.sock", "test")).local
    remote = EngineLayers(Endpoint("tcp://192.0.2.1:2375", "test"))
    assert not remote.local and not remote.unpacked
    assert ArchiveLayers(tmp_path / "save.tar").local

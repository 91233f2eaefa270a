"""Snapshots: round trips, plain inspect files, redaction, and bad files."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path
from typing import Any

import pytest

from fromscratch.core.formats import snapshot
from fromscratch.core.formats.inventory import Inventory
from fromscratch.core.formats.redact import REDACTED
from fromscratch.core.formats.sample import load_sample
from fromscratch.core.formats.snapshot import SnapshotError, load, save
from fromscratch.core.graph.lineage import build


def edges(inventory: Inventory) -> set[tuple[str, str]]:
    return set(build(inventory.images).edges)


@pytest.mark.parametrize("name", ["snap.json", "snap.json.gz"])
def test_round_trip_keeps_lineage_and_facts(
    tmp_path: Path, recorded_gateway: Any, name: str
) -> None:
    live = recorded_gateway.load()
    path = save(live, tmp_path / name, redact_secrets=False)
    again = load(path)
    assert edges(again) == edges(live)
    assert again.engine == live.engine and again.engine.kernel_version
    assert again.images == live.images
    assert again.source == live.source and again.captured == live.captured
    if name.endswith(".gz"):
        assert path.read_bytes()[:2] == b"\x1f\x8b"


def test_plain_docker_image_inspect_output_opens(
    tmp_path: Path, official_raw: list[dict[str, Any]]
) -> None:
    file = tmp_path / "inspect.json"
    file.write_text(json.dumps(official_raw))
    inventory = load(file)
    assert len(inventory.images) == 21
    assert edges(inventory) == edges(load_sample())


def test_redaction_hides_env_and_secret_labels_but_keeps_lineage(tmp_path: Path) -> None:
    sample = load_sample()
    first = sample.images[0]
    leaky = first.__class__(
        **{
            **{f: getattr(first, f) for f in first.__dataclass_fields__},
            "env": ("PATH=/usr/bin", "API_TOKEN=hunter2"),
            "labels": {"org.example.db-password": "hunter2", "maintainer": "me"},
        }
    )
    inventory = Inventory(images=(leaky, *sample.images[1:]), source="test")
    path = save(inventory, tmp_path / "s.json")
    text = path.read_text()
    assert "hunter2" not in text
    opened = load(path)
    image = next(i for i in opened.images if i.id == first.id)
    assert image.env == (f"PATH={REDACTED}", f"API_TOKEN={REDACTED}")
    assert image.labels == {"org.example.db-password": REDACTED, "maintainer": "me"}
    assert json.loads(text)["redacted"] is True
    assert edges(opened) == edges(sample)


def test_history_secrets_are_redacted_consistently() -> None:
    from fromscratch.core.formats.redact import redact_text

    line = "/bin/sh -c #(nop)  ENV GITHUB_TOKEN=abc123 PATH=/bin"
    want = f"/bin/sh -c #(nop)  ENV GITHUB_TOKEN={REDACTED} PATH={REDACTED}"
    assert redact_text(line) == want
    assert redact_text(line) == redact_text(line)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"format": "fromscratch-snapshot", "version": 1, "images": [', "truncated JSON"),
        (b"hello", "not valid JSON"),
        (b"\xff\xfe\x00", "not"),
        (b'{"format": "fromscratch-snapshot", "version": 99, "images": []}', "version: 99"),
        (b'{"format": "fromscratch-snapshot", "version": "1", "images": []}', "version"),
        (b'{"format": "fromscratch-snapshot", "version": 1, "images": {}}', "images: expected"),
        (
            b'{"format": "fromscratch-snapshot", "version": 1, "images": [{"inspect": '
            b'{"Id": "sha256:a", "RootFS": {"Layers": "x"}}}]}',
            "images[0].RootFS.Layers",
        ),
        (b'[{"Id": "sha256:a", "RepoTags": 5}]', "[0].RepoTags"),
        (b'{"some": "thing"}', "this is neither a fromscratch snapshot nor"),
        (b"42", "expected a snapshot object"),
        (gzip.compress(b"[]")[:-6], "truncated"),
    ],
)
def test_bad_files_give_one_line_naming_file_and_field(
    tmp_path: Path, content: bytes, message: str
) -> None:
    file = tmp_path / "bad.json"
    file.write_bytes(content)
    with pytest.raises(SnapshotError) as info:
        load(file)
    text = str(info.value)
    assert text.startswith(str(file)) and message in text and "\n" not in text


def test_huge_and_missing_files_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(snapshot, "MAX_BYTES", 100)
    big = tmp_path / "big.json"
    big.write_text("[" + " " * 200 + "]")
    with pytest.raises(SnapshotError, match="larger than"):
        load(big)
    bomb = tmp_path / "bomb.json.gz"
    bomb.write_bytes(gzip.compress(b"[" + b" " * 1000 + b"]"))
    with pytest.raises(SnapshotError, match="inflates past"):
        load(bomb)
    with pytest.raises(SnapshotError, match="no such file"):
        load(tmp_path / "nope.json")
    with pytest.raises(SnapshotError, match="is a folder"):
        load(tmp_path)


def test_failed_save_leaves_nothing_half_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "keep.json"
    target.write_text("old content")

    def boom(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", boom)
    with pytest.raises(SnapshotError, match="No space left"):
        save(load_sample(), target)
    assert target.read_text() == "old content"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.json"]


@pytest.mark.parametrize(
    ("line", "secret"),
    [
        ("ENV DATABASE_URL=postgres://admin:hunter2@db:5432/app", "hunter2"),
        ("/bin/sh -c #(nop)  ENV GITHUB_PAT=ghp_0123456789abcdef", "ghp_0123456789abcdef"),
        ("/bin/sh -c #(nop)  ENV SECRET_KEY=two words", "words"),  # the builder drops quotes
        ("ARG PIP_INDEX_URL=https://user:s3cr3t@pypi.example/simple", "s3cr3t"),
        (
            "RUN |1 PIP_INDEX_URL=https://user:s3cr3t@pypi.example/simple /bin/sh -c pip i x",
            "s3cr3t",
        ),
        ("/bin/sh -c pip install --index-url https://bob:s3cr3t@host/simple x", "s3cr3t"),
        ('RUN /bin/sh -c curl -H "Authorization: Bearer eyJhbGciOiJI" https://x', "eyJhbGciOiJI"),
        ("LABEL aws_key=AKIAIOSFODNN7EXAMPLE", "AKIAIOSFODNN7EXAMPLE"),
    ],
)
def test_history_values_that_may_be_secret_are_redacted(line: str, secret: str) -> None:
    from fromscratch.core.formats.redact import redact_text

    assert secret not in redact_text(line)
    assert REDACTED in redact_text(line)


def test_a_saved_snapshot_holds_none_of_the_planted_secrets(tmp_path: Path) -> None:
    from dataclasses import replace

    from tests.core.helpers import child_of, digest, image, step

    planted = ("hunter2", "ghp_0123456789abcdef", "s3cr3t", "AKIAIOSFODNN7EXAMPLE", "pg-pass")
    base = image("base:1", [digest("b")], [step("ENV DATABASE_URL=postgres://a:hunter2@db")])
    app = replace(
        child_of(base, "app:1", 1),
        env=("GITHUB_PAT=ghp_0123456789abcdef",),
        labels={"aws_key": "AKIAIOSFODNN7EXAMPLE", "maintainer": "me"},
        cmd=("serve", "--db-password=pg-pass"),
        entrypoint=("/bin/app", "--index=https://u:s3cr3t@host/x"),
    )
    path = save(Inventory((base, app), source="test"), tmp_path / "shared.json")
    text = path.read_text()
    assert [s for s in planted if s in text] == []
    reopened = load(path)
    assert {i.id for i in reopened.images} == {base.id, app.id}
    assert edges(reopened) == edges(Inventory((base, app), source="test"))  # lineage survives


def test_the_cache_folder_is_the_users_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fromscratch.core.paths import user_cache_dir

    monkeypatch.setenv("FROMSCRATCH_CACHE_DIR", str(tmp_path / "cache"))
    folder = user_cache_dir()
    assert folder.is_dir() and folder.stat().st_mode & 0o777 == 0o700


@pytest.mark.parametrize(
    ("summary", "said"),
    [
        (
            {"dirs": [["bin", "2 MB"]], "files": 1, "package_managers": []},
            "dirs[0][1]: expected int",
        ),
        ({"dirs": [], "files": 1, "package_managers": "apk"}, "package_managers: expected array"),
        ({"dirs": [], "files": 1}, "package_managers: missing"),
    ],
)
def test_a_contents_summary_of_the_wrong_shape_is_refused_with_the_file(
    tmp_path: Path, summary: dict[str, Any], said: str
) -> None:
    """It used to open, and the window failed later with a bare Python message."""
    path = save(load_sample(), tmp_path / "s.json")
    document = json.loads(path.read_text())
    image_id = document["images"][0]["inspect"]["Id"]
    document["contents"] = {image_id: {"image_id": image_id, **summary}}
    path.write_text(json.dumps(document))
    with pytest.raises(SnapshotError) as info:
        load(path)
    message = str(info.value)
    assert message.startswith(f"{path}: contents") and said in message, message
    assert "\n" not in message

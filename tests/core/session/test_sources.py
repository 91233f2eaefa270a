"""What opens by default: engine, else the last live snapshot, else the sample, with a notice."""

from __future__ import annotations

from pathlib import Path

import pytest

from fromscratch.core.formats.sample import SAMPLE_SOURCE, load_sample
from fromscratch.core.formats.snapshot import save
from fromscratch.core.session.last_live_source import last_live_path
from fromscratch.core.session.opening import open_default


@pytest.fixture(autouse=True)
def offline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path}/no-engine.sock")
    monkeypatch.setenv("FROMSCRATCH_CACHE_DIR", str(tmp_path / "cache"))


def test_no_engine_and_no_snapshot_opens_the_sample() -> None:
    opened = open_default()
    assert opened.kind == "sample" and opened.inventory.source == SAMPLE_SOURCE
    assert "No Docker engine answers" in opened.notice
    assert opened.describe().startswith("sample data")


def test_last_live_snapshot_wins_over_the_sample(recorded_gateway: object) -> None:
    live = recorded_gateway.load()  # type: ignore[attr-defined]
    save(live, last_live_path(), redact_secrets=False)
    opened = open_default()
    assert opened.kind == "last-live" and len(opened.inventory.images) == len(live.images)
    assert opened.describe().startswith(f"last live snapshot {last_live_path()} of ")


def test_a_damaged_last_snapshot_falls_back_to_the_sample() -> None:
    last_live_path().parent.mkdir(parents=True, exist_ok=True)
    last_live_path().write_bytes(b"\x1f\x8b broken")
    assert open_default().kind == "sample"
    assert len(load_sample().images) == 21

"""The live-load path on recorded engine JSON: progress, cache, vanished images, failures."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from fromscratch.core.engine.cache import InspectCache
from fromscratch.core.engine.endpoint import Endpoint
from fromscratch.core.engine.failures import EngineState, EngineUnavailable
from fromscratch.core.engine.gateway import EngineGateway, RecordedTransport
from fromscratch.core.task import Cancelled, TaskContext

ENDPOINT = Endpoint("unix:///recorded.sock", "test")


def test_load_reports_progress_and_everything(zoo_recorded: dict[str, Any]) -> None:
    gateway = EngineGateway(ENDPOINT, transport=RecordedTransport(zoo_recorded))
    seen: list[tuple[int, int]] = []
    inventory = gateway.load(TaskContext(lambda d, t: seen.append((d, t))))
    total = len(zoo_recorded["/images/json?all=1"])
    assert seen[-1] == (total, total) and len(seen) == total
    assert len(inventory.images) == total
    assert inventory.engine.kernel_version and inventory.engine.storage_driver == "overlay2"
    assert inventory.source == ENDPOINT.describe()


def test_warm_load_costs_one_list_call(zoo_recorded: dict[str, Any], tmp_path: Path) -> None:
    cache = InspectCache(tmp_path)
    cold = RecordedTransport(zoo_recorded)
    first = EngineGateway(ENDPOINT, transport=cold, cache=cache).load()
    warm = RecordedTransport(zoo_recorded)
    second = EngineGateway(ENDPOINT, transport=warm, cache=cache).load()
    assert second.images == first.images
    image_calls = [c for c in warm.calls if c.startswith("/images/sha256")]
    assert image_calls == []
    assert [c for c in warm.calls if c.startswith("/images")] == ["/images/json?all=1"]
    assert sum(c.startswith("/images/sha256") for c in cold.calls) == 2 * len(first.images)


def test_cached_entries_take_current_tags_from_the_list(
    zoo_recorded: dict[str, Any], tmp_path: Path
) -> None:
    cache = InspectCache(tmp_path)
    EngineGateway(ENDPOINT, transport=RecordedTransport(zoo_recorded), cache=cache).load()
    moved = dict(zoo_recorded)
    listing = [dict(s) for s in zoo_recorded["/images/json?all=1"]]
    listing[0]["RepoTags"] = ["retagged:now"]
    moved["/images/json?all=1"] = listing
    again = EngineGateway(ENDPOINT, transport=RecordedTransport(moved), cache=cache).load()
    assert again.images[0].tags == ("retagged:now",)


def test_damaged_cache_entry_is_refetched(zoo_recorded: dict[str, Any], tmp_path: Path) -> None:
    cache = InspectCache(tmp_path)
    EngineGateway(ENDPOINT, transport=RecordedTransport(zoo_recorded), cache=cache).load()
    victim = next((tmp_path / "images").rglob("*.json"))
    victim.write_text("{torn")
    transport = RecordedTransport(zoo_recorded)
    EngineGateway(ENDPOINT, transport=transport, cache=cache).load()
    assert sum(c.startswith("/images/sha256") for c in transport.calls) == 2


def test_image_removed_between_list_and_inspect_is_skipped(zoo_recorded: dict[str, Any]) -> None:
    answers = dict(zoo_recorded)
    gone = zoo_recorded["/images/json?all=1"][0]["Id"]
    del answers[f"/images/{gone}/json"]
    inventory = EngineGateway(ENDPOINT, transport=RecordedTransport(answers)).load()
    assert gone not in {i.id for i in inventory.images}
    assert len(inventory.images) == len(zoo_recorded["/images/json?all=1"]) - 1


def test_connection_lost_mid_load_raises_a_state(zoo_recorded: dict[str, Any]) -> None:
    answers = dict(zoo_recorded)
    victim = zoo_recorded["/images/json?all=1"][3]["Id"]
    answers[f"/images/{victim}/history"] = EngineUnavailable(
        EngineState.TRANSIENT, ENDPOINT.url, "reset"
    )
    with pytest.raises(EngineUnavailable) as info:
        EngineGateway(ENDPOINT, transport=RecordedTransport(answers)).load()
    assert info.value.state is EngineState.TRANSIENT


def test_cancel_stops_the_load(zoo_recorded: dict[str, Any]) -> None:
    cancel = threading.Event()
    gateway = EngineGateway(ENDPOINT, transport=RecordedTransport(zoo_recorded))
    with pytest.raises(Cancelled):
        gateway.load(TaskContext(lambda d, t: cancel.set(), cancel))

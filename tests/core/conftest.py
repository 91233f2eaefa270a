"""Fixtures for core tests: no Qt, no daemon; recorded engine JSON and the project's test data."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from fromscratch.core.engine.endpoint import Endpoint
from fromscratch.core.engine.gateway import EngineGateway, RecordedTransport
from fromscratch.core.formats.inventory import Image
from fromscratch.core.formats.parse import parse_image

DATA = Path(__file__).parents[1] / "data"
"""The project's own test data (tests/data): nothing is read from outside the checkout."""


@pytest.fixture(scope="session")
def official_raw() -> list[dict[str, Any]]:
    return json.loads((DATA / "official-images.inspect.json").read_text())


@pytest.fixture(scope="session")
def official_images(official_raw: list[dict[str, Any]]) -> list[Image]:
    return [parse_image(obj, None, f"[{i}]") for i, obj in enumerate(official_raw)]


@pytest.fixture(scope="session")
def zoo_recorded() -> dict[str, Any]:
    """Real answers of dockerd 20.10 after tests/integration/scenarios.py built its zoo."""
    return json.loads((DATA / "engine-zoo.recorded.json").read_text())


@pytest.fixture(scope="session")
def zoo_expected() -> dict[str, str]:
    return json.loads((DATA / "engine-zoo.expected.json").read_text())


@pytest.fixture
def recorded_gateway(zoo_recorded: dict[str, Any]) -> EngineGateway:
    return EngineGateway(
        Endpoint("unix:///recorded.sock", "test"), transport=RecordedTransport(zoo_recorded)
    )

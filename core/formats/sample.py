"""The bundled sample of real official images, for study without an engine."""

from __future__ import annotations

import json
from importlib import resources

from fromscratch.core.formats.inventory import Inventory
from fromscratch.core.formats.snapshot import from_document

SAMPLE_SOURCE = "sample data (21 official Docker Hub images, linux/amd64, Aug-Sep 2026)"


def load_sample() -> Inventory:
    """The sample as an inventory, read through importlib.resources (works when bundled)."""
    text = (
        resources.files("fromscratch.resources.sample").joinpath("official-images.json").read_text()
    )
    return from_document(json.loads(text), source=SAMPLE_SOURCE)

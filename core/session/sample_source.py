"""The bundled sample of real official images: always there, for study without an engine."""

from __future__ import annotations

from fromscratch.core.formats.inventory import Inventory
from fromscratch.core.formats.sample import load_sample
from fromscratch.core.session.source import Loaded, SourceKind
from fromscratch.core.task import TaskContext


class SampleSource:
    kind = SourceKind.SAMPLE
    live = False
    path = ""
    name = "the bundled sample"

    def loading(self) -> str:
        return "opening the bundled sample…"

    def describe(self, inventory: Inventory) -> str:
        return f"{inventory.source} — {inventory.counted()}"

    def load(self, context: TaskContext) -> Loaded:
        return Loaded(load_sample())

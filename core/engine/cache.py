"""On-disk cache of inspect + history by image id.

Image ids are content addresses, so what an id's inspect and history say never changes, except
the tags and digests pointing at it, which the (cheap) list call supplies on every load. A warm
load therefore costs one list call plus the ids not seen before.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import Any

from fromscratch.core.files import atomic_write

log = logging.getLogger(__name__)
_HEX = re.compile(r"^[0-9a-f]{16,128}$")


class InspectCache:
    """One small JSON file per image id under `<root>/images/<2 hex>/<hex>.json`."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _file(self, image_id: str) -> Path | None:
        algo, _, digest = image_id.partition(":")
        if not _HEX.match(digest) or algo != "sha256":
            return None
        return self.root / "images" / digest[:2] / f"{digest}.json"

    def get(self, image_id: str) -> tuple[dict[str, Any], list[Any] | None] | None:
        """(inspect, history) or None when not cached or unreadable (then it is re-fetched)."""
        file = self._file(image_id)
        if file is None:
            return None
        try:
            doc = json.loads(file.read_bytes())
            if doc["inspect"].get("Id") == image_id:
                return doc["inspect"], doc["history"]
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
            log.warning("ignoring damaged cache entry %s", file)
        return None

    def drop(self, image_id: str) -> None:
        """Forget an entry (damaged, or no longer what the engine says)."""
        file = self._file(image_id)
        if file is not None:
            try:
                file.unlink(missing_ok=True)
            except OSError as exc:
                log.warning("cannot drop the cache entry %s: %s", file, exc)

    def put(self, image_id: str, inspect: dict[str, Any], history: list[Any] | None) -> None:
        """Store atomically; a failure to cache is logged, never fatal."""
        file = self._file(image_id)
        if file is None:
            return
        try:
            payload = json.dumps({"inspect": inspect, "history": history}, separators=(",", ":"))
            atomic_write(file, payload.encode(), durable=False)
        except OSError as exc:
            log.warning("cannot cache %s: %s", image_id, exc)

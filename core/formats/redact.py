"""Redaction applied when saving snapshots, so a shared file does not leak credentials.

Config `Env` values are always replaced (they often hold tokens); label values and `NAME=value`
pairs in build history are replaced when the name looks secret. Redaction is deterministic and
applied alike to parent and child histories, so history prefixes, and so lineage, survive it.
"""

from __future__ import annotations

import re
from dataclasses import replace

import msgspec

from fromscratch.core.formats.inventory import Image, Inventory

REDACTED = "<redacted>"
SECRET_NAME = re.compile(
    r"pass(word|wd|phrase)?|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|"
    r"credential|auth|session|cookie|signature|salt",
    re.IGNORECASE,
)
_ASSIGNMENT = re.compile(r"\b([A-Za-z_][A-Za-z0-9_.-]*)=(\"[^\"]*\"|'[^']*'|\S+)")


def is_secret_name(name: str) -> bool:
    """True for names such as DB_PASSWORD, GITHUB_TOKEN or aws.secret-key."""
    return bool(SECRET_NAME.search(name))


def redact_text(text: str) -> str:
    """Replace the value of every secret-looking `NAME=value` in a history line."""

    def swap(match: re.Match[str]) -> str:
        name = match.group(1)
        return f"{name}={REDACTED}" if is_secret_name(name) else match.group(0)

    return _ASSIGNMENT.sub(swap, text) if "=" in text else text


def redact_image(image: Image) -> Image:
    """The image with Env values and secret-looking labels and history values replaced."""
    env = tuple(
        f"{item.split('=', 1)[0]}={REDACTED}" if "=" in item else item for item in image.env
    )
    labels = {k: (REDACTED if is_secret_name(k) else v) for k, v in image.labels.items()}
    history = image.history
    if history is not None:
        history = tuple(
            step
            if "=" not in step.created_by
            else msgspec.structs.replace(step, created_by=redact_text(step.created_by))
            for step in history
        )
    return replace(image, env=env, labels=labels, history=history)


def redact(inventory: Inventory) -> Inventory:
    """A copy of the inventory that is safe to hand to someone else."""
    return replace(inventory, images=tuple(redact_image(i) for i in inventory.images))

"""Redaction applied when saving snapshots, so a shared file does not leak credentials.

What is replaced by `<redacted>` (deterministically, alike in parent and child histories, so
history prefixes, and so lineage, survive it):
- every `Env` value of the image config;
- in build history: every value of an ENV or ARG step and of the build arguments BuildKit
  writes before a RUN (`RUN |2 A=1 B=2 ...`), every `scheme://user:password@` credential,
  `Bearer`/`Basic`/`token` values, and any `NAME=value` whose name looks secret;
- label values and `Cmd`/`Entrypoint` `NAME=value` (`--db-password=...`) whose name looks
  secret.
"""

from __future__ import annotations

import re
from dataclasses import replace

import msgspec

from fromscratch.core.formats.inventory import Image, Inventory

REDACTED = "<redacted>"
SECRET_NAME = re.compile(
    r"pass(word|wd|phrase)?|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|"
    r"(^|[_.-])key($|[_.-])|credential|auth|session|cookie|signature|salt|pat$|dsn|"
    r"conn(ection)?[_-]?str",
    re.IGNORECASE,
)
_ASSIGNMENT = re.compile(r"\b([A-Za-z_][A-Za-z0-9_.-]*)=(\"[^\"]*\"|'[^']*'|\S+)")
_URL_CREDENTIALS = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*://)[^/\s:@]+:[^/\s@]+@")
_TOKEN = re.compile(r"\b(bearer|basic|token)(\s+|:\s*)([A-Za-z0-9._~+/=-]{8,})", re.IGNORECASE)
_STEP = re.compile(
    r"^(\s*(?:/bin/sh -c #\(nop\)\s*)?)(ENV|ARG)(\s+)(.*)$", re.IGNORECASE | re.DOTALL
)
_NAME_EQ = re.compile(r"(?:(?<=\s)|^)([A-Za-z_][A-Za-z0-9_.-]*)=")
_RUN_ARGS = re.compile(r"^(\s*(?:RUN\s+)?)\|(\d+)\s+(.*)$", re.DOTALL)


def is_secret_name(name: str) -> bool:
    """True for names such as DB_PASSWORD, GITHUB_TOKEN, aws_key or db-password."""
    return bool(SECRET_NAME.search(name))


def _secret_assignments(text: str) -> str:
    def swap(match: re.Match[str]) -> str:
        name = match.group(1)
        return f"{name}={REDACTED}" if is_secret_name(name) else match.group(0)

    return _ASSIGNMENT.sub(swap, text) if "=" in text else text


def _all_values(assignments: str) -> str:
    """`A=x y B=2` -> `A=<redacted> B=<redacted>`; a legacy `NAME value` -> `NAME <redacted>`."""
    names = list(_NAME_EQ.finditer(assignments))
    if not names:
        name, _, rest = assignments.partition(" ")
        return f"{name} {REDACTED}" if rest.strip() else assignments
    return " ".join(f"{m.group(1)}={REDACTED}" for m in names)


def _build_args(text: str) -> str:
    """BuildKit writes a RUN's build arguments first: `RUN |2 A=1 B=2 /bin/sh -c ...`."""
    match = _RUN_ARGS.match(text)
    if match is None:
        return text
    count = int(match.group(2))
    words = match.group(3).split(" ")
    for index in range(min(count, len(words))):
        name, equals, _value = words[index].partition("=")
        if equals:
            words[index] = f"{name}={REDACTED}"
    return f"{match.group(1)}|{count} " + " ".join(words)


def redact_text(text: str) -> str:
    """A history line with its values that may be secret replaced (see the module doc)."""
    step = _STEP.match(text)
    if step is not None:
        text = step.group(1) + step.group(2) + step.group(3) + _all_values(step.group(4))
    else:
        text = _build_args(text)
    text = _URL_CREDENTIALS.sub(rf"\1{REDACTED}@", text)
    text = _TOKEN.sub(lambda m: f"{m.group(1)}{m.group(2)}{REDACTED}", text)
    return _secret_assignments(text)


def redact_image(image: Image) -> Image:
    """The image with Env values, secret-looking labels and Cmd/Entrypoint values, and the
    history's values that may be secret, replaced."""
    env = tuple(
        f"{item.split('=', 1)[0]}={REDACTED}" if "=" in item else item for item in image.env
    )
    labels = {k: (REDACTED if is_secret_name(k) else v) for k, v in image.labels.items()}
    history = image.history
    if history is not None:
        history = tuple(
            msgspec.structs.replace(step, created_by=redact_text(step.created_by))
            if step.created_by
            else step
            for step in history
        )
    cmd = tuple(redact_text(a) for a in image.cmd) if image.cmd is not None else None
    entrypoint = (
        tuple(redact_text(a) for a in image.entrypoint) if image.entrypoint is not None else None
    )
    return replace(image, env=env, labels=labels, history=history, cmd=cmd, entrypoint=entrypoint)


def redact(inventory: Inventory) -> Inventory:
    """A copy of the inventory that is safe to hand to someone else."""
    return replace(inventory, images=tuple(redact_image(i) for i in inventory.images))

"""Values written for people: sizes in the units `docker images` prints, one-line labels."""

from __future__ import annotations


def format_size(size: int | float | None) -> str:
    """`48.5 MB`, `2.4 kB`, `0 B`; `?` when unknown."""
    if size is None:
        return "?"
    value = float(size)
    for unit in ("B", "kB", "MB", "GB"):
        if abs(value) < 1000 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    return f"{value:.1f} TB"  # pragma: no cover - loop returns at GB


def shorten(text: str, limit: int = 48) -> str:
    """One line of at most `limit` characters, for labels (the classic builder's
    `/bin/sh -c #(nop) ` prefix dropped)."""
    line = " ".join(text.replace("/bin/sh -c #(nop) ", "").split())
    return line if len(line) <= limit else line[: limit - 1] + "…"

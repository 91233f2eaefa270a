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


_CONTROLS = {c: f"\\x{c:02x}" for c in [*range(0x20), 0x7F, *range(0x80, 0xA0)]}
_CONTROLS[ord("\\")] = "\\\\"


def printable(text: str) -> str:
    """`text` with control characters written out (`\\x1b`, `\\n`-free): data from a file
    can hold newlines that would draw a fake tree line, terminal escapes that retitle the
    window or clear the screen, or bidi controls (`\\u202e`) that show text other than what
    it is. Every character Python calls unprintable is written out; backslashes double, so
    nothing printed is ambiguous."""
    if text.isprintable() and "\\" not in text:
        return text
    return "".join(ch if ch.isprintable() and ch != "\\" else _written(ord(ch)) for ch in text)


def _written(code: int) -> str:
    if code in _CONTROLS:
        return _CONTROLS[code]
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def shorten(text: str, limit: int = 48) -> str:
    """One line of at most `limit` characters, for labels (the classic builder's
    `/bin/sh -c #(nop) ` prefix dropped)."""
    line = " ".join(text.replace("/bin/sh -c #(nop) ", "").split())
    return line if len(line) <= limit else line[: limit - 1] + "…"

"""The bytes of a JSON file as people's tools write them, made plain UTF-8 JSON: a UTF-8 byte
order mark, UTF-16 (what Windows PowerShell 5.1's `>` writes for the README's own `docker
image inspect ... > images.json`), and a stream of objects instead of one array (what `jq
'.[]'` and `docker ... --format '{{json .}}'` print). Terminal colour codes (`jq -C`) are
refused with a line that says so: they would have to be guessed away.
"""

from __future__ import annotations

import json

from fromscratch.core.formats.parse import InputError

UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
ESCAPE = b"\x1b["


def plain_json(raw: bytes) -> bytes:
    """`raw` as UTF-8 without a byte order mark (UTF-16 decoded); raises InputError for
    terminal colour codes."""
    if raw.startswith(UTF8_BOM):
        raw = raw[len(UTF8_BOM) :]
    else:
        codec = "utf-16" if raw.startswith(UTF16_BOMS) else _utf16_without_bom(raw)
        if codec:
            try:
                raw = raw.decode(codec).encode().removeprefix(UTF8_BOM)
            except UnicodeDecodeError:
                raise InputError("UTF-16 text that does not decode; save it as UTF-8") from None
    if ESCAPE in raw[:4096]:
        raise InputError(
            "holds terminal colour codes (from `jq -C` or a colouring terminal): write the "
            "file again without colour (`jq -M`, or the command alone)"
        )
    return raw


def _utf16_without_bom(raw: bytes) -> str:
    """The codec of UTF-16 text without a byte order mark, else "": JSON starts with ASCII,
    so every other byte is 0 (the high bytes: second in little-endian, first in big)."""
    head = raw[:64]
    if len(head) < 4:
        return ""
    if head[1::2].count(0) == len(head[1::2]):
        return "utf-16-le"
    if head[0::2].count(0) == len(head[0::2]):
        return "utf-16-be"
    return ""


def stream_to_array(raw: bytes) -> bytes:
    """Several JSON values one after another (NDJSON, or `jq '.[]'`'s indented objects) as
    one JSON array of them; raises InputError when the text is not such a stream."""
    text = raw.decode(errors="replace")
    decoder = json.JSONDecoder()
    spans: list[str] = []
    index, end = 0, len(text)
    while True:
        while index < end and text[index] in " \t\r\n":
            index += 1
        if index >= end:
            break
        try:
            _value, stop = decoder.raw_decode(text, index)
        except json.JSONDecodeError as exc:
            raise InputError(
                f"not valid JSON (a stream of objects that breaks at line {exc.lineno}, "
                f"column {exc.colno}: {exc.msg.lower()})"
            ) from None
        spans.append(text[index:stop])
        index = stop
    return ("[" + ",".join(spans) + "]").encode()

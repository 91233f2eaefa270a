"""The plain entries of a layer tar, indexed in C (core/layers/_plainentries.c)."""

from fromscratch.core.layers.entries import Entry, EntryType

def run(
    buffer: bytes,
    at: int,
    entries: list[Entry],
    make: type[Entry],
    kinds: tuple[EntryType, ...],
    special: frozenset[str],
    shared: dict[int, int],
    /,
) -> tuple[int, int]:
    """The plain run of entries from offset `at`, appended to `entries`; gives the offset
    of the first header not taken and the content bytes of those taken."""

"""`fromscratch` and `python -m fromscratch`: headless subcommands go to core without importing
Qt; anything else opens the window."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """`fromscratch tree|snapshot|info ...` runs core's CLI; anything else opens the window."""
    args = list(sys.argv[1:] if argv is None else argv)
    from fromscratch.core.cli import COMMANDS

    if args and (args[0] in COMMANDS or args[0] in ("-h", "--help")):
        from fromscratch.core.cli import main as cli_main

        return cli_main(args)
    from fromscratch.gui.app import main as gui_main

    return gui_main(args)


if __name__ == "__main__":
    raise SystemExit(main())

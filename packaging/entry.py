"""Entry point of the bundled app (the same as the `fromscratch` command)."""

from fromscratch.__main__ import main

if __name__ == "__main__":
    raise SystemExit(main())

"""Entry point of the bundled app (the same as the `fromscratch` command)."""

from gui.launcher import main

if __name__ == "__main__":
    raise SystemExit(main())

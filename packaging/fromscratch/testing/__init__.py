"""Support for testing and measuring fromscratch, shared by `tests/` and `bench/`: a private
Docker daemon, and the project's shared data. Not shipped in the wheel (pyproject.toml lists
the packages it ships); importable from a checkout's editable install."""

"""Support for testing and measuring fromscratch, shared by `tests/` and `bench/`: a private
Docker daemon (`dockerd`), a `docker load` forest of tiny images (`image_forest`) and 10,250
synthetic images with known parents (`synthetic`). Not shipped in the wheel (pyproject.toml
lists the packages it ships); importable from a checkout's editable install."""

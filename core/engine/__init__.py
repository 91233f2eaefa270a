"""Talking to a Docker (or Podman) engine: which one (`endpoint`), how (`transport`, the
docker-py `client`), loading its images (`gateway`, `cache`), following it (`events`), and
every way that fails (`failures`)."""

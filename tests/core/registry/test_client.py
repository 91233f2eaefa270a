"""What the registry client checks before it asks anything: the address as docker reads it,
and every name that goes into a request's path (a registry's own lists included)."""

from __future__ import annotations

import pytest

from fromscratch.core.registry.client import Registry, RegistryError, address


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ("127.0.0.1:5000", ("http://127.0.0.1:5000", "127.0.0.1:5000", "")),
        ("127.1.2.3:5000/team/app", ("http://127.1.2.3:5000", "127.1.2.3:5000", "team/app")),
        ("localhost/x", ("http://localhost", "localhost", "x")),
        ("[::1]:5000", ("http://[::1]:5000", "[::1]:5000", "")),
        ("ghcr.io/org/tool", ("https://ghcr.io", "ghcr.io", "org/tool")),
        ("http://10.0.0.2:5000/a/", ("http://10.0.0.2:5000", "10.0.0.2:5000", "a")),
    ],
)
def test_an_address_is_read_as_docker_reads_it(where: str, expected: tuple[str, str, str]) -> None:
    assert address(where) == expected


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda r: r.tags("../_catalog"), r"'\.\./_catalog' is not a repository name"),
        (lambda r: r.tags("Team/App"), r"'Team/App' is not a repository name"),
        (lambda r: r.manifest("team/app", "x?n=1"), r"'x\?n=1' is not a manifest digest"),
        (lambda r: r.manifest("team/app", "sha512:ab"), r"'sha512:ab' is not a manifest digest"),
        (lambda r: r.config("team/app", "sha256:00"), r"'sha256:00' is not a config digest"),
    ],
)
def test_a_name_that_is_not_the_apis_is_refused_before_any_request(
    call: object, message: str
) -> None:
    registry = Registry("http://127.0.0.1:1")  # nothing listens: a request would say so
    try:
        with pytest.raises(RegistryError, match=message):
            call(registry)  # type: ignore[operator]
    finally:
        registry.close()


def test_a_registry_listing_a_name_the_api_does_not_allow_is_refused() -> None:
    """A hostile registry's tag list would put its names into our next requests' paths."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Lists(BaseHTTPRequestHandler):
        def log_message(self, *_args: object) -> None:
            pass

        def do_GET(self) -> None:
            body = b'{"name": "team/app", "tags": ["1", "../../_catalog"]}'
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Lists)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    registry = Registry(f"http://127.0.0.1:{server.server_address[1]}")
    try:
        with pytest.raises(RegistryError, match=r"'\.\./\.\./_catalog' is not a tag"):
            registry.tags("team/app")
    finally:
        registry.close()
        server.shutdown()
        server.server_close()

"""A registry that asks for bearer tokens, as Docker Hub and GHCR do: a loopback proxy in front
of the test's real registry (tests.support.registry), with a token service of its own. A
request without a token it issued for the request's scope gets `401` and the challenge
`WWW-Authenticate: Bearer realm=…,service=…,scope=…`; one with it is passed to the registry
and its answer passed back. The token service gives tokens to anyone, or, with `user` set,
only to HTTP Basic credentials that match. With `busy`, the first requests are answered
`429 Too Many Requests` with `Retry-After: 1`, as a rate-limited registry answers."""

from __future__ import annotations

import base64
import re
import secrets
import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

PASSED = ("Content-Type", "Docker-Content-Digest", "Link", "Content-Length")


class AuthProxy:
    def __init__(self, upstream: str, user: str = "", password: str = "", busy: int = 0) -> None:
        self.upstream, self.user, self.password = upstream, user, password
        self.busy = busy
        """Registry requests answered `429 Retry-After: 1` before any is served."""
        self.refused_busy = 0
        self.tokens: dict[str, str] = {}
        """Scope by token issued."""
        self.asked: list[tuple[str, str]] = []
        """(scope, basic user or "") of each token request."""
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.host = f"127.0.0.1:{self.server.server_address[1]}"
        self.url = f"http://{self.host}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_args: object) -> None:
                pass

            def do_GET(self) -> None:
                if self.path.startswith("/token"):
                    self._token()
                else:
                    self._registry()

            def _token(self) -> None:
                query = parse_qs(urlparse(self.path).query)
                scope = query.get("scope", [""])[0]
                given = self.headers.get("Authorization", "")
                user = ""
                if given.startswith("Basic "):
                    user, _, password = base64.b64decode(given[6:]).decode().partition(":")
                    if (user, password) != (proxy.user, proxy.password):
                        user = "!wrong"
                proxy.asked.append((scope, user))
                if proxy.user and user != proxy.user:
                    self._answer(401, b'{"errors": [{"code": "UNAUTHORIZED"}]}')
                    return
                token = secrets.token_hex(16)
                proxy.tokens[token] = scope
                self._answer(200, f'{{"token": "{token}"}}'.encode())

            def _registry(self) -> None:
                if proxy.refused_busy < proxy.busy:
                    proxy.refused_busy += 1
                    self._answer(429, b"{}", {"Retry-After": "1"})
                    return
                path = urlparse(self.path).path
                if path == "/v2/_catalog":
                    scope = "registry:catalog:*"
                else:
                    name = re.match(r"/v2/(.+?)/(?:tags|manifests|blobs)/", path)
                    scope = f"repository:{name.group(1)}:pull" if name else ""
                token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                if not scope or proxy.tokens.get(token) != scope:
                    challenge = (
                        f'Bearer realm="{proxy.url}/token",service="test-registry",scope="{scope}"'
                    )
                    self._answer(401, b"{}", {"WWW-Authenticate": challenge})
                    return
                request = urllib.request.Request(proxy.upstream + self.path)
                request.add_header("Accept", self.headers.get("Accept", "*/*"))
                try:
                    with urllib.request.urlopen(request, timeout=10) as answer:
                        body, status, headers = answer.read(), answer.status, answer.headers
                except urllib.error.HTTPError as exc:
                    body, status, headers = exc.read(), exc.code, exc.headers
                kept = {k: headers[k] for k in PASSED if k in headers and k != "Content-Length"}
                self._answer(status, body, kept)

            def _answer(
                self, status: int, body: bytes, headers: dict[str, str] | None = None
            ) -> None:
                self.send_response(status)
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        return Handler

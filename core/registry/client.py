"""One registry's distribution API (the OCI distribution spec, which Docker's registry, Harbor,
GHCR and Docker Hub serve): the catalog and tag lists, paged as the `Link` header says;
manifests (an image index or a single manifest, OCI or Docker v2) and config blobs, each read
checked against its digest. Read-only: GET only.

A registry that asks for a bearer token (Docker Hub, GHCR, most others) gets one from the
token service its challenge names, for the pull scope, with the user's docker credentials when
there are any (core.registry.credentials), as the docker CLI does.

Not yet (issue 21): credential helpers, a custom CA, referrers."""

from __future__ import annotations

import hashlib
import json
import re
import time
from typing import Any, NamedTuple
from urllib.parse import urljoin

import requests

from fromscratch.core.formats.parse import InputError
from fromscratch.core.registry.credentials import Credentials

OCI_INDEX = "application/vnd.oci.image.index.v1+json"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"
DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
INDEXES = frozenset({OCI_INDEX, DOCKER_LIST})
MANIFESTS = frozenset({OCI_MANIFEST, DOCKER_MANIFEST})
ACCEPT = ", ".join((OCI_INDEX, OCI_MANIFEST, DOCKER_LIST, DOCKER_MANIFEST))
PAGE = 1000
"""Names a page: the distribution server 2.8 gives at most 1,000."""
PAGES_AT_MOST = 1000
"""A catalog or tag list longer than a million names is refused (a loop of `Link`s)."""
DOCUMENT_AT_MOST = 4 * 1024 * 1024
"""Bytes of a manifest or a config at most: real ones are a few KiB."""
WHY = {
    401: ": it asks for credentials",
    403: ": refused",
    404: ": not there",
    429: ": too many requests; try again later",
}
RETRIES = 4
"""Asks of one request at most when the registry answers 429 (too many requests)."""
WAIT_AT_MOST = 30.0
"""Seconds waited at most before asking again after a 429."""
_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
NAME = re.compile(rf"{_COMPONENT}(?:/{_COMPONENT})*")
"""A repository name, as the distribution spec writes it."""
TAG = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]{0,127}")
DIGEST = re.compile(r"sha256:[0-9a-f]{64}")
"""The digests read here (each is checked by hashing: sha256 only)."""
NEXT = re.compile(r'<([^>]+)>\s*;\s*rel="?next"?')


class RegistryError(InputError):
    """The registry refused, failed or answered something that is not what it claims."""


class Document(NamedTuple):
    """A manifest or config as read: its digest (checked), media type and parsed JSON."""

    digest: str
    media_type: str
    value: dict[str, Any]


class Registry:
    """The registry at `url` (`http://127.0.0.1:5000`, `https://registry.example`)."""

    def __init__(
        self, url: str, *, timeout: float = 30.0, credentials: Credentials | None = None
    ) -> None:
        self.url = url.rstrip("/")
        self.host = re.sub(r"^https?://", "", self.url)
        self.timeout = timeout
        self.credentials = credentials
        self.session = requests.Session()
        self._tokens: dict[str, str] = {}
        """Bearer tokens by scope (`repository:team/app:pull`, `registry:catalog:*`)."""

    def close(self) -> None:
        self.session.close()

    def _send(self, where: str, accept: str, token: str | None) -> requests.Response:
        """One GET; a `429` waits what its `Retry-After` says (at most :data:`WAIT_AT_MOST`
        seconds, 1 when it says nothing readable) and asks again, :data:`RETRIES` times."""
        headers = {"Accept": accept}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        for attempt in range(1, RETRIES + 1):
            try:
                answer = self.session.get(where, headers=headers, timeout=self.timeout, stream=True)
            except requests.RequestException as exc:
                raise RegistryError(f"{self.host}: no answer ({type(exc).__name__})") from None
            if answer.status_code != 429 or attempt == RETRIES:
                return answer
            answer.close()
            time.sleep(_retry_after(answer.headers.get("Retry-After", "")))
        raise AssertionError("unreachable: the last attempt returns")

    def _get(self, path: str, accept: str = "application/json") -> requests.Response:
        where = f"{self.url}{path}"
        scope = _scope(path)
        answer = self._send(where, accept, self._tokens.get(scope))
        challenge = answer.headers.get("WWW-Authenticate", "")
        if answer.status_code == 401 and challenge.lower().startswith("bearer "):
            answer.close()  # the docker CLI's flow: a pull token from the named service
            self._tokens[scope] = self._token(_parameters(challenge[7:]), scope)
            answer = self._send(where, accept, self._tokens[scope])
        if answer.status_code != 200:
            answer.close()
            status = answer.status_code
            why = WHY.get(status, "")
            raise RegistryError(f"{self.host}: {path.split('?')[0]} answered {status}{why}")
        return answer

    def _body(self, answer: requests.Response, what: str) -> bytes:
        """The answer's bytes, at most :data:`DOCUMENT_AT_MOST` (read so far and no further)."""
        body = bytearray()
        for chunk in answer.iter_content(64 * 1024):
            body += chunk
            if len(body) > DOCUMENT_AT_MOST:
                answer.close()
                raise RegistryError(f"{self.host}: {what} is over {DOCUMENT_AT_MOST:,} bytes")
        return bytes(body)

    def _names(self, path: str, key: str) -> list[str]:
        """A paged list (`_catalog`'s repositories, a repository's tags)."""
        names: list[str] = []
        following: str | None = f"{path}?n={PAGE}"
        for _ in range(PAGES_AT_MOST):
            if following is None:
                return names
            answer = self._get(following)
            value = _json(self._body(answer, following), f"{self.host}{following}")
            page = value.get(key) or []
            if not isinstance(page, list) or not all(isinstance(n, str) for n in page):
                raise RegistryError(f"{self.host}{following}: `{key}` is not a list of names")
            for name in page:  # each goes into a path of ours: the spec's names only
                if key == "repositories":
                    _check(name, NAME, self.host, "repository name")
                else:
                    _check(name, TAG, self.host, "tag")
            names += page
            link = NEXT.search(answer.headers.get("Link", ""))
            following = _relative(urljoin(self.url + "/", link.group(1))) if link else None
        raise RegistryError(f"{self.host}{path}: more than {PAGES_AT_MOST} pages")

    def repositories(self) -> list[str]:
        return self._names("/v2/_catalog", "repositories")

    def tags(self, repository: str) -> list[str]:
        _check(repository, NAME, self.host, "repository name")
        return self._names(f"/v2/{repository}/tags/list", "tags")

    def manifest(self, repository: str, reference: str) -> Document:
        """The manifest or index `reference` (a tag or a digest) names, checked: its bytes
        hash to the digest asked for, or to the one the registry says it sent."""
        _check(repository, NAME, self.host, "repository name")
        if not TAG.fullmatch(reference):
            _check(reference, DIGEST, self.host, "manifest digest")
        path = f"/v2/{repository}/manifests/{reference}"
        answer = self._get(path, ACCEPT)
        body = self._body(answer, path)
        digest = "sha256:" + hashlib.sha256(body).hexdigest()
        said = answer.headers.get("Docker-Content-Digest", "")
        expected = reference if reference.startswith("sha256:") else said
        if expected and expected != digest:
            raise RegistryError(
                f"{self.host}/{repository}@{reference}: the manifest's bytes hash to {digest}, "
                f"not {expected}: refused"
            )
        value = _json(body, f"{self.host}{path}")
        media = str(value.get("mediaType") or answer.headers.get("Content-Type", ""))
        return Document(digest, media.split(";")[0].strip(), value)

    def config(self, repository: str, digest: str) -> Document:
        """The config blob `digest`, checked against it."""
        _check(repository, NAME, self.host, "repository name")
        _check(digest, DIGEST, self.host, "config digest")
        path = f"/v2/{repository}/blobs/{digest}"
        body = self._body(self._get(path, "*/*"), path)
        if "sha256:" + hashlib.sha256(body).hexdigest() != digest:
            raise RegistryError(
                f"{self.host}/{repository}: config {digest} does not match its bytes: refused"
            )
        return Document(digest, "config", _json(body, f"{self.host}{path}"))

    def _token(self, challenge: dict[str, str], scope: str) -> str:
        """A token from the challenge's `realm` for its `service` and `scope` (ours when it
        names none), asked with the user's credentials when the docker config has them."""
        realm = challenge.get("realm", "")
        if not realm.startswith(("https://", "http://")):
            raise RegistryError(f"{self.host}: a token challenge without a realm: {challenge}")
        params = {"service": challenge.get("service", ""), "scope": challenge.get("scope", scope)}
        creds = self.credentials
        auth = (creds.user, creds.password) if creds is not None else None
        try:
            answer = self.session.get(
                realm, params=params, auth=auth, timeout=self.timeout, stream=True
            )
        except requests.RequestException as exc:
            raise RegistryError(
                f"{self.host}: its token service gave no answer ({type(exc).__name__})"
            ) from None
        if answer.status_code != 200:
            answer.close()
            who = "with the docker config's credentials" if auth else "without credentials"
            raise RegistryError(
                f"{self.host}: its token service refused a pull token {who} "
                f"({answer.status_code}); `docker login {self.host}` first"
            )
        value = _json(self._body(answer, "its token"), f"{self.host}: its token")
        token = value.get("token") or value.get("access_token")
        if not isinstance(token, str) or not token:
            raise RegistryError(f"{self.host}: its token service answered without a token")
        return token


def _retry_after(value: str) -> float:
    """`Retry-After` in seconds (the delta form; a date or nothing: 1), capped."""
    try:
        return min(max(float(value), 0.0), WAIT_AT_MOST)
    except ValueError:
        return 1.0


def _scope(path: str) -> str:
    """The pull scope a request needs, as the docker CLI asks it."""
    if path.startswith("/v2/_catalog"):
        return "registry:catalog:*"
    name = re.match(r"/v2/(.+?)/(?:tags|manifests|blobs)/", path)
    return f"repository:{name.group(1)}:pull" if name else ""


def _parameters(text: str) -> dict[str, str]:
    """`realm="…",service="…",scope="…"` (RFC 7235 auth-params)."""
    return {k.lower(): v for k, v in re.findall(r'(\w+)="([^"]*)"', text)}


def address(where: str) -> tuple[str, str, str]:
    """`HOST[:PORT][/REPOSITORY]` or a URL as (base URL, host, repository or ""). Without a
    scheme, plain HTTP for a loopback host (127.0.0.0/8, localhost, [::1]) and HTTPS for any
    other, as docker treats loopback registries as insecure and no other by default."""
    scheme, _, rest = where.rpartition("://")
    host, _, repository = rest.partition("/")
    if not scheme:
        name = host[1 : host.find("]")] if host.startswith("[") else host.split(":")[0]
        loopback = name in ("localhost", "::1") or name.startswith("127.")
        scheme = "http" if loopback else "https"
    return f"{scheme}://{host}", host, repository.strip("/")


def _check(text: str, pattern: re.Pattern[str], host: str, what: str) -> None:
    """`text` goes into a request's path: refused unless it is what the spec allows."""
    if not pattern.fullmatch(text):
        raise RegistryError(f"{host}: {text!r} is not a {what} the registry API allows")


def _relative(url: str) -> str:
    """The path and query of a `Link` (the registry's own host only)."""
    return re.sub(r"^https?://[^/]+", "", url)


def _json(body: bytes, where: str) -> dict[str, Any]:
    try:
        value = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise RegistryError(f"{where}: not JSON") from None
    if not isinstance(value, dict):
        raise RegistryError(f"{where}: not a JSON object")
    return value

"""A real registry (Debian's distribution server on 127.0.0.1) filled by a real engine's
`docker push`, read through its API into the same tree the engine gives: lineage from configs
alone, no layer pulled; an index's platforms without its attestations; every manifest and
config checked against its digest, a damaged one refused in one line."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from fromscratch.core.formats.inventory import SizeBasis
from fromscratch.core.formats.snapshot import from_document
from fromscratch.core.graph.lineage import build_tree
from fromscratch.core.registry.client import OCI_INDEX, OCI_MANIFEST, Registry, RegistryError
from fromscratch.core.registry.credentials import Credentials, credentials_for
from fromscratch.core.registry.reading import read_registry
from tests.integration.scenarios import APP, BASE, FILES
from tests.support.authproxy import AuthProxy
from tests.support.dockerd import Dockerd
from tests.support.registry import RegistryServer

pytestmark = pytest.mark.system
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
IN_TOTO = "application/vnd.in-toto+json"


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RegistryServer]:
    server = RegistryServer(tmp_path_factory.mktemp("registry"))
    yield server
    server.stop()


def push(engine: Dockerd, server: RegistryServer, local: str, remote: str) -> None:
    engine.docker("tag", local, f"{server.host}/{remote}")
    engine.docker("push", "-q", f"{server.host}/{remote}")


@pytest.fixture(scope="module")
def pushed(dockerd: Dockerd, registry: RegistryServer) -> dict[str, str]:
    """team/base:1 and team/app:1 (built on it) pushed by Docker 20.10; then team/app:multi, an
    OCI index in the shape BuildKit pushes (docker buildx, Docker 28's containerd store): the
    app's manifest for linux/amd64 and an attestation manifest for it (an in-toto layer),
    put through the registry's own API by this test."""
    dockerd.build("team/base:1", BASE, buildkit=False, files=FILES)
    dockerd.build("team/app:1", APP.format(base="team/base:1"), buildkit=False, files=FILES)
    names = {}
    for name in ("base:1", "app:1"):
        push(dockerd, registry, f"team/{name}", f"team/{name}")
        names[f"team/{name}"] = f"{registry.host}/team/{name}"
    client = Registry(registry.url)
    try:
        app = client.manifest("team/app", "1")
    finally:
        client.close()
    statement = b'{"_type": "https://in-toto.io/Statement/v0.1"}'
    layer = registry.put_blob("team/app", statement)
    config = registry.put_blob("team/app", b'{"architecture": "unknown", "os": "unknown"}')
    attestation = json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": OCI_MANIFEST,
            "config": {"mediaType": OCI_CONFIG, "digest": config, "size": 45},
            "layers": [
                {"mediaType": IN_TOTO, "digest": layer, "size": len(statement)},
            ],
        }
    ).encode()
    attested = registry.put_manifest("team/app", "attestation", OCI_MANIFEST, attestation)
    index = {
        "schemaVersion": 2,
        "mediaType": OCI_INDEX,
        "manifests": [
            {
                "mediaType": app.media_type,
                "digest": app.digest,
                "size": len(json.dumps(app.value)),
                "platform": {"architecture": "amd64", "os": "linux"},
            },
            {
                "mediaType": OCI_MANIFEST,
                "digest": attested,
                "size": len(attestation),
                "platform": {"architecture": "unknown", "os": "unknown"},
                "annotations": {
                    "vnd.docker.reference.digest": app.digest,
                    "vnd.docker.reference.type": "attestation-manifest",
                },
            },
        ],
    }
    names["index"] = registry.put_manifest(
        "team/app", "multi", OCI_INDEX, json.dumps(index).encode()
    )
    names["team/app:multi"] = f"{registry.host}/team/app:multi"
    return names


def test_a_registry_gives_the_lineage_from_configs_alone(
    registry: RegistryServer, pushed: dict[str, str]
) -> None:
    client = Registry(registry.url)
    try:
        assert sorted(client.repositories()) == ["team/app", "team/base"]
        assert sorted(client.tags("team/app")) == ["1", "attestation", "multi"]
        objects = read_registry(client)
    finally:
        client.close()
    inventory = from_document(objects, source=f"the registry {registry.host}")
    tree = build_tree(inventory.images)
    node = {tag: n for n in tree for tag in tree.nodes[n]["tags"]}
    app, base = node[pushed["team/app:1"]], node[pushed["team/base:1"]]
    (parent,) = tree.predecessors(app)
    assert parent == base, tree.nodes[parent]["label"]
    # the index's platform is the same image (one card, both names); its attestation, and the
    # attestation's own tag, are not images
    assert node[pushed["team/app:multi"]] == app
    assert len(objects) == 2
    app_object = next(o for o in objects if pushed["team/app:1"] in o["RepoTags"])
    assert app_object["RepoTags"] == sorted([pushed["team/app:1"], pushed["team/app:multi"]])
    # sizes are what was pushed (compressed blobs), and say so
    assert all(o["X-SizeBasis"] == SizeBasis.COMPRESSED.value for o in objects)
    assert all(o["Size"] == sum(o["X-LayerSizes"]) > 0 for o in objects)


def test_a_config_or_manifest_whose_bytes_do_not_match_its_digest_is_refused(
    registry: RegistryServer, pushed: dict[str, str]
) -> None:
    client = Registry(registry.url)
    try:
        manifest = client.manifest("team/base", "1")
        digest = manifest.value["config"]["digest"]
        blob = registry.blob_file(digest)
        kept = blob.read_bytes()
        assert b"busybox" in kept
        blob.write_bytes(kept.replace(b"busybox", b"BUSYBOX"))  # same length, other bytes
        try:
            with pytest.raises(RegistryError, match=r"does not match its bytes: refused$"):
                read_registry(client, ["team/base"])
        finally:
            blob.write_bytes(kept)
        assert len(read_registry(client, ["team/base"])) == 1
        # the manifest too: the registry names the digest it stored, its bytes say otherwise
        stored = registry.blob_file(manifest.digest)
        kept = stored.read_bytes()
        stored.write_bytes(kept.replace(b'"size"', b'"SIZE"'))
        try:
            with pytest.raises(RegistryError, match=r"the manifest's bytes hash to sha256:"):
                read_registry(client, ["team/base"])
        finally:
            stored.write_bytes(kept)
    finally:
        client.close()


def test_tree_reads_a_registry_and_refuses_what_fails_in_one_line(
    registry: RegistryServer, pushed: dict[str, str]
) -> None:
    def tree(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "fromscratch", "tree", "--registry", *args],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    done = tree(registry.host)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    base = next(n for n, line in enumerate(lines) if pushed["team/base:1"] in line)
    app = next(n for n, line in enumerate(lines) if pushed["team/app:1"] in line)
    assert lines[0].startswith("scratch") and base < app
    assert lines[app].index("└─") > lines[base].index("└─")  # on it
    assert "sizes: compressed content" in done.stdout  # what was pushed, said so
    one = tree(f"{registry.host}/team/base")
    assert one.returncode == 0 and pushed["team/app:1"] not in one.stdout
    missing = tree(f"{registry.host}/no/such")
    assert (missing.returncode, missing.stdout) == (2, "")
    assert (
        missing.stderr
        == f"fromscratch: {registry.host}: /v2/no/such/tags/list answered 404: not there\n"
    )
    closed = tree("127.0.0.1:1")
    assert (closed.returncode, closed.stderr) == (
        2,
        "fromscratch: 127.0.0.1:1: no answer (ConnectionError)\n",
    )


def test_long_lists_are_followed_page_by_page(
    registry: RegistryServer, pushed: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """One name a page: the registry's `Link` header leads to the next, to the end."""
    from fromscratch.core.registry import client as module

    monkeypatch.setattr(module, "PAGE", 1)
    client = Registry(registry.url)
    try:
        assert client.repositories() == ["team/app", "team/base"]
        assert sorted(client.tags("team/app")) == ["1", "attestation", "multi"]
    finally:
        client.close()


@pytest.fixture
def asks_tokens(registry: RegistryServer) -> Iterator[AuthProxy]:
    proxy = AuthProxy(registry.url)
    yield proxy
    proxy.stop()


def test_a_registry_that_asks_for_tokens_gets_the_docker_clis_flow(
    asks_tokens: AuthProxy, pushed: dict[str, str]
) -> None:
    """A 401 with a Bearer challenge: a token from its realm for its service and scope, then
    the request again; one token per scope, kept for the next requests."""
    client = Registry(asks_tokens.url)
    try:
        objects = read_registry(client, ["team/base"])
    finally:
        client.close()
    assert len(objects) == 1
    assert [scope for scope, _user in asks_tokens.asked] == ["repository:team/base:pull"]
    assert all(user == "" for _scope, user in asks_tokens.asked)  # no credentials: anonymous


def test_credentials_from_the_docker_config_are_sent_to_the_token_service(
    registry: RegistryServer, pushed: dict[str, str], tmp_path: Path
) -> None:
    proxy = AuthProxy(registry.url, user="ci", password="s3cret")
    try:
        config = tmp_path / "config.json"
        secret = base64.b64encode(b"ci:s3cret").decode()
        config.write_text(json.dumps({"auths": {proxy.host: {"auth": secret}}}))
        found = credentials_for(proxy.host, config)
        assert found == Credentials("ci", "s3cret")
        client = Registry(proxy.url, credentials=found)
        try:
            assert client.repositories() == ["team/app", "team/base"]
        finally:
            client.close()
        assert proxy.asked == [("registry:catalog:*", "ci")]

        wrong = Registry(proxy.url, credentials=Credentials("ci", "wrong"))
        try:
            with pytest.raises(RegistryError) as refused:
                wrong.repositories()
        finally:
            wrong.close()
        assert str(refused.value) == (
            f"{proxy.host}: its token service refused a pull token with the docker config's "
            f"credentials (401); `docker login {proxy.host}` first"
        )
        # the command line finds them where docker keeps them
        done = subprocess.run(
            [sys.executable, "-m", "fromscratch", "tree", "--registry", proxy.host],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            env={**os.environ, "DOCKER_CONFIG": str(tmp_path)},
        )
        assert done.returncode == 0, done.stderr
        assert pushed["team/app:1"].replace(pushed["team/app:1"].split("/")[0], proxy.host) in (
            done.stdout
        )
    finally:
        proxy.stop()


HELPER = """#!{python}
import json, sys
# docker-credential-fstest: the credential helpers' protocol (`get`, the host on stdin)
host = sys.stdin.read().strip()
if sys.argv[1:] != ["get"] or host != {host!r}:
    print("credentials not found in native keychain")
    sys.exit(1)
print(json.dumps({{"ServerURL": host, "Username": "ci", "Secret": "s3cret"}}))
"""


def test_a_credential_helper_is_asked_as_docker_asks_it(
    registry: RegistryServer,
    pushed: dict[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`credHelpers` for the host first, else `credsStore`: a `docker-credential-NAME get`
    program on PATH; a missing one, or one that has nothing for the host, gives nothing."""
    proxy = AuthProxy(registry.url, user="ci", password="s3cret")
    try:
        helper = tmp_path / "bin" / "docker-credential-fstest"
        helper.parent.mkdir()
        helper.write_text(HELPER.format(python=sys.executable, host=proxy.host))
        helper.chmod(0o755)
        monkeypatch.setenv("PATH", f"{helper.parent}{os.pathsep}{os.environ['PATH']}")
        config = tmp_path / "config.json"
        config.write_text(json.dumps({"credsStore": "fstest", "auths": {proxy.host: {}}}))
        assert credentials_for(proxy.host, config) == Credentials("ci", "s3cret")
        assert credentials_for("elsewhere.example", config) is None  # the helper has none
        config.write_text(
            json.dumps({"credsStore": "missing", "credHelpers": {proxy.host: "fstest"}})
        )
        found = credentials_for(proxy.host, config)
        assert found == Credentials("ci", "s3cret")
        assert credentials_for("elsewhere.example", config) is None  # its store is missing
        client = Registry(proxy.url, credentials=found)
        try:
            assert len(read_registry(client, ["team/app"])) == 1
        finally:
            client.close()
        assert proxy.asked == [("repository:team/app:pull", "ci")]
    finally:
        proxy.stop()


def test_a_busy_registry_is_asked_again_after_what_retry_after_says(
    registry: RegistryServer, pushed: dict[str, str]
) -> None:
    proxy = AuthProxy(registry.url, busy=2)  # two 429s, each saying: again in 1 s
    try:
        client = Registry(proxy.url)
        started = time.monotonic()
        try:
            assert client.repositories() == ["team/app", "team/base"]
        finally:
            client.close()
        assert proxy.refused_busy == 2 and time.monotonic() - started >= 2.0
    finally:
        proxy.stop()
    always = AuthProxy(registry.url, busy=1000)
    try:
        client = Registry(always.url)
        try:
            with pytest.raises(RegistryError, match=r"answered 429: too many requests"):
                client.repositories()
        finally:
            client.close()
        assert always.refused_busy == 4  # asked again at most three times
    finally:
        always.stop()

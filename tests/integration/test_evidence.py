"""Live evidence on the real test engines: uname in a container and an image's contents on each
engine people run today, the runtime's refusal and FROM scratch on the host's."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fromscratch.core.engine.endpoint import Endpoint
from fromscratch.core.engine.gateway import EngineGateway
from fromscratch.core.evidence.containers import HELLO_LABEL, EvidenceError
from fromscratch.core.evidence.contents import ContentsCache, image_contents
from fromscratch.core.evidence.kernel import prove_kernel
from fromscratch.core.evidence.scratch import HELLO_TAG, build_from_scratch, remove_scratch_example
from tests.support.dockerd import Dockerd

pytestmark = pytest.mark.integration


def leftovers(dockerd: Dockerd) -> list[str]:
    out = dockerd.docker("ps", "-a", "--filter", f"label={HELLO_LABEL}", "--format", "{{.ID}}")
    return out.split()


def test_prove_it_returns_the_host_kernel(engine: Dockerd, engine_zoo: dict[str, str]) -> None:
    endpoint = Endpoint(engine.url, "test")
    gateway = EngineGateway(endpoint)
    host = gateway.engine_facts().kernel_version
    gateway.close()
    assert host == Path("/proc/sys/kernel/osrelease").read_text().strip()
    proof = prove_kernel(endpoint, ["zooforest-0:latest", "zoo/base:bk"], host)
    assert proof.image == "zoo/base:bk"  # the forest image has no uname: skipped, not fatal
    assert proof.container_kernel == host and proof.same
    assert leftovers(engine) == []


def test_a_runtime_refusal_is_not_the_docker_group_and_the_next_image_is_tried(
    dockerd: Dockerd, zoo: dict[str, str]
) -> None:
    """The runtime refuses to exec a busybox that is not executable ("permission denied"
    from the engine's answer): that is this image's problem, not the socket's."""
    dockerd.build(
        "zoo/noexec:bk",
        "FROM scratch\nCOPY --chmod=0644 busybox /bin/busybox\n",
        buildkit=True,
    )
    endpoint = Endpoint(dockerd.url, "test")
    gateway = EngineGateway(endpoint)
    host = gateway.engine_facts().kernel_version
    gateway.close()
    proof = prove_kernel(endpoint, ["zoo/noexec:bk", "zoo/base:bk"], host)
    assert proof.image == "zoo/base:bk" and proof.same
    with pytest.raises(EvidenceError) as info:
        prove_kernel(endpoint, ["zoo/noexec:bk"], host)
    message = str(info.value)
    assert "refused" in message and "permission denied" in message.lower()
    assert "docker group" not in message
    assert leftovers(dockerd) == []
    dockerd.docker("rmi", "zoo/noexec:bk")


def test_contents_of_a_busybox_scratch_image(
    engine: Dockerd, engine_zoo: dict[str, str], tmp_path: Path
) -> None:
    endpoint = Endpoint(engine.url, "test")
    image_id = engine.image_id("zoo/base:bk")
    cache = ContentsCache(tmp_path)
    contents = image_contents(endpoint, image_id, cache)
    sizes = dict(contents.dirs)
    assert sizes["bin"] > 500_000  # /bin/busybox
    assert not contents.has_kernel and contents.verdict.startswith("no kernel")
    assert contents.package_managers == ()
    assert contents.files == 2  # busybox and hello.txt
    assert contents.largest[0][0] == "/bin/busybox" and contents.largest[0][1] > 500_000
    assert cache.get(image_id) == contents
    assert leftovers(engine) == []


def test_build_from_scratch_runs_the_shipped_binary(dockerd: Dockerd) -> None:
    endpoint = Endpoint(dockerd.url, "test")
    facts = json.loads(dockerd.docker("version", "--format", "{{json .Server}}"))
    arch = facts.get("Arch", "")
    built = build_from_scratch(endpoint, arch)
    assert "Hello from scratch!" in built.output
    assert "host's kernel" in built.output
    history = dockerd.docker("history", "--no-trunc", "--format", "{{.CreatedBy}}", HELLO_TAG)
    assert "ADD file:" in history and '"/my_binary"' in history
    layers = json.loads(dockerd.docker("image", "inspect", HELLO_TAG))[0]["RootFS"]["Layers"]
    assert len(layers) == 1  # FROM scratch: one layer, one file
    contents = image_contents(endpoint, built.image_id)
    assert contents.files == 1 and contents.executables_at_root == ("my_binary",)
    assert leftovers(dockerd) == []
    assert remove_scratch_example(endpoint) is True
    assert remove_scratch_example(endpoint) is False

"""An image built FROM scratch from a ~1 KB static binary the app ships, run once: a complete
image with no user space at all, on the host's kernel."""

from __future__ import annotations

import io
import platform
import tarfile
from dataclasses import dataclass
from importlib import resources

from fromscratch.core.engine.client import docker_client
from fromscratch.core.engine.endpoint import Endpoint
from fromscratch.core.engine.failures import EngineState, classify
from fromscratch.core.evidence.containers import HELLO_LABEL, EvidenceError, call, run_once
from fromscratch.core.task import TaskContext

HELLO_TAG = "fromscratch/hello:latest"
ARCHES = {"x86_64": "x86_64", "amd64": "x86_64", "aarch64": "aarch64", "arm64": "aarch64"}
DOCKERFILE = 'FROM scratch\nADD my_binary /\nCMD ["/my_binary"]\n'


def hello_binary(architecture: str) -> bytes | None:
    """The shipped static greeter for an engine architecture (`x86_64`, `aarch64` ...)."""
    arch = ARCHES.get(architecture.lower())
    if arch is None:
        return None
    return resources.files("fromscratch.resources").joinpath(f"bin/hello-{arch}").read_bytes()


@dataclass(frozen=True, slots=True)
class ScratchBuild:
    image_id: str
    tag: str
    output: str
    dockerfile: str = DOCKERFILE


def _build_context(binary: bytes) -> io.BytesIO:
    context = io.BytesIO()
    with tarfile.open(fileobj=context, mode="w") as tar:
        for name, data, mode in (
            ("Dockerfile", DOCKERFILE.encode(), 0o644),
            ("my_binary", binary, 0o755),
        ):
            info = tarfile.TarInfo(name)
            info.size, info.mode = len(data), mode
            tar.addfile(info, io.BytesIO(data))
    context.seek(0)
    return context


def build_from_scratch(
    endpoint: Endpoint, architecture: str, context: TaskContext | None = None
) -> ScratchBuild:
    """Build `FROM scratch / ADD my_binary / CMD ["/my_binary"]` and run it once. A build is
    not interrupted half-way: `context` is taken so it runs as a task like the others."""
    binary = hello_binary(architecture or platform.machine())
    if binary is None:
        raise EvidenceError(
            f"no static example binary for {architecture or 'this'} architecture "
            "(the app ships x86-64 and arm64)"
        )
    build_context = _build_context(binary)
    client = docker_client(endpoint, timeout=120)
    try:

        def build() -> str:
            image_id = ""
            for chunk in client.build(
                fileobj=build_context,
                custom_context=True,
                tag=HELLO_TAG,
                rm=True,
                forcerm=True,
                decode=True,
                labels={HELLO_LABEL: "hello"},
            ):
                if "error" in chunk:
                    raise EvidenceError(f"build failed: {str(chunk['error']).strip()}")
                aux = chunk.get("aux") or {}
                image_id = aux.get("ID", image_id)
            return image_id or str(client.inspect_image(HELLO_TAG)["Id"])

        image_id = call(endpoint, build)
        code, output = call(endpoint, lambda: run_once(client, HELLO_TAG, []))
    finally:
        client.close()
    if code != 0:
        raise EvidenceError(f"{HELLO_TAG} exited with {code}: {output.strip()[:200]}")
    return ScratchBuild(image_id, HELLO_TAG, output)


def remove_scratch_example(endpoint: Endpoint) -> bool:
    """Remove the example image again; False when it was not there."""
    client = docker_client(endpoint)
    try:
        client.remove_image(HELLO_TAG, force=True)
        return True
    except Exception as exc:
        failure = classify(exc, endpoint.url)
        if failure.state is EngineState.NOT_FOUND:
            return False
        raise failure from exc
    finally:
        client.close()

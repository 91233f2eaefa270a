"""Live evidence on the viewer's own engine: a container's `uname -r` beside the host kernel,
what a base image's files contain (and that no kernel is among them), and a tiny image built
FROM scratch from a static binary the app ships.

Everything here runs only on the user's click, in a worker. Containers run with no network, a
read-only root, every capability dropped and a timeout, and are removed afterwards.
"""

from __future__ import annotations

import io
import platform
import tarfile
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from importlib import resources
from pathlib import Path
from typing import Any

from fromscratch.core.engine.endpoint import Endpoint
from fromscratch.core.engine.failures import EngineState, EngineUnavailable, classify
from fromscratch.core.graph.records import NodeKind

SAFETY: dict[str, Any] = {
    "network_mode": "none",
    "read_only": True,
    "cap_drop": ["ALL"],
    "security_opt": ["no-new-privileges"],
    "pids_limit": 64,
    "mem_limit": "64m",
}
"""Host config of every container the app runs."""
HELLO_TAG = "fromscratch/hello:latest"
HELLO_LABEL = "io.github.fromscratch.example"
ARCHES = {"x86_64": "x86_64", "amd64": "x86_64", "aarch64": "aarch64", "arm64": "aarch64"}


class EvidenceError(Exception):
    """The evidence could not be gathered; the message says why in one line."""


def api(endpoint: Endpoint, timeout: int = 60) -> Any:
    """docker-py's low-level client for `endpoint` (container operations go through it)."""
    import docker

    path = endpoint.socket_path
    if path is not None and not Path(path).exists():  # fail fast, and leak no half-made client
        raise EngineUnavailable(EngineState.NO_ENGINE, endpoint.url)
    try:
        tls: Any = False
        if endpoint.tls is not None:
            cert = (endpoint.tls.cert, endpoint.tls.key) if endpoint.tls.cert else None
            tls = docker.tls.TLSConfig(
                client_cert=cert, ca_cert=endpoint.tls.ca, verify=endpoint.tls.verify
            )
        return docker.APIClient(base_url=endpoint.url, tls=tls, timeout=timeout)
    except Exception as exc:
        raise classify(exc, endpoint.url) from exc


def _engine_call(endpoint: Endpoint, call: Callable[[], Any]) -> Any:
    try:
        return call()
    except (EvidenceError, EngineUnavailable):
        raise
    except Exception as exc:
        raise classify(exc, endpoint.url) from exc


def run_once(
    client: Any,
    image: str,
    command: list[str],
    timeout: float = 20.0,
    entrypoint: list[str] | None = None,
) -> tuple[int, str]:
    """Run `command` in a throwaway, locked-down container; (exit code, output). Always removed."""
    config = client.create_host_config(**SAFETY)
    created = client.create_container(
        image,
        command=command,
        entrypoint=entrypoint,
        host_config=config,
        network_disabled=True,
        labels={HELLO_LABEL: "run"},
    )
    container = created["Id"]
    try:
        try:
            client.start(container)
        except Exception as exc:
            text = str(exc)
            if "executable file not found" in text or "no such file or directory" in text:
                return 127, text
            raise
        try:
            result = client.wait(container, timeout=timeout)
        except Exception:
            client.kill(container)
            raise EvidenceError(f"{image}: no answer within {timeout:.0f} s") from None
        output = client.logs(container, stdout=True, stderr=True).decode(errors="replace")
        return int(result.get("StatusCode", -1)), output
    finally:
        client.remove_container(container, force=True)


@dataclass(frozen=True, slots=True)
class KernelProof:
    """A container's own answer to `uname -r`, next to what the engine reports for its host."""

    container_kernel: str
    host_kernel: str
    image: str

    @property
    def same(self) -> bool:
        return self.container_kernel == self.host_kernel


def prove_kernel(
    endpoint: Endpoint,
    candidates: Iterable[str],
    host_kernel: str,
    cancel: threading.Event | None = None,
) -> KernelProof:
    """`uname -r` in the first candidate image that has it (busybox, alpine, debian ...)."""
    client = api(endpoint)
    tried: list[str] = []
    try:
        for image in candidates:
            if cancel is not None and cancel.is_set():
                break
            tried.append(image)
            for entrypoint, command in ((["uname"], ["-r"]), (["/bin/busybox"], ["uname", "-r"])):
                code, out = _engine_call(
                    endpoint, partial(run_once, client, image, command, entrypoint=entrypoint)
                )
                if code == 0 and out.strip():
                    return KernelProof(out.strip().splitlines()[-1], host_kernel, image)
    finally:
        client.close()
    raise EvidenceError(
        "no local image has `uname` (tried " + (", ".join(tried[:5]) or "none") + "); "
        "pull or build one with a shell, such as busybox or alpine"
    )


def hello_binary(architecture: str) -> bytes | None:
    """The shipped static greeter for an engine architecture (`x86_64`, `aarch64` ...)."""
    arch = ARCHES.get(architecture.lower())
    if arch is None:
        return None
    return resources.files("fromscratch.resources").joinpath(f"bin/hello-{arch}").read_bytes()


DOCKERFILE = 'FROM scratch\nADD my_binary /\nCMD ["/my_binary"]\n'


@dataclass(frozen=True, slots=True)
class ScratchBuild:
    image_id: str
    tag: str
    output: str
    dockerfile: str = DOCKERFILE


def build_from_scratch(
    endpoint: Endpoint, architecture: str, cancel: threading.Event | None = None
) -> ScratchBuild:
    """Build `FROM scratch / ADD my_binary / CMD ["/my_binary"]` and run it once."""
    binary = hello_binary(architecture or platform.machine())
    if binary is None:
        raise EvidenceError(
            f"no static example binary for {architecture or 'this'} architecture "
            "(the app ships x86-64 and arm64)"
        )
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
    client = api(endpoint, timeout=120)
    try:

        def build() -> str:
            image_id = ""
            for chunk in client.build(
                fileobj=context,
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

        image_id = _engine_call(endpoint, build)
        code, output = _engine_call(endpoint, lambda: run_once(client, HELLO_TAG, []))
    finally:
        client.close()
    if code != 0:
        raise EvidenceError(f"{HELLO_TAG} exited with {code}: {output.strip()[:200]}")
    return ScratchBuild(image_id, HELLO_TAG, output)


def remove_scratch_example(endpoint: Endpoint) -> bool:
    """Remove the example image again; False when it was not there."""
    client = api(endpoint)
    try:
        client.remove_image(HELLO_TAG, force=True)
        return True
    except Exception as exc:
        state = classify(exc, endpoint.url)
        if state.state.name == "NOT_FOUND":
            return False
        raise state from exc
    finally:
        client.close()


def uname_candidates(tree: Any, limit: int = 12) -> list[str]:
    """Local images likely to have `uname`: known shells first (busybox, alpine, debian ...),
    then the smallest images big enough to hold a shell (a few kB cannot)."""
    preferred = ("busybox", "alpine", "debian", "ubuntu")
    tagged = [
        (attrs["tags"][0], int(attrs["size"] or 0))
        for _, attrs in tree.nodes(data=True)
        if attrs["kind"] == NodeKind.IMAGE and attrs["tags"] and attrs["layer_count"]
    ]

    def rank(item: tuple[str, int]) -> tuple[int, int]:
        tag, size = item
        repo = tag.split(":")[0].split("/")[-1]
        first = next((i for i, p in enumerate(preferred) if repo.startswith(p)), len(preferred))
        return (first, size)

    return [tag for tag, size in sorted(tagged, key=rank) if size >= 500_000][:limit]

"""Proof that a container has no kernel of its own: `uname -r` inside one, beside the kernel
the engine reports for its host."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import partial

from fromscratch.core.engine.client import docker_client
from fromscratch.core.engine.endpoint import Endpoint
from fromscratch.core.engine.failures import EngineState, EngineUnavailable
from fromscratch.core.evidence.containers import EvidenceError, call, run_once
from fromscratch.core.graph.records import NodeKind
from fromscratch.core.graph.tree import Tree
from fromscratch.core.task import TaskContext


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
    context: TaskContext | None = None,
) -> KernelProof:
    """`uname -r` in the first candidate image that has it (busybox, alpine, debian ...).

    An image the engine refuses to run (a container runtime's "permission denied", a seccomp
    or AppArmor refusal) or that does not answer is skipped for the next one, and said; an
    engine that cannot be reached at all stops the search."""
    context = context or TaskContext()
    client = docker_client(endpoint)
    tried: list[str] = []
    refusals: list[str] = []
    try:
        for image in candidates:
            if context.cancelled:
                break
            tried.append(image)
            for entrypoint, command in ((["uname"], ["-r"]), (["/bin/busybox"], ["uname", "-r"])):
                try:
                    code, out = call(
                        endpoint, partial(run_once, client, image, command, entrypoint=entrypoint)
                    )
                except EngineUnavailable as exc:
                    if exc.state is not EngineState.REFUSED:
                        raise
                    refusals.append(f"{image}: {exc.detail}")
                    break  # this image cannot run here: the next one may
                except EvidenceError as exc:  # it ran, and never answered
                    refusals.append(str(exc))
                    break
                if code == 0 and out.strip():
                    return KernelProof(out.strip().splitlines()[-1], host_kernel, image)
    finally:
        client.close()
    if refusals:
        raise EvidenceError(
            f"no local image could run `uname -r` here; the engine refused {len(refusals)} "
            f"(last: {refusals[-1]})"
        )
    raise EvidenceError(
        "no local image has `uname` (tried " + (", ".join(tried[:5]) or "none") + "); "
        "pull or build one with a shell, such as busybox or alpine"
    )


def reference(tree: Tree, node: str) -> str:
    """How to name a local image to the engine: its first tag, else its id."""
    tags = tree.nodes[node]["tags"]
    return str(tags[0]) if tags else node


def uname_candidates(tree: Tree, first: Sequence[str] = (), limit: int = 12) -> list[str]:
    """Where to run `uname -r`: the images `first` names (the selected one, the pictured ones:
    local image nodes, in that order), then local images likely to have `uname`, known shells
    first (busybox, alpine, debian ...), then the smallest big enough to hold a shell."""
    chosen = [
        reference(tree, node)
        for node in dict.fromkeys(first)
        if node in tree and tree.nodes[node]["kind"] == NodeKind.IMAGE
    ]
    rest = [ref for ref in _likely(tree) if ref not in chosen]
    return [*chosen, *rest][: max(limit, len(chosen))]


def _likely(tree: Tree) -> list[str]:
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

    return [tag for tag, size in sorted(tagged, key=rank) if size >= 500_000]

"""What an image's files hold, summarised without running anything: sizes by top-level
directory, the package manager, the OS release, and whether a kernel is among them (it never
is in a base image: that is the point). Read from the engine by creating a container (never
started), exporting its filesystem as a tar stream, and removing it.
"""

from __future__ import annotations

import heapq
import io
import json
import logging
import os
import tarfile
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from fromscratch.core.engine.client import docker_client
from fromscratch.core.engine.endpoint import Endpoint
from fromscratch.core.evidence.containers import HELLO_LABEL, call
from fromscratch.core.files import atomic_write
from fromscratch.core.formats.inventory import plural
from fromscratch.core.task import TaskContext

log = logging.getLogger(__name__)

PACKAGE_MANAGERS = (
    ("usr/bin/apt", "apt (Debian/Ubuntu)"),
    ("usr/bin/dpkg", "dpkg"),
    ("sbin/apk", "apk (Alpine)"),
    ("usr/bin/dnf", "dnf"),
    ("usr/bin/microdnf", "microdnf"),
    ("usr/bin/yum", "yum"),
    ("usr/bin/rpm", "rpm"),
    ("usr/bin/pacman", "pacman"),
    ("usr/bin/zypper", "zypper"),
)


@dataclass(frozen=True, slots=True)
class Contents:
    """An image's files summarised by top-level directory, and what that proves."""

    image_id: str
    dirs: tuple[tuple[str, int], ...]
    """(top-level directory, bytes), largest first; files at the root count under "/"."""
    files: int
    package_managers: tuple[str, ...]
    kernel_files: tuple[str, ...] = ()
    """/boot/vmlinuz*, /lib/modules/... when present (a kernel *package*, still not running)."""
    os_release: str = ""
    executables_at_root: tuple[str, ...] = field(default=())
    largest: tuple[tuple[str, int], ...] = field(default=())
    """The biggest files ("/bin/busybox", bytes), largest first: what the image mostly is."""
    links: int = 0
    """Symbolic and hard links (busybox's 400 commands are links to one file)."""

    @property
    def counted(self) -> str:
        """`1 file and 400 links`, `2,113 files`: what `files` and `links` count."""
        text = plural(self.files, "file")
        return text + (f" and {plural(self.links, 'link')}" if self.links else "")

    @property
    def has_kernel(self) -> bool:
        return bool(self.kernel_files)

    @property
    def verdict(self) -> str:
        if self.files == 0:
            return "empty: no files at all (this is scratch)"
        if self.has_kernel:
            return (
                "kernel files present (" + ", ".join(self.kernel_files[:2]) + "), but a "
                "container never boots them: it runs on the host's kernel"
            )
        return "no kernel in this image: no /boot/vmlinuz*, no /lib/modules"

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @staticmethod
    def from_json(data: dict[str, Any]) -> Contents:
        return Contents(
            image_id=str(data["image_id"]),
            dirs=tuple((str(d), int(s)) for d, s in data["dirs"]),
            files=int(data["files"]),
            package_managers=tuple(data["package_managers"]),
            kernel_files=tuple(data.get("kernel_files", ())),
            os_release=str(data.get("os_release", "")),
            executables_at_root=tuple(data.get("executables_at_root", ())),
            largest=tuple((str(n), int(s)) for n, s in data.get("largest", ())),
            links=int(data.get("links", 0)),
        )


def summarise_tar(
    image_id: str, stream: io.BufferedIOBase | Any, context: TaskContext | None = None
) -> Contents:
    """Summarise an exported (flattened) filesystem tar without unpacking it."""
    sizes: dict[str, int] = {}
    names: set[str] = set()
    kernel: list[str] = []
    root_exec: list[str] = []
    largest: list[tuple[int, str]] = []
    os_release = ""
    files = links = 0
    with tarfile.open(fileobj=stream, mode="r|") as tar:
        for member in tar:
            if context is not None and context.cancelled:
                break
            name = member.name.removeprefix("./").lstrip("/")
            if not name or (member.size == 0 and _runtime_file(name)):
                continue
            top = name.split("/", 1)[0] if "/" in name else "/"
            if member.isfile():
                files += 1
                heapq.heappush(largest, (member.size, "/" + name))
                if len(largest) > 5:
                    heapq.heappop(largest)
                sizes[top] = sizes.get(top, 0) + member.size
                if top == "/" and member.mode & 0o111:
                    root_exec.append(name)
            if member.issym() or member.islnk():
                links += 1
            if member.isfile() or member.issym():
                names.add(name)
            if name.startswith("boot/vmlinuz") or (
                name.startswith(("lib/modules/", "usr/lib/modules/")) and name.count("/") >= 3
            ):
                kernel.append("/" + name)
            if name in ("etc/os-release", "usr/lib/os-release") and member.isfile():
                handle = tar.extractfile(member)
                if handle is not None:
                    os_release = _pretty_name(handle.read(65536).decode(errors="replace"))
    managers = tuple(label for path, label in PACKAGE_MANAGERS if path in names)
    dirs = tuple(sorted(sizes.items(), key=lambda kv: (-kv[1], kv[0])))
    return Contents(
        image_id,
        dirs,
        files,
        managers,
        tuple(sorted(kernel)[:20]),
        os_release,
        tuple(root_exec),
        tuple((n, s) for s, n in sorted(largest, reverse=True)),
        links,
    )


_RUNTIME_FILES = {".dockerenv", "etc/hostname", "etc/hosts", "etc/resolv.conf", "etc/mtab"}


def _runtime_file(name: str) -> bool:
    """Empty files and mount points the engine adds to every container, not the image's."""
    return name in _RUNTIME_FILES or name.split("/", 1)[0] in ("dev", "proc", "sys")


def _pretty_name(text: str) -> str:
    for line in text.splitlines():
        if line.startswith("PRETTY_NAME="):
            return line.split("=", 1)[1].strip().strip('"')
    return ""


class ContentsCache:
    """Contents summaries by image id (content addresses never change)."""

    def __init__(self, root: Path) -> None:
        self.root = root / "contents"

    def get(self, image_id: str) -> Contents | None:
        """The summary, or None when not cached or damaged (then it is gathered again)."""
        file = self.root / _file(image_id)
        try:
            return Contents.from_json(json.loads(file.read_text()))
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError):
            log.warning("ignoring damaged contents cache entry %s", file)
            return None

    def summaries(self, image_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """The cached summaries of these images, as snapshots keep them (one listing of the
        folder, not one look per image: a host has thousands)."""
        try:
            names = {entry.name for entry in os.scandir(self.root)}
        except OSError:
            return {}
        found: dict[str, dict[str, Any]] = {}
        for image_id in image_ids:
            if _file(image_id) in names:
                summary = self.get(image_id)
                if summary is not None:
                    found[image_id] = summary.to_json()
        return found

    def put(self, contents: Contents) -> None:
        """Store atomically; a cache that cannot be written is only slower (logged)."""
        file = self.root / _file(contents.image_id)
        try:
            atomic_write(file, json.dumps(contents.to_json()).encode(), durable=False)
        except OSError as exc:
            log.warning("cannot cache the contents of %s: %s", contents.image_id, exc)


def _file(image_id: str) -> str:
    return image_id.replace(":", "_").replace("/", "_") + ".json"


def image_contents(
    endpoint: Endpoint,
    image_id: str,
    cache: ContentsCache | None = None,
    context: TaskContext | None = None,
) -> Contents:
    """Create a container (never started), export its filesystem, summarise, remove it."""
    if cache is not None:
        hit = cache.get(image_id)
        if hit is not None:
            return hit
    client = docker_client(endpoint, timeout=300)
    try:
        created = call(
            endpoint,
            lambda: client.create_container(
                image_id,
                command=["/nothing-runs"],
                network_disabled=True,
                labels={HELLO_LABEL: "contents"},
            ),
        )
        container = created["Id"]
        try:
            response = call(endpoint, lambda: client.export(container, chunk_size=None))
            contents = summarise_tar(image_id, _ChunkReader(response), context)
        finally:
            call(endpoint, lambda: client.remove_container(container, force=True))
    finally:
        client.close()
    if cache is not None and (context is None or not context.cancelled):
        cache.put(contents)
    return contents


class _ChunkReader(io.RawIOBase):
    """A file-like view of docker-py's streamed export (an iterator of byte chunks)."""

    def __init__(self, chunks: Any) -> None:
        self._chunks = iter(chunks)
        self._buffer = b""

    def readable(self) -> bool:
        return True

    def readinto(self, target: Any) -> int:
        while not self._buffer:
            try:
                self._buffer = next(self._chunks)
            except StopIteration:
                return 0
        size = min(len(target), len(self._buffer))
        target[:size] = self._buffer[:size]
        self._buffer = self._buffer[size:]
        return size

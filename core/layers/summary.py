"""What an image's files hold, summarised from its merged layers without running anything:
sizes by top-level folder, how many executables, libraries and config files, the package
manager and the OS release found in the files, and whether a kernel is among them (it never
is in a base image: that is the point, proved on the file list)."""

from __future__ import annotations

import heapq
import posixpath
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from fromscratch.core.formats.inventory import plural
from fromscratch.core.layers.entries import EntryType

if TYPE_CHECKING:  # the story's picture imports Contents at launch: not the readers
    from fromscratch.core.layers.cache import LayerCache
    from fromscratch.core.layers.merged import Placed
    from fromscratch.core.layers.tarindex import LayerIndex

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
    executables: int = 0
    """Files with an execute bit."""
    libraries: int = 0
    """Shared and static libraries (`*.so`, `*.so.N`, `*.a`)."""
    configs: int = 0
    """Files under /etc."""

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
            executables=int(data.get("executables", 0)),
            libraries=int(data.get("libraries", 0)),
            configs=int(data.get("configs", 0)),
        )


def _is_library(path: str) -> bool:
    name = posixpath.basename(path)
    return (".so" in name and (name.endswith(".so") or ".so." in name)) or name.endswith(".a")


def _is_kernel(path: str) -> bool:
    return path.startswith("boot/vmlinuz") or (
        path.startswith(("lib/modules/", "usr/lib/modules/")) and path.count("/") >= 3
    )


def _release_text(merged: Mapping[str, Placed], layers: Sequence[LayerIndex]) -> str:
    """PRETTY_NAME of the os-release the image holds (Debian's etc/os-release is a link to
    ../usr/lib/os-release), as the layer that wrote it last kept its words; without one, NAME
    and VERSION, as os-release(5) says a reader falls back."""
    for path in ("etc/os-release", "usr/lib/os-release"):
        placed = merged.get(path)
        if placed is None:
            continue
        if placed.entry.type == EntryType.SYMLINK:
            target = posixpath.normpath(posixpath.join("etc", placed.entry.link)).lstrip("/")
            placed = merged.get(target)
            path = target
            if placed is None:
                continue
        text = dict(layers[placed.layer].texts).get(path, "")
        fields = {}
        for line in text.splitlines():
            key, equals, value = line.partition("=")
            if equals:
                fields[key.strip()] = value.strip().strip("\"'")
        named = " ".join(v for v in (fields.get("NAME"), fields.get("VERSION")) if v)
        return fields.get("PRETTY_NAME") or named
    return ""


def summarise(
    image_id: str, merged: Mapping[str, Placed], layers: Sequence[LayerIndex]
) -> Contents:
    """The summary of an image whose merged files are `merged` (core.layers.merged)."""
    sizes: dict[str, int] = {}
    kernel: list[str] = []
    root_exec: list[str] = []
    largest: list[tuple[int, str]] = []
    files = links = executables = libraries = configs = 0
    for path, placed in merged.items():
        entry = placed.entry
        top = path.split("/", 1)[0] if "/" in path else "/"
        if entry.type == EntryType.FILE:
            files += 1
            heapq.heappush(largest, (entry.size, "/" + path))
            if len(largest) > 5:
                heapq.heappop(largest)
            sizes[top] = sizes.get(top, 0) + entry.size
            if entry.mode & 0o111:
                executables += 1
                if top == "/":
                    root_exec.append(path)
            if _is_library(path):
                libraries += 1
            if path.startswith("etc/"):
                configs += 1
        elif entry.type in (EntryType.SYMLINK, EntryType.HARDLINK):
            links += 1
        if _is_kernel(path):
            kernel.append("/" + path)
    names = {p for p, placed in merged.items() if placed.entry.type != EntryType.DIR}
    managers = tuple(label for path, label in PACKAGE_MANAGERS if path in names)
    return Contents(
        image_id,
        tuple(sorted(sizes.items(), key=lambda kv: (-kv[1], kv[0]))),
        files,
        managers,
        tuple(sorted(kernel)[:20]),
        _release_text(merged, layers),
        tuple(sorted(root_exec)),
        tuple((n, s) for s, n in sorted(largest, reverse=True)),
        links,
        executables,
        libraries,
        configs,
    )


def cached_summary(image_id: str, diff_ids: Sequence[str], cache: LayerCache) -> Contents | None:
    """The summary of an image whose every layer the cache holds (offline too), else None."""
    if not all(cache.has(d) for d in diff_ids):
        return None
    layers = [cache.get(d) for d in diff_ids]
    if any(layer is None for layer in layers):
        return None  # damaged meanwhile: read again from a source another time
    kept = [layer for layer in layers if layer is not None]
    from fromscratch.core.layers.merged import merge

    return summarise(image_id, merge(kept), kept)

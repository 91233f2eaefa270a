"""What the kernel view's boxes say, from real data: the host kernel and OS, and for each
container (running ones; else a few local images) its image and the base user space it comes
from ("Debian 12 user space"). Live, from a snapshot, or from the sample: whatever was opened.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fromscratch.core.formats.inventory import Inventory, plural
from fromscratch.core.formats.names import main_tag
from fromscratch.core.graph.records import SCRATCH_ID, NodeKind
from fromscratch.core.graph.tree import Tree, ancestry, generations
from fromscratch.core.layers.summary import Contents
from fromscratch.core.text import format_size, printable

if TYPE_CHECKING:
    from fromscratch.core.story.steps import TreeAction

_DISTROS = {
    "debian": "Debian",
    "ubuntu": "Ubuntu",
    "alpine": "Alpine Linux",
    "busybox": "BusyBox",
    "fedora": "Fedora",
    "centos": "CentOS",
    "rockylinux": "Rocky Linux",
    "almalinux": "AlmaLinux",
    "amazonlinux": "Amazon Linux",
    "archlinux": "Arch Linux",
    "opensuse": "openSUSE",
    "oraclelinux": "Oracle Linux",
    "photon": "Photon OS",
    "wolfi": "Wolfi",
    "gentoo": "Gentoo",
    "clearlinux": "Clear Linux",
    "mageia": "Mageia",
    "registry.access.redhat.com/ubi9": "RHEL UBI",
}
_RELEASES = {
    "bookworm": "12",
    "bullseye": "11",
    "trixie": "13",
    "noble": "24.04",
    "jammy": "22.04",
    "focal": "20.04",
}


@dataclass(frozen=True, slots=True)
class Box:
    """One container (or image) in the picture."""

    title: str
    """The container's name, or the image's tag."""
    image: str
    userspace: str
    """E.g. "Debian 12 user space", "no user space: one static binary"."""
    base: str
    """Node id of its base (the child of scratch on its chain), for pointing into the tree."""
    running: bool
    node: str = ""
    """The image's node id in the tree."""
    holds: str = ""
    """What its user space holds: read from the image's files when they were summarised
    (What FROM gives you), else the typical case, said to be typical."""

    @property
    def app(self) -> str:
        """What its app box says: a container's name and the image it runs, or the image."""
        if self.running and self.image and self.image != self.title:
            return f"{self.title} · {self.image}"
        return self.title


@dataclass(frozen=True, slots=True)
class Picture:
    kernel: str
    """The host kernel version; empty when the source does not say."""
    system: str
    """Where that kernel runs: the engine's OperatingSystem (Docker Desktop's VM, say)."""
    recorded: bool
    """True when the kernel comes from a snapshot or the sample, not a live engine."""
    boxes: tuple[Box, ...]


def userspace_of(tag: str, layer_count: int) -> str:
    """A readable name for the user space a base image brings."""
    if not tag:
        return "unknown user space"
    name, _, version = tag.rpartition(":") if ":" in tag.split("/")[-1] else (tag, "", "latest")
    repo = name.split("/")[-1]
    if repo == "hello-world" or (layer_count == 1 and repo in ("hello-world", "scratch")):
        return "no user space: one static binary"
    distro = _DISTROS.get(repo) or _DISTROS.get(name)
    if distro is None:
        return f"{tag} user space"
    release = _RELEASES.get(version.split("-")[0], version.split("-")[0])
    release = "" if release in ("latest", "stable") else release
    if distro == "BusyBox":
        return "BusyBox: one static binary and its links"
    return f"{distro} {release} user space".replace("  ", " ")


def base_of(tree: Tree, node: str) -> str:
    """The node just above scratch on `node`'s chain (itself for a base image)."""
    chain = ancestry(tree, node)
    return chain[-2] if len(chain) >= 2 and chain[-1] == SCRATCH_ID else node


def tree_target(
    tree: Tree, picture: Picture, selected: str | None, action: TreeAction
) -> str | None:
    """The node a story step's tree action points at (core.story.steps): scratch, or the
    base of the selected image, else of the picture's first box."""
    from fromscratch.core.story.steps import TreeAction  # the story: not at launch

    if action is TreeAction.SCRATCH:
        return SCRATCH_ID
    if action is not TreeAction.SELECT_BASE:
        return None
    node = selected
    if node is None or node not in tree:
        node = picture.boxes[0].base if picture.boxes else None
    return base_of(tree, node) if node is not None else None


def lowest_image(tree: Tree, node: str) -> str:
    """The local image closest to scratch on `node`'s chain (inferred bases are not local)."""
    for current in reversed(ancestry(tree, node)):
        if tree.nodes[current]["kind"] == NodeKind.IMAGE:
            return current
    return SCRATCH_ID


def _box(
    tree: Tree,
    node: str,
    title: str,
    *,
    running: bool,
    contents: Mapping[str, Mapping[str, Any]] | None = None,
) -> Box:
    base = base_of(tree, node)
    # An inferred base is not local and its label is a build step, not a name: the user
    # space is named after the lowest local image on the chain, which the user can inspect.
    named = base if tree.nodes[base]["kind"] != NodeKind.VIRTUAL else lowest_image(tree, node)
    attrs = tree.nodes[named]
    tag = main_tag(attrs["tags"]) if attrs["tags"] else str(attrs["label"])
    label = str(tree.nodes[node]["label"])
    userspace = userspace_of(tag, int(attrs["layer_count"]))
    kept = (contents or {}).get(named)
    if kept is not None and kept.get("os_release"):  # what the image says beats its tag
        userspace = f"{printable(str(kept['os_release']))} user space"  # its words, escaped
    known = kept or (contents or {}).get(node)
    summary = Contents.from_json(dict(known)) if known is not None else None
    return Box(title, label, userspace, base, running, node, holds_of(summary, userspace))


def holds_of(summary: Contents | None, userspace: str) -> str:
    """One line on what a user space holds: from its files when summarised, else typical."""
    if summary is None:
        if "static binary" in userspace:
            return "typically one static binary · never a kernel"
        return "typically /bin /lib /etc /usr, a package manager · never a kernel"
    dirs = [(d, size) for d, size in summary.dirs if d not in ("/", "")]
    shown = ", ".join(f"/{printable(d.strip('/'))} {format_size(size)}" for d, size in dirs[:3])
    programs, libraries = summary.executables, summary.libraries
    counts = [plural(programs, "program")] if programs else []
    if libraries:
        counts.append(f"{libraries:,} librar{'y' if libraries == 1 else 'ies'}")
    managers = ", ".join(summary.package_managers)
    kernel = "kernel files, never booted" if summary.kernel_files else "no kernel"
    parts = [p for p in (shown or "no folders", ", ".join(counts), managers) if p]
    return " · ".join([*parts, kernel])


def picture_of(inventory: Inventory, tree: Tree, *, live: bool, limit: int = 6) -> Picture:
    """Boxes for the running containers, else for a few local images (small ones first)."""
    engine = inventory.engine
    boxes: list[Box] = []
    for container in inventory.containers:
        if container.state == "running" and container.image_id in tree:
            name = container.names[0] if container.names else container.id[:12]
            boxes.append(
                _box(tree, container.image_id, name, running=True, contents=inventory.contents)
            )
    if not boxes:
        images = [n for n, a in tree.nodes(data=True) if a["kind"] == NodeKind.IMAGE and a["tags"]]
        places = generations(tree)
        far = (0, "")
        images.sort(
            key=lambda n: (
                tree.nodes[n]["dangling"],
                -places.get(n, far)[0],
                str(tree.nodes[n]["label"]),
            )
        )
        seen: set[str] = set()
        for node in images:  # one per base user space first, so the picture shows variety
            base = places.get(node, far)[1]
            if base in seen:
                continue
            seen.add(base)
            label = tree.nodes[node]["label"]
            boxes.append(_box(tree, node, label, running=False, contents=inventory.contents))
        for node in images:
            if len(boxes) >= limit:
                break
            if all(b.image != tree.nodes[node]["label"] for b in boxes):
                label = tree.nodes[node]["label"]
                boxes.append(_box(tree, node, label, running=False, contents=inventory.contents))
    return Picture(
        engine.kernel_version,
        engine.operating_system or engine.os_type,
        not live,
        tuple(boxes[:limit]),
    )


def short_kernel(version: str) -> str:
    """`6.1.0-18-amd64` stays; very long vendor strings are cut for a box label."""
    return version if len(version) <= 28 else re.sub(r"^(\S{1,27}).*$", r"\1…", version)

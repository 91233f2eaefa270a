"""The story the kernel view tells, as data: each step has a title, a few sentences and the
scene state it shows, so the view, the presentation mode and the tests share one narrative.

It follows the newcomer's blocker: "if containers need no OS, why does every Dockerfile start
FROM ubuntu?" -> a VM abstracts hardware -> a container abstracts the application (and scaling
up adds no kernel) -> kernel space vs user space -> what FROM ubuntu gives -> FROM scratch ->
your own images.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Layout(StrEnum):
    VMS = "vms"
    """Each VM with its own guest kernel, on a hypervisor."""
    CONTAINERS = "containers"
    """One shared host kernel under every container."""


class Highlight(StrEnum):
    """What a step emphasises in the picture."""

    HYPERVISOR = "hypervisor"
    GUEST_KERNELS = "guest-kernels"
    KERNEL = "kernel"
    USERSPACE = "userspace"
    LINE = "line"
    """The line between kernel space and user space."""
    APP = "app"
    SCRATCH = "scratch"
    """The FROM-scratch example's one binary."""


class TreeAction(StrEnum):
    """Where a step points in the tree view."""

    NONE = ""
    SELECT_BASE = "select-base"
    """The base of the selected image (else of the picture's first box)."""
    SCRATCH = "scratch"


@dataclass(frozen=True, slots=True)
class SceneState:
    """What the scene shows at one step."""

    layout: Layout
    boxes: int = 3
    """How many VMs or containers stand on the stack."""
    split_line: bool = False
    """Draw the line between kernel space and user space."""
    highlight: tuple[Highlight, ...] = ()
    syscall: bool = False
    """Animate a system call from a container's process into the shared kernel and back."""
    userspace_detail: bool = False
    """Open one user space to show what an image carries (bin, lib, etc, a package manager)."""
    scratch: bool = False
    """One container is the FROM-scratch example: a single static binary, nothing else."""
    tree_action: TreeAction = TreeAction.NONE


@dataclass(frozen=True, slots=True)
class Step:
    key: str
    title: str
    text: str
    state: SceneState


STORY: tuple[Step, ...] = (
    Step(
        "question",
        "If containers need no OS, why FROM ubuntu?",
        "Containers are said to need no operating system. Yet almost every Dockerfile begins "
        "with FROM ubuntu, FROM debian or FROM alpine. Both are true, once you split an "
        "operating system in two: the kernel, and everything else.",
        SceneState(Layout.VMS, boxes=3),
    ),
    Step(
        "vm",
        "A virtual machine abstracts the hardware",
        "A hypervisor pretends to be a whole computer. Each VM on it boots its own kernel, "
        "then its own user space, then the app. Three VMs: three kernels.",
        SceneState(Layout.VMS, boxes=3, highlight=(Highlight.HYPERVISOR, Highlight.GUEST_KERNELS)),
    ),
    Step(
        "container",
        "A container abstracts the application",
        "Take away the guest kernels: every container is a group of ordinary processes of "
        "the host, fenced off by the host's own kernel. What stays with each app is its user "
        "space: the files of its image.",
        SceneState(Layout.CONTAINERS, boxes=3, highlight=(Highlight.KERNEL,)),
    ),
    Step(
        "scale-up",
        "Scaling up adds containers, not kernels",
        "Start three more containers, or three hundred: the kernel stays one. This is why "
        "containers start in milliseconds and cost megabytes: nothing boots.",
        SceneState(Layout.CONTAINERS, boxes=6, highlight=(Highlight.KERNEL,)),
    ),
    Step(
        "kernel-user",
        "Kernel space and user space",
        "Below the line, the kernel: it drives the hardware, schedules processes and owns "
        "files, memory and network. Above it, user space: programs and the libraries they "
        "use. A program crosses the line only by a system call, such as open or write.",
        SceneState(
            Layout.CONTAINERS, boxes=3, split_line=True, highlight=(Highlight.LINE,), syscall=True
        ),
    ),
    Step(
        "from-ubuntu",
        "What FROM ubuntu actually gives you",
        "An image is user space only: /bin, /lib, /etc, a shell, libc and a package manager. "
        "No /boot, no kernel, no drivers. FROM ubuntu means: start from Ubuntu's files. The "
        "kernel is whichever the host runs.",
        SceneState(
            Layout.CONTAINERS,
            boxes=3,
            split_line=True,
            highlight=(Highlight.USERSPACE,),
            userspace_detail=True,
            tree_action=TreeAction.SELECT_BASE,
        ),
    ),
    Step(
        "scratch",
        "FROM scratch: the empty root",
        "Every chain of images ends at scratch, the empty image. A static program needs "
        'nothing from it: FROM scratch, ADD my_binary /, CMD ["/my_binary"] is a complete '
        "image, and it still runs, because the kernel comes from the host.",
        SceneState(
            Layout.CONTAINERS,
            boxes=3,
            split_line=True,
            highlight=(Highlight.SCRATCH,),
            scratch=True,
            tree_action=TreeAction.SCRATCH,
        ),
    ),
    Step(
        "your-images",
        "Your own images",
        "Your images stack their layers on a base, and the base on scratch. The tree shows "
        "which of your bytes are Debian's or Alpine's, and which are yours, all of them "
        "user space, all sharing this machine's one kernel.",
        SceneState(
            Layout.CONTAINERS,
            boxes=3,
            split_line=True,
            highlight=(Highlight.USERSPACE, Highlight.KERNEL),
            tree_action=TreeAction.SELECT_BASE,
        ),
    ),
)


def step_index(key: str) -> int:
    """Position of the step named `key`."""
    for index, step in enumerate(STORY):
        if step.key == key:
            return index
    raise KeyError(key)

"""The animated picture of kernel space and user space: VMs with their own kernels morphing
into containers on one shared kernel. Vector items in a fixed 1600 x 900 scene, scaled to any
window, so it stays crisp on a projector.

Each story step (core.story.steps) is a target state; :meth:`KernelScene.show_state` animates every
block to where that state puts it (or jumps there with reduced motion).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import (
    QEasingCurve,
    QObject,
    QParallelAnimationGroup,
    QPointF,
    QPropertyAnimation,
    QRectF,
    QSequentialAnimationGroup,
)
from PySide6.QtGui import QPixmapCache
from PySide6.QtWidgets import (
    QGraphicsScene,
)

from fromscratch.core.story.picture import Picture, short_kernel
from fromscratch.core.story.steps import Highlight, Layout, SceneState
from fromscratch.gui import palette
from fromscratch.gui.kernel.items import (
    LINE_Y,
    MAX_BOXES,
    Block,
    BlockKind,
    Caption,
    Dot,
    H,
    Line,
    W,
)


@dataclass(frozen=True, slots=True)
class Target:
    """Where a block should be, how visible, and what it says."""

    rect: QRectF
    opacity: float = 1.0
    text: str = ""
    sub: str = ""


BLOCK_KINDS = {
    "hardware": BlockKind.HARDWARE,
    "hypervisor": BlockKind.HYPERVISOR,
    "frame": BlockKind.FRAME,
    "guest": BlockKind.KERNEL,
    "kernel": BlockKind.KERNEL,
    "engine": BlockKind.ENGINE,
    "space": BlockKind.USERSPACE,
    "app": BlockKind.APP,
    "scratchbox": BlockKind.FRAME,
    "binary": BlockKind.BINARY,
}
"""A block's kind by its name without its number (`guest2` is a kernel)."""
LIGHTS: dict[Highlight, BlockKind | None] = {
    Highlight.HYPERVISOR: BlockKind.HYPERVISOR,
    Highlight.GUEST_KERNELS: BlockKind.KERNEL,
    Highlight.KERNEL: BlockKind.KERNEL,
    Highlight.USERSPACE: BlockKind.USERSPACE,
    Highlight.APP: BlockKind.APP,
    Highlight.SCRATCH: BlockKind.BINARY,
    Highlight.LINE: None,  # no block: the line itself (Line.emphasis)
}
"""Which blocks a step's highlight emphasises; every Highlight is here (a test holds it)."""
LEFT, RIGHT = 230.0, W - 40.0
"""Blocks stand between these; the left margin carries the line's labels."""


def _columns(
    count: int, left: float = LEFT, right: float = RIGHT, *, first: int = 1
) -> list[tuple[float, float]]:
    """(x, width) of `count` evenly spaced columns; the first `first` columns wide."""
    gap = 22.0
    units = count - 1 + first
    unit = (right - left - gap * (units - 1)) / units
    out, x = [], left
    for i in range(count):
        span = first if i == 0 else 1
        width = unit * span + gap * (span - 1)
        out.append((x, width))
        x += width + gap
    return out


def _short(userspace: str) -> str:
    """ "Debian 12 user space" under a "user space" title reads "Debian 12"."""
    return userspace.removesuffix(" user space")


def _phrases(text: str) -> str:
    """Lines break between the " · " parts only: "no kernel" never splits over two lines."""
    return " · ".join(part.replace(" ", "\u00a0") for part in text.split(" · "))


def _full(top: float, height: float) -> QRectF:
    return QRectF(LEFT, top, RIGHT - LEFT, height)


def targets(state: SceneState, picture: Picture) -> dict[str, Target]:
    """Where every named block goes in `state`. Names not returned fade out."""
    out: dict[str, Target] = {}
    kernel = short_kernel(picture.kernel) if picture.kernel else "(version not recorded here)"
    source = ("recorded" if picture.recorded else "live") if picture.kernel else ""
    out["hardware"] = Target(_full(812, 62), text="hardware", sub="CPU, memory, disks, network")
    boxes = picture.boxes
    if state.layout is Layout.VMS:
        out["hypervisor"] = Target(
            _full(728, 70), text="hypervisor", sub="pretends to be a whole computer, once per VM"
        )
        for i, (x, width) in enumerate(_columns(state.boxes)):
            box = boxes[i] if i < len(boxes) else None
            out[f"frame{i}"] = Target(QRectF(x - 8, 196, width + 16, 520), text=f"VM {i + 1}")
            out[f"guest{i}"] = Target(
                QRectF(x, 590, width, 112), text="guest kernel", sub="boots with the VM"
            )
            out[f"space{i}"] = Target(
                QRectF(x, 380, width, 160),
                text="user space",
                sub=_short(box.userspace) if box else "",
            )
            out[f"app{i}"] = Target(
                QRectF(x, 250, width, 116), text="app", sub=box.image if box else ""
            )
        return out
    system = (
        f"{picture.system} · {source}" if picture.system and source else picture.system or source
    )
    out["kernel"] = Target(
        _full(640, 156),
        text=f"host kernel {kernel}",
        sub=system or "one kernel for every container",
    )
    out["engine"] = Target(_full(548, 62), text="container engine: ordinary processes too")
    count = min(state.boxes, MAX_BOXES)
    # "What FROM gives you": the first user space says what its files hold, in two columns
    wide = 2 if state.userspace_detail and count > 1 else 1
    for i, (x, width) in enumerate(_columns(count, first=wide)):
        box = boxes[i] if i < len(boxes) else None  # each container once; more are unnamed
        title = box.userspace if box else "user space"
        if state.scratch and i == 0:
            out["scratchbox"] = Target(
                QRectF(x, 250, width, 290), text="FROM scratch", sub="empty, plus one file"
            )
            out["binary"] = Target(
                QRectF(x + 16, 380, width - 32, 110),
                text="my_binary",
                sub="static: talks straight to the kernel",
            )
            continue
        detail = state.userspace_detail and i == 0
        # "What FROM gives you": the user spaces grow upwards to say what the files hold
        space_top, app_top = (258, 130) if wide > 1 else (380, 250)
        out[f"space{i}"] = Target(
            QRectF(x, space_top, width, 540 - space_top),
            text=title if detail else "user space",
            sub=_phrases(box.holds if box else "") if detail else (_short(title) if box else ""),
        )
        out[f"app{i}"] = Target(  # a box beyond the running containers: the step's "more"
            QRectF(x, app_top, width, 116), text="app", sub=box.app if box else "one more"
        )
    return out


class KernelScene(QGraphicsScene):
    """The blocks, the line and the syscall dot; animates between story states."""

    DURATION = 900

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSceneRect(0, 0, W, H)
        self.setBackgroundBrush(palette.BACKGROUND)
        # Items cache their pictures in QPixmapCache (10 MB by default). At 3840x2160 the
        # blocks alone need ~40 MB; without room every frame re-rendered them (27 ms a frame).
        QPixmapCache.setCacheLimit(max(QPixmapCache.cacheLimit(), 192 * 1024))
        self.blocks: dict[str, Block] = {}
        self.line = Line()
        self.dot = Dot()
        self.caption = Caption()
        self.addItem(self.caption)
        self.addItem(self.line)
        self.addItem(self.dot)
        self.reduced_motion = False
        self.text_px = 0
        self.units_per_px = 1.0
        self.text_floor = 0.0
        """Presenting: the least text size in scene units (items.text_floor)."""
        self.state: SceneState | None = None
        self._group: QParallelAnimationGroup | None = None
        self._syscall: QSequentialAnimationGroup | None = None

    def set_text_px(self, pixels: int, *, units_per_px: float | None = None) -> None:
        """Presenting: no text in the picture under `pixels` logical pixels on screen (0:
        none); `units_per_px` is the view's scene units per logical pixel (its scale)."""
        if units_per_px is not None:
            self.units_per_px = units_per_px
        floor = pixels * self.units_per_px
        if (pixels, floor) == (self.text_px, self.text_floor):
            return
        self.text_px, self.text_floor = pixels, floor
        for item in (*self.blocks.values(), self.line, self.dot, self.caption):
            item.update()

    def stop(self) -> None:
        """Stop every animation (the view is going away, or the app quits)."""
        self._stop()

    def _block(self, name: str) -> Block:
        block = self.blocks.get(name)
        if block is None:
            kind = BLOCK_KINDS["".join(c for c in name if not c.isdigit())]
            block = Block(name, kind)
            block.setZValue(0 if kind is BlockKind.FRAME else 1)
            self.addItem(block)
            self.blocks[name] = block
        return block

    def show_state(self, state: SceneState, picture: Picture, *, animate: bool = True) -> None:
        """Move every block to its place in `state`."""
        previous, self.state = self.state, state
        wanted = targets(state, picture)
        morphing = (
            previous is not None
            and previous.layout is Layout.VMS
            and state.layout is Layout.CONTAINERS
        )
        if morphing:  # guest kernels slide down into the one host kernel and melt into it
            host = wanted["kernel"].rect
            for name in [n for n in self.blocks if n.startswith("guest")]:
                now = self.blocks[name].get_rect()  # same size: only moves, so stays cached
                wanted.setdefault(
                    name,
                    Target(
                        QRectF(now.left(), host.top() + 20, now.width(), now.height()),
                        0.0,
                        "guest kernel",
                    ),
                )
        self._stop()
        group = QParallelAnimationGroup(self)
        duration = 0 if (self.reduced_motion or not animate) else self.DURATION
        for name, target in wanted.items():
            block = self._block(name)
            if (block.text, block.sub) != (target.text, target.sub):
                block.text, block.sub = target.text, target.sub
                block.update()
            emphasis = self._emphasised(block.kind, state)
            if emphasis != block.emphasis:
                block.emphasis = emphasis
                block.update()
            if block.opacity() == 0.0:  # appears in place: fade in, do not fly in
                block.set_rect(target.rect)
            self._animate(group, block, b"rect", block.get_rect(), target.rect, duration)
            self._animate(group, block, b"opacity", block.opacity(), target.opacity, duration)
        for name, block in self.blocks.items():
            if name not in wanted:
                self._animate(group, block, b"opacity", block.opacity(), 0.0, duration)
        lit_line = Highlight.LINE in state.highlight
        if lit_line != self.line.emphasis:
            self.line.emphasis = lit_line
            self.line.update()
        self._animate(
            group,
            self.line,
            b"opacity",
            self.line.opacity(),
            1.0 if state.split_line else 0.0,
            duration,
        )
        self._group = group
        if duration == 0:
            group.setCurrentTime(group.totalDuration())
            self._finish(state, wanted)
        else:
            group.finished.connect(lambda: self._finish(state, wanted))
            group.start()

    def _finish(self, state: SceneState, wanted: dict[str, Target]) -> None:
        for name, block in self.blocks.items():  # exact end state, whatever the animation did
            target = wanted.get(name)
            block.setOpacity(target.opacity if target else 0.0)
            if target is not None:
                block.set_rect(target.rect)
        self.line.setOpacity(1.0 if state.split_line else 0.0)
        if state.syscall:
            self.start_syscall()
        else:
            self.dot.setOpacity(0.0)

    @staticmethod
    def _emphasised(kind: BlockKind, state: SceneState) -> bool:
        return any(LIGHTS.get(h) is kind for h in state.highlight)

    def _animate(
        self,
        group: QParallelAnimationGroup,
        target: QObject,
        prop: bytes,
        start: object,
        end: object,
        duration: int,
    ) -> None:
        animation = QPropertyAnimation(target, prop, group)
        animation.setDuration(duration)
        animation.setStartValue(start)
        animation.setEndValue(end)
        if prop == b"opacity" and start != end:
            # Fades are short, not all along: few frames blend large translucent pictures
            # at once (what made 4K frames slow: 27 ms, now below 8).
            fading_out = float(end) < float(start)  # type: ignore[arg-type]
            if not fading_out:
                animation.setKeyValueAt(0.8, start)  # appear at the end, once things settled
            elif isinstance(target, Block) and target.kind is BlockKind.KERNEL:
                animation.setKeyValueAt(0.8, start)  # guest kernels slide down, then melt
            else:
                animation.setKeyValueAt(0.04, end)  # what goes away goes at once
        animation.setEasingCurve(QEasingCurve.Type.InOutCubic)
        group.addAnimation(animation)

    def start_syscall(self) -> None:
        """Loop a `write()` from the first container's app into the kernel and back."""
        app = self.blocks.get("app0")
        kernel = self.blocks.get("kernel")
        if app is None or kernel is None:
            return
        top = QPointF(app.get_rect().left() + 34, app.get_rect().bottom() - 20)  # off the labels
        bottom = QPointF(top.x(), kernel.get_rect().center().y())
        self.dot.setPos(top if not self.reduced_motion else QPointF(top.x(), LINE_Y))
        self.dot.setOpacity(1.0)
        if self.reduced_motion:
            return
        sequence = QSequentialAnimationGroup(self)
        for start, end, label in ((top, bottom, "write()"), (bottom, top, "returns")):
            move = QPropertyAnimation(self.dot, b"pos", sequence)
            move.setDuration(1400)
            move.setStartValue(start)
            move.setEndValue(end)
            move.setEasingCurve(QEasingCurve.Type.InOutSine)
            move.stateChanged.connect(lambda *_a, text=label: self._label_dot(text))
            sequence.addAnimation(move)
            sequence.addPause(500)
        sequence.setLoopCount(-1)
        self._syscall = sequence
        sequence.start()

    def _label_dot(self, text: str) -> None:
        self.dot.label = text
        self.dot.update()

    def _stop(self) -> None:
        if self._group is not None:
            self._group.stop()
        if self._syscall is not None:
            self._syscall.stop()
            self._syscall = None

    def visible(self, kind: BlockKind) -> list[Block]:
        """Blocks of `kind` that can be seen now (for tests and the presenter notes)."""
        return [b for b in self.blocks.values() if b.kind == kind and b.opacity() > 0.5]

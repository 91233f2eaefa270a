"""Runs the kernel view's live evidence (core.evidence) in workers and shows the answers."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from fromscratch.core.engine.failures import EngineUnavailable
from fromscratch.core.evidence.containers import EvidenceError
from fromscratch.core.evidence.contents import Contents, ContentsCache, image_contents
from fromscratch.core.evidence.kernel import (
    KernelProof,
    prove_kernel,
    reference,
    uname_candidates,
)
from fromscratch.core.evidence.scratch import DOCKERFILE, ScratchBuild, build_from_scratch
from fromscratch.core.graph.records import SCRATCH_ID
from fromscratch.core.paths import user_cache_dir
from fromscratch.core.text import format_size
from fromscratch.gui import tasks
from fromscratch.gui.kernel.view import OFFLINE, Evidence, KernelView

if TYPE_CHECKING:
    from fromscratch.core.session.opening import Opened
    from fromscratch.core.task import Task
    from fromscratch.gui.window.controller import Controller


class EvidenceRunner(QObject):
    """One evidence task at a time, on what the controller has open and selected (read when a
    button is pressed, never copied). `busy` drives the window's progress bar."""

    busy = Signal(bool)
    """True while a task runs (the window shows its progress bar)."""

    def __init__(
        self, controller: Controller, view: KernelView, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.view = view
        self.worker: tasks.Worker | None = None
        self._asked: dict[str, str] = {}
        """Prove it: the images asked first, and why each (the selected one, pictured)."""
        view.evidence_requested.connect(self.run)  # the view is made together with the runner

    def run(self, what: Evidence) -> None:
        opened = self.controller.opened
        if what is Evidence.CONTENTS and opened is not None:
            target = self._base_to_inspect(opened)
            stored = opened.inventory.contents.get(target)
            if target == SCRATCH_ID or stored is not None:  # no engine needed
                self._show_contents(
                    Contents.from_json(dict(stored)) if stored else Contents(SCRATCH_ID, (), 0, ())
                )
                return
        if opened is None or opened.endpoint is None or not opened.source.live:
            self._say(escape(OFFLINE))
            return
        endpoint, graph = opened.endpoint, opened.graph
        engine = opened.inventory.engine
        if what is Evidence.PROVE:
            first = self._prove_in(opened)
            candidates = uname_candidates(graph, [node for node, _why in first])
            self._asked = {}
            for node, why in first:  # the selected image may be pictured too: selected it is
                self._asked.setdefault(reference(graph, node), why)
            self._start(
                lambda context: prove_kernel(endpoint, candidates, engine.kernel_version, context),
                "Running uname -r …",
            )
        elif what is Evidence.CONTENTS:
            target = self._base_to_inspect(opened)
            cache = ContentsCache(user_cache_dir())
            self._start(
                lambda context: image_contents(endpoint, target, cache, context),
                "Reading the image's files (nothing runs) …",
            )
        else:  # Evidence.BUILD
            self._start(
                lambda context: build_from_scratch(endpoint, engine.architecture, context),
                "Building FROM scratch …",
            )

    def _prove_in(self, opened: Opened) -> list[tuple[str, str]]:
        """Where Prove it runs first, and why there: the selected image, then the images the
        picture shows (the containers' images)."""
        first: list[tuple[str, str]] = []
        selected = self.controller.selected
        if selected is not None and selected in opened.graph:
            first.append((selected, "the selected image"))
        first += [(box.node, "pictured") for box in opened.picture.boxes if box.node]
        return first

    def _base_to_inspect(self, opened: Opened) -> str:
        """The selected image's base (what its FROM gives: the local image closest to scratch on
        its chain), else that of the picture's first box."""
        from fromscratch.core.story.picture import lowest_image

        selected, graph = self.controller.selected, opened.graph
        if selected is not None and selected in graph:
            return lowest_image(graph, selected)
        boxes = opened.picture.boxes
        if boxes:
            return lowest_image(graph, boxes[0].node)
        return SCRATCH_ID

    def _start(self, task: Task[object], note: str) -> None:
        if self.worker is not None:
            self.worker.cancel()
        self._say(escape(note))
        self.busy.emit(True)
        self.worker = tasks.run(task, done=self._done, failed=self._failed)

    def _done(self, result: object) -> None:
        self.busy.emit(False)
        if isinstance(result, KernelProof):
            verdict = (
                "the same kernel: the container has none of its own"
                if result.same
                else "different: this runtime gives containers their own kernel (gVisor or Kata)"
            )
            why = self._asked.get(result.image, "")
            why = why or "the first local image that has uname: none of the selected or pictured"
            self._say(
                f"Inside a container of <b>{escape(result.image)}</b> ({escape(why)}), "
                f"<code>uname -r</code> says <b>{escape(result.container_kernel)}</b>.<br>"
                f"The engine's host runs <b>{escape(result.host_kernel)}</b>.<br>"
                f"→ {verdict}."
            )
        elif isinstance(result, Contents):
            self._show_contents(result)
        elif isinstance(result, ScratchBuild):
            self._say(
                f"Built <b>{escape(result.tag)}</b> from:{_wrapped(DOCKERFILE)}"
                f"It printed:{_wrapped(result.output.strip())}"
                "It is now in the tree, a child of scratch. File > Remove the FROM-scratch "
                "example image takes it away again."
            )
            self.controller.reload()  # the new image joins the tree, under scratch

    def _show_contents(self, contents: Contents) -> None:
        if contents.image_id != SCRATCH_ID:
            self.controller.keep_contents(contents.image_id, contents.to_json())
        dirs = ", ".join(f"/{d if d != '/' else ''} {format_size(s)}" for d, s in contents.dirs[:8])
        managers = ", ".join(contents.package_managers) or "none"
        single = ""
        if contents.files and len(contents.executables_at_root) == contents.files:
            single = f"<br>One static binary: <b>/{escape(contents.executables_at_root[0])}</b>"
        biggest = ", ".join(f"{n} {format_size(s)}" for n, s in contents.largest[:3])
        if biggest:
            single += f"<br>Largest files: {escape(biggest)}"
        name = self._name(contents.image_id)
        release = f" ({escape(contents.os_release)})" if contents.os_release else ""
        self._say(
            f"<b>{escape(name)}</b>{release}: {contents.counted}. {escape(dirs)}"
            f"<br>Package manager: {escape(managers)}{single}"
            f"<br>→ <b>{escape(contents.verdict)}</b>"
        )
        self.view.show_contents(contents)

    def _name(self, image_id: str) -> str:
        opened = self.controller.opened
        if opened is None or image_id not in opened.graph:
            return image_id[:19]
        return opened.graph.nodes[image_id]["label"]

    def _failed(self, exc: BaseException) -> None:
        self.busy.emit(False)
        if isinstance(exc, EvidenceError | EngineUnavailable):
            self._say(escape(str(exc)))
        else:
            self._say(escape(f"{type(exc).__name__}: {exc}"))

    def _say(self, html: str) -> None:
        self.view.show_result(html)


def _wrapped(text: str) -> str:
    """Program text (a Dockerfile, a program's output) as lines that wrap in the results'
    column instead of running off its right edge."""
    return f"<pre style='white-space: pre-wrap'>{escape(text)}</pre>"

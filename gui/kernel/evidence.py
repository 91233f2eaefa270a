"""Runs the kernel view's live evidence (core.evidence.runs) in workers and shows the answers."""

from __future__ import annotations

from dataclasses import replace
from html import escape
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from fromscratch.core.engine.failures import EngineUnavailable
from fromscratch.core.evidence.contents import Contents, ContentsCache, image_contents
from fromscratch.core.evidence.runs import (
    DOCKERFILE,
    EvidenceError,
    KernelProof,
    ScratchBuild,
    build_from_scratch,
    prove_kernel,
    uname_candidates,
)
from fromscratch.core.graph.records import SCRATCH_ID
from fromscratch.core.paths import user_cache_dir
from fromscratch.core.text import format_size
from fromscratch.gui import tasks

if TYPE_CHECKING:
    from fromscratch.core.session.sources import Opened
    from fromscratch.gui.kernel.view import KernelView


class EvidenceRunner(QObject):
    """One evidence task at a time; `built` fires after an example image was built."""

    built = Signal()
    contents_found = Signal(object)
    busy = Signal(bool)
    """True while a task runs (the window shows its progress bar)."""

    def __init__(self, view: KernelView, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self.opened: Opened | None = None
        self.selected: str | None = None
        self.task: tasks.Task | None = None
        view.evidence_requested.connect(self.run)  # the view is made together with the runner

    def run(self, what: str) -> None:
        opened = self.opened
        if what == "contents" and opened is not None:
            target = self._base_to_inspect(opened.graph)
            stored = opened.inventory.contents.get(target)
            if target == SCRATCH_ID or stored is not None:  # no engine needed
                self._show_contents(
                    Contents.from_json(dict(stored)) if stored else Contents(SCRATCH_ID, (), 0, ())
                )
                return
        if opened is None or opened.endpoint is None:
            self._say("Live evidence needs a running Docker engine; this data is recorded.")
            return
        endpoint, graph = opened.endpoint, opened.graph
        engine = opened.inventory.engine
        if what == "prove":
            candidates = uname_candidates(graph)
            self._start(
                lambda progress, cancel: prove_kernel(
                    endpoint, candidates, engine.kernel_version, cancel
                ),
                "Running uname -r …",
            )
        elif what == "contents":
            target = self._base_to_inspect(graph)
            if target == SCRATCH_ID:
                self._show_contents(Contents(SCRATCH_ID, (), 0, ()))
                return
            cache = ContentsCache(user_cache_dir())
            self._start(
                lambda progress, cancel: image_contents(endpoint, target, cache, cancel),
                "Reading the image's files (nothing runs) …",
            )
        elif what == "build":
            self._start(
                lambda progress, cancel: build_from_scratch(endpoint, engine.architecture, cancel),
                "Building FROM scratch …",
            )

    def _base_to_inspect(self, graph: Any) -> str:
        """The selected image's base (what its FROM gives: the local image closest to scratch on
        its chain), else the first stage box's."""
        from fromscratch.core.story.picture import lowest_image

        if self.selected is not None and self.selected in graph:
            return lowest_image(graph, self.selected)
        stage = self.opened.stage if self.opened is not None else None
        if stage is not None and stage.boxes:
            return lowest_image(graph, stage.boxes[0].node)
        return SCRATCH_ID

    def _start(self, fn: Any, note: str) -> None:
        if self.task is not None:
            self.task.cancel()
        self._say(escape(note))
        task = tasks.Task(fn)
        task.signals.done.connect(self._done)
        task.signals.failed.connect(self._failed)
        task.signals.done.connect(lambda _r: self.busy.emit(False))
        task.signals.failed.connect(lambda _e: self.busy.emit(False))
        self.busy.emit(True)
        self.task = tasks.start(task)

    def _done(self, result: object) -> None:
        if isinstance(result, KernelProof):
            verdict = (
                "the same kernel: the container has none of its own"
                if result.same
                else "different: this runtime gives containers their own kernel (gVisor or Kata)"
            )
            self._say(
                f"Inside a container of <b>{escape(result.image)}</b>, "
                f"<code>uname -r</code> says <b>{escape(result.container_kernel)}</b>.<br>"
                f"The engine's host runs <b>{escape(result.host_kernel)}</b>.<br>"
                f"→ {verdict}."
            )
        elif isinstance(result, Contents):
            self._show_contents(result)
        elif isinstance(result, ScratchBuild):
            self._say(
                f"Built <b>{escape(result.tag)}</b> from:<pre>{escape(DOCKERFILE)}</pre>"
                f"It printed:<pre>{escape(result.output.strip())}</pre>"
                "It is now in the tree, a child of scratch. File > Remove example image "
                "takes it away again."
            )
            self.built.emit()

    def _show_contents(self, contents: Contents) -> None:
        self.contents_found.emit(contents)
        if self.opened is not None and contents.image_id != SCRATCH_ID:
            inventory = self.opened.inventory
            merged = {**inventory.contents, contents.image_id: contents.to_json()}
            self.opened = replace(self.opened, inventory=replace(inventory, contents=merged))
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
            f"<b>{escape(name)}</b>{release}: {contents.files} files. {escape(dirs)}"
            f"<br>Package manager: {escape(managers)}{single}"
            f"<br>→ <b>{escape(contents.verdict)}</b>"
        )
        self.view.show_contents(contents)

    def _name(self, image_id: str) -> str:
        if self.opened is None or image_id not in self.opened.graph:
            return image_id[:19]
        return str(self.opened.graph.nodes[image_id]["label"])

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, EvidenceError | EngineUnavailable):
            self._say(escape(str(exc)))
        else:
            self._say(escape(f"{type(exc).__name__}: {exc}"))

    def _say(self, html: str) -> None:
        self.view.result.setText(html)

"""Clean-up from the window: a confirmation that lists exactly what will be removed, what it
frees (as `fromscratch df` counts it) and which containers hold it, with a choice to remove
those too; then the removal in a worker, and what the engine freed beside what was said.

The plan is core.disk.removal's; the engine work core.engine.removal's (the same as
`fromscratch rm`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from fromscratch.gui import tasks

if TYPE_CHECKING:
    from fromscratch.core.disk.removal import RemovalPlan
    from fromscratch.core.engine.removal import RemovalOutcome
    from fromscratch.core.session.opening import Opened
    from fromscratch.core.task import TaskContext
    from fromscratch.gui.window.context import Context


class Confirm(QDialog):
    """The plan, read before anything happens; Remove is the only way on."""

    def __init__(self, plan: RemovalPlan, parent: QWidget | None = None) -> None:
        from fromscratch.core.disk.removal import describe
        from fromscratch.core.formats.inventory import plural

        super().__init__(parent)
        self.setWindowTitle("Remove images")
        self.listing = QPlainTextEdit(self)  # plain text: names come from the data
        self.listing.setReadOnly(True)
        self.listing.setPlainText("\n".join(describe(plan)))
        self.with_containers = QCheckBox(
            f"Also remove the {plural(len(plan.containers), 'container')} that hold them "
            "(running ones are stopped)",
            self,
        )
        self.with_containers.setVisible(plan.blocked)
        note = QLabel(self)
        note.setWordWrap(True)
        note.setTextFormat(Qt.TextFormat.PlainText)
        note.setText(
            "Nothing else is removed. Images held by a container stay unless you tick the "
            "box above."
            if plan.blocked
            else "Nothing else is removed."
        )
        buttons = QDialogButtonBox(self)
        self.remove = buttons.addButton("&Remove", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.with_containers.toggled.connect(lambda on: self.remove.setEnabled(on))
        self.remove.setEnabled(not plan.blocked)
        layout = QVBoxLayout(self)
        layout.addWidget(self.listing, 1)
        layout.addWidget(self.with_containers)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.resize(620, 380)


class CleanUp(QObject):
    """Plans, asks, removes and reports; one removal at a time."""

    def __init__(self, context: Context) -> None:
        super().__init__(context.window)
        self.context = context
        self.window = context.window
        self.worker: tasks.Worker | None = None
        self.last: tuple[RemovalPlan, RemovalOutcome] | None = None
        """The last removal done (tests read it)."""

    def plan(self, what: str, node: str | None) -> RemovalPlan | None:
        """The plan, now (tests), or None after saying why there is none."""
        from fromscratch.core.disk.removal import RemovalError

        try:
            return _planned(self.context.controller.opened, what, node)
        except RemovalError as exc:
            self._say(QMessageBox.Icon.Information, str(exc))
            return None

    def ask(self, what: str, node: str | None) -> None:
        """Plan in a worker (0.7 s on 10,000 images), then ask; nothing before the answer."""
        from fromscratch.core.disk.removal import RemovalError

        opened = self.context.controller.opened  # read here: the worker gets the immutable data
        if self.worker is not None or opened is None:
            return

        def failed(exc: BaseException) -> None:
            self.worker = None
            icon = QMessageBox.Icon.Information if isinstance(exc, RemovalError) else None
            self._say(icon or QMessageBox.Icon.Warning, str(exc))

        self.worker = tasks.run(
            lambda _context: _planned(opened, what, node),
            done=self._confirm,
            failed=failed,
            owner=self,
        )

    def _confirm(self, plan: RemovalPlan) -> None:
        self.worker = None
        dialog = Confirm(plan, self.window)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.run(plan, with_containers=dialog.with_containers.isChecked())

    def run(self, plan: RemovalPlan, *, with_containers: bool) -> None:
        from fromscratch.core.engine.removal import Removing, remove

        opened = self.context.controller.opened
        if opened is None or opened.endpoint is None:
            return
        endpoint = opened.endpoint
        what = Removing(
            tuple((image.id, image.tags) for image in plan.images),
            tuple(c.id for c in plan.containers) if with_containers else (),
        )

        def work(context: TaskContext) -> RemovalOutcome:
            return remove(endpoint, what, context)

        self.window.statusBar().showMessage(f"removing {len(plan.images)} images…")
        self.worker = tasks.run(
            work, done=lambda outcome: self._done(plan, outcome), failed=self._failed, owner=self
        )

    def _done(self, plan: RemovalPlan, outcome: RemovalOutcome) -> None:
        from fromscratch.core.text import format_size

        self.worker = None
        self.last = (plan, outcome)
        predicted = format_size(plan.frees) if plan.frees is not None else "unknown"
        freed = outcome.engine_freed
        lines = [f"Removed {len(outcome.removed)} of {len(plan.images)} images."]
        if freed is not None:
            lines.append(
                f"The engine says its image layers went from {format_size(outcome.before)} to "
                f"{format_size(outcome.after)}: {format_size(freed)} freed "
                f"(predicted: {predicted})."
            )
        lines += [
            f"Not removed: {i.removeprefix('sha256:')[:12]}: {why}" for i, why in outcome.failed
        ]
        self.window.statusBar().showMessage(" ".join(lines[:2]), 30_000)
        self._say(QMessageBox.Icon.Information, "\n".join(lines))
        self.context.controller.reload()

    def _failed(self, exc: BaseException) -> None:
        self.worker = None
        self._say(QMessageBox.Icon.Warning, str(exc))

    def _say(self, icon: QMessageBox.Icon, text: str) -> None:
        """A message about images: plain text (a step's text may look like HTML)."""
        box = QMessageBox(icon, "Remove images", text)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setParent(self.window, box.windowFlags())
        box.open()


def _planned(opened: Opened | None, what: str, node: str | None) -> RemovalPlan:
    """core.disk.removal's plan for what is open (RemovalError when there is none)."""
    from fromscratch.core.disk.removal import RemovalError, Target, plan_removal

    if opened is None:
        raise RemovalError("nothing is open")
    return plan_removal(opened.graph, opened.inventory.containers, Target(what), node)

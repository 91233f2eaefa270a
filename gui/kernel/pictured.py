"""The pictured user spaces' layers, read in a worker from where the images came from (an
archive, the engine) when the layer cache lacks them: the story's step 6 then draws their
files with no click and no container. A failure is a notice; the open data stays."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fromscratch.gui import tasks

if TYPE_CHECKING:
    from fromscratch.core.session.opening import Opened
    from fromscratch.gui.window.controller import Controller

KIND = "pictured"
"""The controller's worker slot: a newer load's reading replaces an older one's."""


def read_pictured(controller: Controller, opened: Opened) -> None:
    """Read what `opened`'s picture draws; the summaries join the controller's open data and
    `controller.contents_read` says so."""
    from fromscratch.core.session.opening import pictured_contents

    old = controller.workers.pop(KIND, None)
    if old is not None:
        old.cancel()

    def done(summaries: dict[str, dict[str, Any]]) -> None:
        current = controller.opened
        if not summaries or current is None or current.path != opened.path:
            return
        controller.opened = current.with_contents(summaries)
        controller.contents_read.emit(controller.opened)

    def failed(exc: BaseException) -> None:
        controller.notice.emit(f"The story's user spaces were not read: {exc}")

    controller.workers[KIND] = tasks.run(
        lambda context: pictured_contents(opened, context),
        done=done,
        failed=failed,
        owner=controller,
    )

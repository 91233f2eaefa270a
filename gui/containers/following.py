"""Containers in the window, kept current without reloading the images: container events
(gui.window.live) re-list the containers alone in a worker and patch what is open
(core.session.opening.Opened.with_containers); the tree's badges (core.graph.badges), the
kernel picture's boxes and the containers panel (gui.containers.panel) follow."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from fromscratch.core.graph.badges import badges
from fromscratch.gui import tasks
from fromscratch.gui.window import settings as remembered

if TYPE_CHECKING:
    from fromscratch.core.formats.inventory import Container
    from fromscratch.core.session.opening import Opened
    from fromscratch.core.task import TaskContext
    from fromscratch.gui.containers.panel import ContainersPanel
    from fromscratch.gui.window.context import Context

REFRESH_MS = 30_000
"""While the panel shows, the engine's status words ("Up 5 minutes") are listed again this
often; events bring every change of state at once."""


class Containers(QObject):
    """`changed(Opened)` after each patch; `patches` counts them (tests)."""

    changed = Signal(object)

    def __init__(self, context: Context) -> None:
        super().__init__(context.window)
        self.context = context
        self.patches = 0
        self.panel: ContainersPanel | None = None
        self._worker: tasks.Worker | None = None
        self._refresh = QTimer(self)
        self._refresh.setInterval(REFRESH_MS)
        self._refresh.timeout.connect(self.relist)
        self._closing = False
        self._was_open = False
        self._wanted = remembered.CONTAINERS_PANEL.read(context.settings)
        """The panel was open when the app last closed: it opens with the first tree."""
        context.arranged.connect(self.apply)
        context.controller.live.containers_changed.connect(self.relist)

    def relist(self) -> None:
        """List the containers again (a container event, or the panel's periodic refresh)."""
        controller = self.context.controller
        opened = controller.opened
        if opened is None or not opened.source.live or opened.endpoint is None:
            return
        endpoint = opened.endpoint

        def work(_context: TaskContext) -> tuple[Container, ...]:
            from fromscratch.core.session.engine_source import list_containers

            return list_containers(endpoint)

        if self._worker is not None:
            self._worker.cancel()
        # A failure says nothing here: the engine's absence is the event watcher's to tell.
        self._worker = tasks.run(work, done=lambda found: self._listed(opened, found), owner=self)

    def _listed(self, listed_on: Opened, containers: tuple[Container, ...]) -> None:
        controller = self.context.controller
        if controller.opened is not listed_on:
            return  # a load came in between, with containers of its own
        patched = listed_on.with_containers(containers)
        controller.opened = patched
        self.patches += 1
        self.apply()
        self.changed.emit(patched)  # the kernel picture's boxes follow (the window)

    def apply(self) -> None:
        """Badges on the cards and the panel's rows, for what is open now."""
        if self._wanted and self.panel is None:
            self.set_panel(on=True)
        opened = self.context.controller.opened
        found = badges(opened.inventory.containers) if opened is not None else {}
        self.context.tree.show_badges(found)
        if self.panel is not None:
            self.panel.show_containers(opened)

    def set_panel(self, *, on: bool) -> None:
        """View > Containers: the panel, made the first time it is asked for."""
        if on and self.panel is None:
            from fromscratch.gui.containers.panel import ContainersPanel  # pyqtgraph: on first use

            context, window = self.context, self.context.window
            panel = ContainersPanel(window, context.select_node)
            window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, panel)
            # a third of the window: at 4K its own minimum left the plots 40 px high
            tall = max(240, window.height() // 3)
            window.resizeDocks([panel], [tall], Qt.Orientation.Vertical)
            panel.visibilityChanged.connect(self._panel_shown)
            context.controller.selection_changed.connect(
                lambda node: panel.follow_selection(node or None)
            )
            panel.follow_selection(context.controller.selected)
            panel.show_containers(context.controller.opened)
            context.state.presenting_changed.connect(self._presenting)
            self.panel = panel
        if self.panel is not None:
            self.panel.setVisible(on)

    def _presenting(self, on: bool) -> None:  # noqa: FBT001 (a signal's argument)
        """Presenting shows nothing but the picture: the panel makes way, and comes back."""
        if self.panel is None:
            return
        if on:
            self._was_open = self.panel.isVisible()
            self.panel.hide()
        elif self._was_open:
            self.panel.show()

    def _panel_shown(self, shown: bool) -> None:  # noqa: FBT001 (a signal's argument)
        context = self.context
        context.action("containers").setChecked(shown)
        presenting = context.state.presenting
        if not self._closing and not presenting and context.window.isVisible():  # the user's
            self._wanted = shown  # choice, kept
            remembered.CONTAINERS_PANEL.write(context.settings, shown)
        if shown:
            self._refresh.start()
        else:
            self._refresh.stop()

    def stop(self) -> None:
        """The window closes: no more readings."""
        self._closing = True
        self._refresh.stop()
        if self.panel is not None:
            self.panel.plots.stop()

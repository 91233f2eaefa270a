"""The main window: the tree, the details dock, search, filters, export; a status bar that
always names the source, and a banner when the engine could not be reached.

Loading, lineage, filtering and layout run in workers (gui.tasks); only the scene is touched
on the GUI thread.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QMenu,
    QProgressBar,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from fromscratch.core.graph.filters import TreeFilter, arrange
from fromscratch.core.graph.tree import ancestry
from fromscratch.core.session.sources import Opened, open_default, open_file, with_graph
from fromscratch.gui import tasks
from fromscratch.gui.banner import Banner
from fromscratch.gui.details.panel import DetailsPanel
from fromscratch.gui.fileactions import FileActions
from fromscratch.gui.live import LiveUpdates
from fromscratch.gui.tree.items import NodeItem
from fromscratch.gui.tree.search import SearchBox
from fromscratch.gui.tree.view import TreeView

if TYPE_CHECKING:
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QDragEnterEvent, QDropEvent

    from fromscratch.gui.kernel.evidence import EvidenceRunner
    from fromscratch.gui.kernel.view import KernelView


WARM_UP_MS = 400
FIRST_SELECTION_MODULES = (
    "html",
    "fromscratch.core.graph.details",
    "fromscratch.gui.details.sizechart",
)
"""Imported in a worker after the first paint (see MainWindow._warm_up)."""


class MainWindow(QMainWindow):
    """The desktop window. `loaded` fires after every load attempt, `arranged` after the tree
    is on screen (tests and --screenshot wait for them)."""

    loaded = Signal()
    arranged = Signal()

    def __init__(self, file: str | None = None, settings: QSettings | None = None) -> None:
        super().__init__()
        self.setWindowTitle("fromscratch")
        self.setAcceptDrops(True)
        self.settings = settings or QSettings()
        self.view = TreeView(self)
        self.banner = Banner(self)
        central = QWidget(self)
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        self._kernel: KernelView | None = None  # built when first shown: keeps start-up short
        self._evidence: EvidenceRunner | None = None
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.view, "Inheritance tree")
        self.tabs.addTab(QWidget(self), "Kernel && user space")
        column.addWidget(self.banner)
        column.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self.panel = DetailsPanel(self)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.panel)
        self.search = SearchBox(self)
        self.source = QLabel("loading…", self)
        self.progress = QProgressBar(self)
        self.progress.setMaximumWidth(220)
        self.progress.hide()
        self.statusBar().addWidget(self.source, 1)
        self.statusBar().addPermanentWidget(self.progress)
        self.opened: Opened | None = None
        self.shown: Any = None
        """The tree on screen (after filters), a networkx DiGraph."""
        self.tree_filter = TreeFilter(hide_dangling=self._setting_bool("hide_dangling"))
        self.selected: str | None = None
        self.failure = ""
        """The last load's one-line error, empty after a successful load."""
        self._tasks: dict[str, tasks.Task] = {}
        self._dock_was_visible = False
        self._reveal_details = False
        self._warmed_up = False
        self._dock_before_presenting = True
        self.files = FileActions(self)
        self.live = LiveUpdates(self)
        self.live.reload_needed.connect(self._live_reload)
        self._build_menus()
        self._wire()
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.stop_work)
        self._restore()
        if file:
            self.open_path(file)
        else:
            self.reload()

    # ---- set-up ---------------------------------------------------------------------------

    def _setting_bool(self, key: str, default: bool = False) -> bool:
        return str(self.settings.value(key, default)).lower() in ("true", "1")

    def _action(
        self,
        menu: QMenu,
        text: str,
        slot: Callable[..., object],
        *keys: QKeySequence | QKeySequence.StandardKey | str,
        checkable: bool = False,
    ) -> QAction:
        action = QAction(text, self)
        if keys:
            action.setShortcuts([QKeySequence(k) for k in keys])
        action.setCheckable(checkable)
        action.triggered.connect(slot)
        menu.addAction(action)
        self.addAction(action)  # shortcuts keep working with the menu bar hidden (presenting)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self._action(file_menu, "&Open…", self.files.choose_file, QKeySequence.StandardKey.Open)
        file_menu.addMenu(self.files.recent_menu)
        self._action(
            file_menu, "&Save snapshot…", self.files.choose_save, QKeySequence.StandardKey.Save
        )
        file_menu.addSeparator()
        self._action(file_menu, "Export view as PNG/SVG…", lambda: self.files.choose_picture(False))
        self._action(
            file_menu, "Export whole tree as PNG/SVG…", lambda: self.files.choose_picture(True)
        )
        self._action(
            file_menu, "Export graph (DOT, GraphML, JSON)…", self.files.choose_graph_export
        )
        self._action(file_menu, "Remove the FROM-scratch example image", self.files.remove_example)
        if sys.platform.startswith("linux"):
            self._action(
                file_menu, "Add to the applications menu", self.files.add_to_applications_menu
            )
        file_menu.addSeparator()
        self._action(file_menu, "&Quit", self.close, QKeySequence.StandardKey.Quit)
        edit = bar.addMenu("&Edit")
        self._action(edit, "&Find image…", self.focus_search, QKeySequence.StandardKey.Find)
        self._action(edit, "Clear selection", self.clear_selection, "Esc")
        view = bar.addMenu("&View")
        self._action(view, "&Reload", self.reload, "F5", "Ctrl+R")
        self._action(view, "&Fit tree", lambda: self.view.fit(), "F")
        self._action(view, "Zoom in", lambda: self.view.zoom(1.25), QKeySequence.StandardKey.ZoomIn)
        self._action(
            view, "Zoom out", lambda: self.view.zoom(0.8), QKeySequence.StandardKey.ZoomOut
        )
        self._action(view, "Go to scratch", lambda: self.view.jump_to("scratch"), "Home")
        view.addSeparator()
        self._action(view, "Inheritance tree", lambda: self.show_tab(0), "Ctrl+1")
        self._action(view, "Kernel && user space", lambda: self.show_tab(1), "Ctrl+2")
        self.act_present = self._action(
            view, "&Presentation mode", self.set_presenting, "F11", checkable=True
        )
        view.addSeparator()
        themes = view.addMenu("&Theme")
        self.theme_actions: dict[str, QAction] = {}
        chosen = str(self.settings.value("theme", "system"))
        for key, text in (("system", "Follow the system"), ("light", "Light"), ("dark", "Dark")):
            action = self._action(
                themes, text, lambda _=False, k=key: self.set_theme(k), checkable=True
            )
            action.setChecked(key == chosen)
            self.theme_actions[key] = action
        self.act_motion = self._action(view, "Reduce motion", self._set_motion, checkable=True)
        view.addAction(self.panel.toggleViewAction())
        filters = bar.addMenu("F&ilters")
        self.act_dangling = self._action(
            filters, "Hide dangling images", self._set_hide_dangling, checkable=True
        )
        self.act_intermediates = self._action(
            filters, "Show build intermediates", self._set_intermediates, checkable=True
        )
        self.act_focus = self._action(
            filters, "Only the ancestry of the selection", self._set_focus, "Ctrl+L", checkable=True
        )
        self._action(filters, "Expand all collapsed", self._expand_all)
        self.act_dangling.setChecked(self.tree_filter.hide_dangling)
        tools = QToolBar("Search", self)
        tools.setObjectName("search")
        tools.setMovable(False)
        tools.addWidget(self.search)
        self.addToolBar(tools)

    @property
    def kernel(self) -> KernelView:
        """The kernel & user-space view, made (with its evidence runner) on first use."""
        if self._kernel is None:
            from fromscratch.gui.kernel.evidence import EvidenceRunner
            from fromscratch.gui.kernel.view import KernelView

            kernel = KernelView(self)
            self._evidence = EvidenceRunner(kernel, self)
            self._evidence.built.connect(self.reload)
            self._evidence.contents_found.connect(self._keep_contents)
            self._evidence.busy.connect(self._evidence_busy)
            self._evidence.opened, self._evidence.selected = self.opened, self.selected
            kernel.tree_action.connect(self._tree_action)
            kernel.set_reduced_motion(self.act_motion.isChecked())
            if self.opened is not None and self.opened.stage is not None:
                kernel.set_stage(self.opened.stage, live=self.opened.endpoint is not None)
            self._kernel = kernel
            current = self.tabs.currentIndex()
            self.tabs.blockSignals(True)
            placeholder = self.tabs.widget(1)
            self.tabs.removeTab(1)
            self.tabs.insertTab(1, kernel, "Kernel && user space")
            self.tabs.setCurrentIndex(current)
            self.tabs.blockSignals(False)
            if placeholder is not None:
                placeholder.deleteLater()
        return self._kernel

    def show_tab(self, index: int) -> None:
        if index == 1:
            self.kernel  # noqa: B018 - build it before switching to it
        self.tabs.setCurrentIndex(index)
        (self.view if index == 0 else self.kernel).setFocus()

    def _on_tab(self, index: int) -> None:
        """The details dock belongs to the tree: hide it beside the kernel picture."""
        if index == 1:
            self.kernel  # noqa: B018 - first visit builds the view
            self._dock_was_visible = self.panel.isVisible() or self._dock_was_visible
            self.panel.hide()
        elif self._dock_was_visible:
            self.panel.show()

    def _wire(self) -> None:
        self.view.tree.selectionChanged.connect(self._on_selection)
        self.view.node_activated.connect(self.toggle_collapse)
        self.search.found.connect(self.select_node)
        self.tabs.currentChanged.connect(self._on_tab)
        self.search.missed.connect(
            lambda text: self.statusBar().showMessage(f"no image matches {text!r}", 5000)
        )

    def _restore(self) -> None:
        geometry = self.settings.value("geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        state = self.settings.value("state")
        self._state_restored = isinstance(state, QByteArray) and self.restoreState(state)
        self.act_motion.setChecked(self._setting_bool("reduced_motion"))
        self.view.reduced_motion = self.act_motion.isChecked()
        self.files.fill_recent()

    # ---- loading --------------------------------------------------------------------------

    def _run(
        self,
        kind: str,
        fn: Callable[..., Any],
        *args: object,
        done: Callable[[Any], None] | None = None,
    ) -> None:
        """Start `fn` in a worker; a newer task of the same kind cancels the older one."""
        old = self._tasks.get(kind)
        if old is not None:
            old.cancel()
        task = tasks.Task(fn, *args)
        task.signals.progress.connect(self._on_progress)
        task.signals.done.connect(done or self._on_opened)
        task.signals.failed.connect(self._on_failed)
        self._tasks[kind] = task
        self.progress.setRange(0, 0)
        self.progress.show()
        tasks.start(task)

    def reload(self) -> None:
        self.source.setText("loading from the Docker engine…")
        self._run("load", open_default)

    def _live_reload(self) -> None:
        """The engine changed (an image or container event): re-read it, keeping the view."""
        if self.opened is not None and self.opened.kind == "engine":
            self._run("load", open_default)

    def open_path(self, path: str) -> None:
        self.source.setText(f"opening {path}…")
        self._run("load", open_file, path)

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _on_opened(self, opened: Opened) -> None:
        previous = self.opened
        same_source = previous is not None and (previous.kind, previous.path) == (
            opened.kind,
            opened.path,
        )
        self.opened = opened
        self.failure = ""
        if opened.path:
            self.files.remember(opened.path)
        if self.act_intermediates.isChecked():
            self._rebuild(True)
            return
        self.source.setText(opened.describe() + (" · live" if opened.endpoint else ""))
        self.live.watch(opened.endpoint)
        if self._evidence is not None:
            self._evidence.opened = opened
        if self._kernel is not None and opened.stage is not None:
            self._kernel.set_stage(opened.stage, live=opened.endpoint is not None)
        what = {"last-live": "the last live snapshot", "sample": "the bundled sample"}
        self.banner.say(
            f"{opened.notice} Showing {what.get(opened.kind, 'a file')} instead."
            if opened.notice
            else ""
        )
        self.search.set_graph(opened.graph)
        self.loaded.emit()
        self._arrange(fit=not same_source)  # a reload keeps the user's zoom and place

    def _rebuild(self, show_intermediates: bool) -> None:
        opened = self.opened

        def work(progress: object = None, cancel: object = None) -> Opened:
            assert opened is not None
            return with_graph(opened, show_intermediates)

        self._run("load", work, done=self._on_opened_rebuilt)

    def _on_opened_rebuilt(self, opened: Opened) -> None:
        self.opened = opened
        self.search.set_graph(opened.graph)
        self._arrange(fit=False)

    def _on_failed(self, exc: BaseException) -> None:
        self.progress.hide()
        self.failure = str(exc)
        if self.opened is None:
            self.source.setText("nothing loaded")
        self.banner.say(self.failure)
        self.loaded.emit()
        self.arranged.emit()

    def _arrange(self, fit: bool) -> None:
        """Filter and lay out in a worker, then update the scene by diffing."""
        if self.opened is None:
            return
        focus = self.selected if self.act_focus.isChecked() else None
        self.tree_filter = TreeFilter(
            self.tree_filter.hide_dangling, self.tree_filter.collapsed, focus
        )
        graph = self.opened.graph
        if self.tree_filter == TreeFilter() and self.opened.positions is not None:
            self._on_arranged((graph, self.opened.positions), fit)  # laid out with the load
            return

        def work(progress: object = None, cancel: object = None) -> tuple[Any, Any]:
            return arrange(graph, self.tree_filter)

        self._run("arrange", work, done=lambda result: self._on_arranged(result, fit))

    def _on_arranged(self, result: tuple[Any, Any], fit: bool) -> None:
        shown, positions = result
        self.progress.hide()
        if not self._warmed_up:
            self._warmed_up = True
            QTimer.singleShot(WARM_UP_MS, self._warm_up)
        self.shown = shown
        source = self.opened.graph if self.opened is not None else None
        self.view.show_graph(shown, positions, fit=fit, source=source)
        if self.selected is not None and self.selected not in self.view.tree.nodes:
            self.selected = None
        self._show_selection()
        self.arranged.emit()

    def _warm_up(self) -> None:
        """Import what the first selection needs (pyqtgraph for the size chart, ~0.2 s) in a
        worker once the first tree is on screen: the first click then answers like the next
        ones (measured on the sample: 266 ms cold, 22 ms warm)."""

        def work(progress: object = None, cancel: object = None) -> None:
            for name in FIRST_SELECTION_MODULES:
                importlib.import_module(name)

        task = tasks.Task(work)
        self._tasks["warm-up"] = task  # closing the window waits for it like any task
        tasks.start(task)

    # ---- selection, search, filters -------------------------------------------------------

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def select_node(self, node: str) -> None:
        """Select a node (search, chart, tests), centre on it and show its details."""
        if node not in self.view.tree.nodes:
            self.tree_filter = TreeFilter(False, frozenset(), None)  # reveal it first
            self.act_dangling.setChecked(False)
            self.act_focus.setChecked(False)
            self.selected = node
            self._arrange(fit=False)
            return
        tree = self.view.tree
        tree.blockSignals(True)  # one selectionChanged, not two: one highlight, one details
        tree.clearSelection()
        tree.blockSignals(False)
        tree.nodes[node].setSelected(True)
        self.view.jump_to(node)

    def set_presenting(self, on: bool) -> None:
        """Full screen, nothing but the picture: for a projector and a presentation clicker.
        F11 or Esc leaves it."""
        self.act_present.setChecked(on)
        for bar in (self.menuBar(), self.statusBar(), *self.findChildren(QToolBar)):
            bar.setVisible(not on)
        self.tabs.tabBar().setVisible(not on)
        policy = Qt.ScrollBarPolicy
        scroll = policy.ScrollBarAlwaysOff if on else policy.ScrollBarAsNeeded
        self.view.setHorizontalScrollBarPolicy(scroll)  # drag and keys still pan
        self.view.setVerticalScrollBarPolicy(scroll)
        self.banner.quiet = on
        if on:
            self._dock_before_presenting = self.panel.isVisible()
            self.panel.hide()
            self.banner.hide()
            self.showFullScreen()
        else:
            self.showNormal()
            self.panel.setVisible(self._dock_before_presenting and self.tabs.currentIndex() == 0)
        if self._kernel is not None:
            self._kernel.set_presenting(on)
        (self.view if self.tabs.currentIndex() == 0 else self.kernel).setFocus()

    def clear_selection(self) -> None:
        if self.act_present.isChecked():
            self.set_presenting(False)
            return
        self.view.tree.clearSelection()
        if self.act_focus.isChecked():
            self.act_focus.setChecked(False)
            self._arrange(fit=True)

    def _on_selection(self) -> None:
        items = [i for i in self.view.tree.selectedItems() if isinstance(i, NodeItem)]
        self.selected = items[0].node_id if items else None
        if self._evidence is not None:
            self._evidence.selected = self.selected
        self._show_selection()
        if self.act_focus.isChecked() and self.selected is not None:
            self._arrange(fit=True)

    def _show_selection(self) -> None:
        node, shown = self.selected, self.shown
        if node is None or shown is None or node not in shown:
            self.view.tree.highlight(None)
            self.panel.show_details(None)
            return
        item = self.view.tree.nodes[node]
        if not item.isSelected():
            self.view.tree.blockSignals(True)
            item.setSelected(True)
            self.view.tree.blockSignals(False)
        self.view.tree.highlight(set(ancestry(shown, node)))
        self._reveal_details_once()
        from fromscratch.core.graph.details import details  # first selection, not at launch

        graph = self.opened.graph if self.opened is not None else shown
        self.panel.show_details(
            details(graph if node in graph else shown, node), str(shown.nodes[node]["label"])
        )

    def _tree_action(self, action: str) -> None:
        """A story step points into the tree: at scratch, or at the selected image's base."""
        if self.shown is None:
            return
        if action == "scratch":
            self.view.tree.clearSelection()
            self.select_node("scratch")
        elif action == "select-base" and self.opened is not None:
            from fromscratch.core.story.picture import base_of

            node = self.selected
            if node is None or node not in self.opened.graph:
                stage = self.opened.stage
                node = stage.boxes[0].base if stage is not None and stage.boxes else None
            if node is not None:
                self.select_node(base_of(self.opened.graph, node))

    def _keep_contents(self, contents: Any) -> None:
        """Contents summaries join the open data, so File > Save snapshot keeps them."""
        runner = self._evidence
        if self.opened is not None and runner is not None and runner.opened is not None:
            self.opened = replace(self.opened, inventory=runner.opened.inventory)

    def _evidence_busy(self, busy: bool) -> None:
        self.progress.setRange(0, 0)
        self.progress.setVisible(busy)

    def toggle_collapse(self, node: str) -> None:
        self.tree_filter = self.tree_filter.toggled(node)
        self._arrange(fit=False)

    def _expand_all(self) -> None:
        self.tree_filter = TreeFilter(self.tree_filter.hide_dangling, frozenset(), None)
        self._arrange(fit=False)

    def _set_hide_dangling(self, on: bool) -> None:
        self.tree_filter = TreeFilter(on, self.tree_filter.collapsed, self.tree_filter.focus)
        self.settings.setValue("hide_dangling", on)
        self._arrange(fit=False)

    def _set_intermediates(self, on: bool) -> None:
        if self.opened is not None:
            self._rebuild(on)

    def _set_focus(self, on: bool) -> None:
        self._arrange(fit=True)

    def set_theme(self, choice: str) -> None:
        """`system`, `light` or `dark`; remembered."""
        from fromscratch.gui.theme import activate, resolve

        for key, action in self.theme_actions.items():
            action.setChecked(key == choice)
        self.settings.setValue("theme", choice)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            activate(app, resolve(choice))
        self.view.restyle()
        self._show_selection()

    def _set_motion(self, on: bool) -> None:
        self.view.reduced_motion = on
        if self._kernel is not None:
            self._kernel.set_reduced_motion(on)
        self.settings.setValue("reduced_motion", on)

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if not self._state_restored:  # first run: the whole width for the tree ...
            self._state_restored = True
            self._reveal_details = True
            self.panel.hide()

    def _reveal_details_once(self) -> None:
        """... until the first selection brings the details in (after that the dock stays as
        the user leaves it, and the next run restores it)."""
        if not self._reveal_details or self.act_present.isChecked():
            return
        if self.tabs.currentIndex() != 0:
            return
        self._reveal_details = False
        if self.panel.isVisible():  # the user opened it already, at a width of their choosing
            return
        self.panel.show()
        width = max(320, min(560, int(self.width() * 0.32)))
        self.resizeDocks([self.panel], [width], Qt.Orientation.Horizontal)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        urls: list[QUrl] = event.mimeData().urls()
        files = [u.toLocalFile() for u in urls if u.isLocalFile()]
        if files:
            self.open_path(files[0])
            event.acceptProposedAction()

    def closeEvent(self, event: Any) -> None:
        self.settings.setValue("geometry", self.saveGeometry())
        self.settings.setValue("state", self.saveState())
        self.stop_work()
        super().closeEvent(event)

    def stop_work(self) -> None:
        """Stop the event watcher and animations, cancel the tasks and wait for the pool, so
        no worker reports to a window that is gone. On close, and when the application quits
        without closing it (`--screenshot` exits with the window open)."""
        self.live.stop()
        if self._kernel is not None:
            self._kernel.scene.stop()
        tasks.shutdown(list(self._tasks.values()))  # waits for running saves too (the pool drains)

"""The main window: layout, docks, tabs, presentation mode and drag-and-drop around a
controller (gui.window.controller), which owns what is open, shown and selected.

The status bar always names the source; a banner says why the engine was not used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QMainWindow,
    QVBoxLayout,
    QWidget,
)

from fromscratch.core.graph.filters import TreeFilter
from fromscratch.gui.containers.following import Containers
from fromscratch.gui.details.panel import DetailsPanel
from fromscratch.gui.details.shown import DockShown
from fromscratch.gui.disk.figures import DiskFigures
from fromscratch.gui.present.presenting import Presenter, Stage
from fromscratch.gui.present.storyline import Storyline
from fromscratch.gui.tree.focus import BaseFocus
from fromscratch.gui.tree.pairing import CardPairing
from fromscratch.gui.tree.search import SearchBox
from fromscratch.gui.tree.sizes import SizeShading
from fromscratch.gui.tree.view import TreeView
from fromscratch.gui.window import settings as remembered
from fromscratch.gui.window import warmup
from fromscratch.gui.window.banner import Banner
from fromscratch.gui.window.connect import EngineChooser
from fromscratch.gui.window.context import Context, ViewState
from fromscratch.gui.window.controller import Controller, Shown
from fromscratch.gui.window.fileactions import FileActions
from fromscratch.gui.window.help import Helper
from fromscratch.gui.window.menus import build_menus
from fromscratch.gui.window.status import StatusBar
from fromscratch.gui.window.tabs import KERNEL_TAB, TREE_TAB, ViewTabs

if TYPE_CHECKING:
    from PySide6.QtGui import QAction, QCloseEvent, QShowEvent

    from fromscratch.core.session.opening import Opened
    from fromscratch.gui.disk.sunburst import SunburstView
    from fromscratch.gui.kernel.evidence import EvidenceRunner
    from fromscratch.gui.kernel.view import KernelView


class MainWindow(QMainWindow):
    """The desktop window. `loaded` fires after every load attempt, `arranged` after the tree
    is on screen (tests and --screenshot wait for them)."""

    loaded = Signal()
    arranged = Signal()

    def __init__(self, file: str | None = None, settings: QSettings | None = None) -> None:
        super().__init__()
        self.setWindowTitle("fromscratch")
        self.settings = settings or QSettings()
        self.state = ViewState(self)
        hide = remembered.HIDE_DANGLING.read(self.settings)
        self.controller: Controller = Controller(self, hide_dangling=hide)
        self.view: TreeView = TreeView(self)
        self.banner = Banner(self)
        self.tabs = ViewTabs(self.controller, self.view, self)
        self.tabs.kernel_made.connect(self._kernel_made)
        self.tabs.disk_made.connect(lambda view: _rings(self, view))
        self.tabs.images_made.connect(
            lambda view: view.attach(self.context, self.containers.changed)
        )
        self.tabs.files_made.connect(lambda view: view.attach(self.context, self.focus))
        central = QWidget(self)
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.banner)
        column.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self.panel = DetailsPanel(self)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.panel)
        self.search = SearchBox(self)
        self.status = StatusBar(self)
        self.setStatusBar(self.status)
        self.dock_shown = DockShown(self, self.panel, self.settings)
        self._warmed_up = False
        self._dock_pending = True
        self.files: FileActions = FileActions(
            self.controller, self.settings, self.tabs.picture_view, self
        )
        self.files.message.connect(self.statusBar().showMessage)
        self.connector: EngineChooser = EngineChooser(self.controller, self)
        self.disk = DiskFigures(self.controller)
        self.disk.ready.connect(self.show_selection)
        self.context: Context = _context_of(self)
        """What the features are given (gui.window.context), never the window itself."""
        self.storyline = Storyline(self.context, self.view, self.tabs)
        self.sizes: SizeShading = SizeShading(self.context)
        self.focus: BaseFocus = BaseFocus(self.context, self.panel)
        self.containers: Containers = Containers(self.context)
        self.containers.changed.connect(self._on_containers)
        self.presenter: Presenter = Presenter(self.context, _stage_of(self))
        self.helper: Helper = Helper(self, self.settings)
        self.banner.retry.connect(self.controller.reload)
        details = self.panel.toggleViewAction()
        details.setText("Detai&ls")
        self._actions, self.theme_actions = build_menus(
            self, self.files.recent_menu, details, self.set_theme
        )
        self.theme_choice: str = remembered.THEME.read(self.settings)
        self._check_theme(self.theme_choice)
        self.action("dangling").setChecked(self.controller.tree_filter.hide_dangling)
        self.action("sizes-off").setChecked(True)
        tools = self.search.toolbar()
        self.helper.add_legend_button(tools)
        self.addToolBar(tools)
        self._wire()
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.stop_work)
        self._restore()
        if file:
            self.controller.open_path(file)
        else:
            self.controller.reload()

    # ---- set-up ---------------------------------------------------------------------------

    def action(self, name: str) -> QAction:
        """A named action of the menu table (gui.window.menus): `present`, `focus` ..."""
        return self._actions[name]

    def _wire(self) -> None:
        controller = self.controller
        controller.loading.connect(self.status.source.setText)
        controller.loaded.connect(self._on_loaded)
        controller.contents_read.connect(self._on_contents_read)
        controller.load_failed.connect(self._on_failed)
        controller.arranged.connect(self._on_arranged)
        controller.selection_changed.connect(lambda _node: self.show_selection())
        controller.selection_changed.connect(self.search.follow_selection)
        controller.filter_changed.connect(self._on_filter_changed)
        controller.busy.connect(self.status.set_busy)
        controller.progress.connect(self.status.set_progress)
        controller.file_opened.connect(self.files.remember)
        controller.notice.connect(lambda text: self.statusBar().showMessage(text, 15000))
        controller.columns_fit = self.view.columns_that_fit
        self.pairing = CardPairing(self.view.tree, controller, self.statusBar())
        self.view.node_activated.connect(controller.toggle_collapse)
        self.view.too_wide.connect(controller.collapse_to_overview)
        self.view.arrow_pressed.connect(lambda way: self.select_node(controller.neighbour(way)))
        self.view.details_requested.connect(lambda _node: self.panel.show())
        self.search.found.connect(self.select_node)  # then the keys go to the tree: the
        self.search.found.connect(lambda _node: self.show_tab(TREE_TAB))  # arrows walk on
        self.search.missed.connect(
            lambda text: self.statusBar().showMessage(f"no image matches {text!r}", 5000)
        )
        self.tabs.currentChanged.connect(self._on_tab)

    def _restore(self) -> None:
        geometry = remembered.GEOMETRY.read(self.settings)
        self.geometry_restored = geometry is not None and self.restoreGeometry(geometry)
        state = remembered.STATE.read(self.settings)
        self._state_restored = state is not None and self.restoreState(state)
        motion = remembered.REDUCED_MOTION.read(self.settings)
        self.action("motion").setChecked(motion)
        self.state.set_reduced_motion(on=motion)
        self.view.reduced_motion = motion
        self.files.fill_recent()

    # ---- tabs -----------------------------------------------------------------------------

    def _on_contents_read(self, opened: Opened) -> None:
        if self.tabs.built_kernel is not None:
            self.kernel.set_picture(opened.picture, live=opened.source.live)

    @property
    def kernel(self) -> KernelView:
        """The kernel & user-space view (made on first use)."""
        return self.tabs.kernel

    def _kernel_made(self, kernel: KernelView, runner: EvidenceRunner) -> None:
        runner.busy.connect(self.status.set_busy)
        kernel.tree_action.connect(self.storyline.tree_action)
        kernel.story_move.connect(self.storyline.on_kernel_move)
        kernel.set_continued(self.storyline.after_kernel)
        kernel.set_reduced_motion(on=self.state.reduced_motion)
        kernel.set_text_px(self.presenter.text_px)  # made while presenting

    def show_tab(self, index: int) -> None:
        self.tabs.setCurrentIndex(index)  # the kernel view is made on its first visit
        self.tabs.view_at(index).setFocus()

    def _on_tab(self, index: int) -> None:
        """The details dock belongs to the tree: hide it beside the kernel picture. Home is
        the tree's "go to scratch" there, the story's first step here."""
        presenting = self.state.presenting  # Home: the story's first step
        self.action("home").setEnabled(index == TREE_TAB and not presenting)
        self.action("fit").setEnabled(index == TREE_TAB)  # F: the rings fit themselves
        self.tabs.view_at(index).setFocus()  # keys go to the view
        self.dock_shown.tab_shown(tree_side=index != KERNEL_TAB)

    # ---- what the controller reports ---------------------------------------------------------

    def _on_loaded(self, opened: Opened) -> None:
        self.status.source.setText(opened.describe() + (" · live" if opened.source.live else ""))
        if self.tabs.built_kernel is not None:
            self.kernel.set_picture(opened.picture, live=opened.source.live)
        why = " ".join(t for t in (self.controller.passed_over, opened.notice) if t)
        self.controller.passed_over = ""
        self.banner.say(
            f"{why} Showing {opened.source.name} instead." if why else "",
            can_retry=self.controller.by_default and bool(opened.notice),
        )
        self.search.set_graph(opened.graph)
        self.storyline.data_changed()
        self.loaded.emit()

    def _on_containers(self, patched: Opened) -> None:
        """Containers listed again (gui.containers.following): the picture's boxes follow."""
        if self.tabs.built_kernel is not None:
            self.kernel.set_picture(patched.picture, live=True)

    def _on_failed(self, failure: str) -> None:
        if self.controller.opened is None:
            self.status.source.setText("nothing loaded")
        self.banner.say(failure, can_retry=self.controller.by_default)
        self.loaded.emit()
        self.arranged.emit()

    def _on_arranged(self, shown: Shown) -> None:
        if not self._warmed_up:
            self._warmed_up = True
            QTimer.singleShot(warmup.AFTER_MS, warmup.warm_up)
            self.helper.hint_once()
        opened = self.controller.opened
        source = opened.graph if opened is not None else None
        self.view.show_graph(shown.tree, shown.positions, fit=shown.fit, source=source)
        self.show_selection()
        self.arranged.emit()

    def _on_filter_changed(self, tree_filter: TreeFilter) -> None:
        """Keep the Filters menu's check marks true (a search can lift the filters)."""
        self.action("dangling").setChecked(tree_filter.hide_dangling)
        self.action("focus").setChecked(self.controller.focus_ancestry)

    # ---- selection and filters ------------------------------------------------------------

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def select_node(self, node: str | None) -> None:
        """Select a node (search, arrow keys, tests), centre on it, show its details."""
        if node is None:
            return
        self.controller.select(node)
        if node in self.view.tree.nodes:
            self.view.jump_to(node)

    def clear_selection(self) -> None:
        if self.state.presenting:
            self.set_presenting(on=False)
            return
        self.view.tree.clearSelection()
        self.controller.clear_selection()

    def show_selection(self) -> None:
        """The controller's selection on screen: the card selected, its path to scratch lit, its
        details in the dock."""
        controller = self.controller
        node, path = controller.selected, controller.path_to_scratch()
        if not self.view.tree.show_selection(node, path) or node is None:
            self.panel.show_details(None)
            return
        on_tree = self.tabs.currentIndex() == TREE_TAB and not self.state.presenting
        self.dock_shown.selected(allowed=on_tree)
        opened, shown = controller.opened, controller.shown
        assert shown is not None
        graph = opened.graph if opened is not None and node in opened.graph else shown
        self.panel.show_node(graph, node, self.disk.current())

    def set_hide_dangling(self, *, on: bool) -> None:
        remembered.HIDE_DANGLING.write(self.settings, on)
        self.controller.set_hide_dangling(on=on)

    # ---- look and presentation ------------------------------------------------------------

    def set_presenting(self, *, on: bool, full_screen: bool = True) -> None:
        """Presentation mode (gui.present.presenting)."""
        self.presenter.set_presenting(on=on, full_screen=full_screen)

    def set_theme(self, choice: str, *, remember: bool = True, by_user: bool = True) -> None:
        """`system`, `light`, `dark` or `projector`; remembered unless `remember=False`
        (`--theme`); `by_user=False` for presentation's own switch (gui.present.presenting)."""
        from fromscratch.gui.theme import activate, resolve

        self._check_theme(choice)
        if by_user:
            self.theme_choice = choice
        if remember:
            remembered.THEME.write(self.settings, choice)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            activate(app, resolve(choice))
        self.view.restyle()
        self.tabs.restyle()
        self.show_selection()

    def _check_theme(self, choice: str) -> None:
        for key, action in self.theme_actions.items():
            action.setChecked(key == choice)

    def set_reduced_motion(self, *, on: bool) -> None:
        self.state.set_reduced_motion(on=on)
        self.view.reduced_motion = on
        if self.tabs.built_kernel is not None:
            self.kernel.set_reduced_motion(on=on)
        remembered.REDUCED_MOTION.write(self.settings, on)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._dock_pending:  # once, when first shown (gui.details.shown)
            self._dock_pending = False
            self.dock_shown.restored(state_restored=self._state_restored)

    # ---- closing -----------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        remembered.GEOMETRY.write(self.settings, self.saveGeometry())
        remembered.STATE.write(self.settings, self.saveState())
        self.dock_shown.closing()
        self.stop_work()
        super().closeEvent(event)

    def stop_work(self) -> None:
        """Stop the event watcher and animations, cancel the tasks and wait for the pool, so
        no worker reports to a window that is gone. On close, and when the application quits
        without closing it (`--screenshot` exits with the window open)."""
        if self.tabs.built_kernel is not None:
            self.kernel.scene.stop()
        self.disk.stop()
        self.containers.stop()
        self.controller.stop()  # waits for the pool: running saves and the warm-up too


def _context_of(window: MainWindow) -> Context:
    return Context(
        controller=window.controller,
        state=window.state,
        settings=window.settings,
        window=window,
        tree=window.view.tree,
        disk=window.disk,
        arranged=window.arranged,
        action=window.action,
        select_node=window.select_node,
        show_selection=window.show_selection,
        show_tab=window.show_tab,
    )


def _stage_of(window: MainWindow) -> Stage:
    return Stage(
        window.tabs,
        window.panel,
        window.banner,
        window.storyline,
        theme_choice=lambda: window.theme_choice,
        set_theme=window.set_theme,
    )


def _rings(window: MainWindow, view: SunburstView) -> None:
    """The disk tab's rings follow what is open (their module loads with the tab, not at
    launch: 7-12 ms)."""
    from fromscratch.gui.disk.sunburst import DiskRings

    DiskRings(window.context, view, window.presenter.text_px)

"""The window's controller: what is open, what part of it is shown, what is selected, and the
work that gets there. No widgets: the window (and tests) listen to its signals.

Loading, lineage, filtering and layout run as tasks in the worker pool (gui.tasks); the
controller only swaps immutable results in on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from PySide6.QtCore import QObject, Signal

from fromscratch.core.graph.filters import TreeFilter, arrange
from fromscratch.core.graph.layout import Position
from fromscratch.core.graph.tree import Tree, ancestry
from fromscratch.core.session.source import SourceKind
from fromscratch.core.task import Task, TaskContext
from fromscratch.gui import tasks
from fromscratch.gui.kernel.pictured import read_pictured
from fromscratch.gui.window.filtercommands import FilterCommands
from fromscratch.gui.window.live import LiveUpdates

if TYPE_CHECKING:
    from fromscratch.core.engine.endpoint import Endpoint
    from fromscratch.core.graph.neighbours import Direction
    from fromscratch.core.session.opening import Opened
    from fromscratch.core.story.steps import TreeAction

T = TypeVar("T")
FOLLOWS = (SourceKind.ENGINE, SourceKind.LAST_LIVE)
"""The sources of one engine over time: live, and its last snapshot while it is away."""


def _open_default(host: str | None, context: TaskContext) -> Opened:
    """In the worker: opening (lineage, layout, the sources) loads there too, as the main
    thread builds the window (core.session.opening)."""
    from fromscratch.core.engine.failures import Surface
    from fromscratch.core.session.opening import open_default

    return open_default(host, context=context, surface=Surface.WINDOW)


def _open_file(path: str, context: TaskContext) -> Opened:
    from fromscratch.core.session.opening import open_file

    return open_file(path, context)


class Shown(NamedTuple):
    """The tree on screen (after filters), its layout, and whether to frame it anew (another
    source, a focus change) rather than keep the user's zoom and place."""

    tree: Tree
    positions: dict[str, Position]
    fit: bool


class Controller(FilterCommands, QObject):
    """Signals, all on the GUI thread:

    - `loading(text)`: a load started (text for the status bar);
    - `loaded(Opened)`: data arrived; `load_failed(text)`: a load failed (the old data stays);
    - `arranged(Shown)`: a tree is ready to draw; `selection_changed(node)`: "" for none;
    - `filter_changed(TreeFilter)`: the filter changed (by a command, or to reveal a node);
    - `busy(bool)`, `progress(done, total)`: for a progress bar;
    - `file_opened(path)`: a file was read (for the recent-files list);
    - `notice(text)`: something the user should know (for the status bar);
    - `contents_read(Opened)`: the pictured user spaces' summaries joined the open data;
    - `compared_changed(node)`: the image the selection is compared with ("" for its parent).
    """

    loading = Signal(str)
    loaded = Signal(object)  # Opened: imported when the first load runs (start-up stays short)
    load_failed = Signal(str)
    arranged = Signal(Shown)
    selection_changed = Signal(str)
    filter_changed = Signal(TreeFilter)
    busy = Signal(bool)
    progress = Signal(int, int)
    file_opened = Signal(str)
    notice = Signal(str)
    contents_read = Signal(object)  # Opened, as `loaded`
    compared_changed = Signal(str)

    def __init__(self, parent: QObject | None = None, *, hide_dangling: bool = False) -> None:
        super().__init__(parent)
        self.opened: Opened | None = None
        """What is open."""
        self.shown: Tree | None = None
        """The tree on screen, after filters."""
        self.positions: dict[str, Position] = {}
        """Its layout."""
        self.selected: str | None = None
        self.compared: str | None = None
        """A second selected image (Ctrl+click): the Files tab compares the selection with it
        instead of its parent. Ends when the selection changes."""
        self.tree_filter = TreeFilter(hide_dangling=hide_dangling)
        self.focus_ancestry = False
        """Show only the selection's ancestry (Filters > Only the ancestry of the selection)."""
        self.show_intermediates = False
        self.failure = ""
        """The last load's one-line error; empty after a successful load."""
        self.workers: dict[str, tasks.Worker] = {}
        self.host: str | None = None
        """The engine chosen with File > Connect to… (None: as configured, like the CLI)."""
        self.by_default = True
        """What is open came from the default sources (the engine, else the last snapshot,
        else the sample), not from a file the user opened: it follows the engine."""
        self.columns_fit: Callable[[float], int] | None = None
        """How many cards fit side by side at a level of detail (the tree view tells): for
        the overview (core.graph.overview)."""
        self.live = LiveUpdates(self)
        self.live.reload_needed.connect(self.live_reload)
        self.live.presence_changed.connect(self._engine_presence)

    # ---- work -----------------------------------------------------------------------------

    def run(self, kind: str, task: Task[T], done: Callable[[T], object]) -> None:
        """Start `task` in a worker; a newer task of the same kind cancels the older one."""
        old = self.workers.get(kind)
        if old is not None:
            old.cancel()
        self.busy.emit(True)
        self.workers[kind] = tasks.run(
            task, done=done, failed=self._failed, progress=self.progress.emit, owner=self
        )

    def stop(self) -> None:
        """Stop following the engine, cancel every task and wait for the pool (on close, and
        when the application quits with the window open: `--screenshot`)."""
        self.live.stop()
        tasks.shutdown(list(self.workers.values()))

    # ---- loading --------------------------------------------------------------------------

    def reload(self) -> None:
        """The live engine, else the last live snapshot, else the sample."""
        self.by_default = True
        self.loading.emit("loading from the Docker engine…")
        self._load_default()

    def _load_default(self) -> None:
        """The default sources, from the engine chosen now (a later choice is another load)."""
        host = self.host
        self.run("load", lambda context: _open_default(host, context), self._loaded)

    def connect_to(self, host: str | None) -> None:
        """File > Connect to…: follow this engine from now on (None: as configured)."""
        self.host = host
        self.live.stop()
        self.reload()

    def live_reload(self) -> None:
        """The engine changed (an image or container event): read it again, keeping the view."""
        if self.opened is not None and self.opened.source.live:
            self._load_default()

    def _engine_presence(self, present: bool) -> None:  # noqa: FBT001 (a signal's argument)
        """The engine went away (show the last snapshot, say why) or is back (live again),
        keeping the selection and the view; a file the user opened stays open."""
        opened = self.opened
        if opened is None or not self.by_default or opened.source.live == present:
            return
        self._load_default()

    passed_over = refused_file = ""
    """Why the file asked for first was not opened (the default sources opened instead): for
    the next notice only, and kept (`--screenshot` of such a file fails)."""

    def open_path(self, path: str) -> None:
        self.by_default = False
        self.passed_over = ""
        self.loading.emit(f"opening {path}…")
        self.run("load", lambda context: _open_file(path, context), self._loaded)

    def _loaded(self, opened: Opened) -> None:
        previous = self.opened
        same_source = previous is not None and (
            (previous.kind, previous.path) == (opened.kind, opened.path)
            or (self.by_default and previous.kind in FOLLOWS and opened.kind in FOLLOWS)
        )  # the engine and its last snapshot are one source that comes and goes
        if opened.show_intermediates != self.show_intermediates:
            self._rebuild(opened)  # the user asked for them while this was loading
            return
        self.opened = opened
        self.failure = ""
        if opened.path:
            self.file_opened.emit(opened.path)
        self.live.watch(self._followed(opened), later=not opened.source.live)
        self.loaded.emit(opened)
        read_pictured(self, opened)
        if not same_source:
            self._overview(opened)
        self.arrange(fit=not same_source)  # a reload keeps the user's zoom and place

    def _overview(self, opened: Opened) -> None:
        """Too wide to read when fitted: collapse to the generations that fit."""
        if self.columns_fit is None:
            return
        from fromscratch.core.graph.overview import overview_collapse, overview_notice
        from fromscratch.gui.tree.items import COMPACT_LOD, DETAIL_LOD

        fit = self.columns_fit
        collapsed = overview_collapse(opened.graph, fit(DETAIL_LOD), beyond=fit(COMPACT_LOD))
        if collapsed:
            self.tree_filter = replace(self.tree_filter, collapsed=collapsed)
            self.filter_changed.emit(self.tree_filter)
            self.notice.emit(overview_notice(opened.graph, collapsed))

    def _followed(self, opened: Opened) -> Endpoint | None:
        """The engine to watch: the one the data came from, or, when it did not answer, the
        one that was tried (to notice its return); none for a file the user opened."""
        if opened.source.live:
            return opened.endpoint
        if not self.by_default:
            return None
        from fromscratch.core.engine.endpoint import candidates

        return candidates(self.host)[0]

    def _failed(self, exc: BaseException) -> None:
        self.busy.emit(False)
        self.failure = str(exc)
        if self.opened is None and not self.by_default:
            # A file from the command line that cannot be opened: say so, and show what
            # opens with no file rather than an empty window.
            self.passed_over = self.refused_file = self.failure
            self.reload()
            return
        self.load_failed.emit(self.failure)

    def set_show_intermediates(self, *, on: bool) -> None:
        """Filters > Show build intermediates: the lineage is built again."""
        self.show_intermediates = on
        if self.opened is not None:
            self._rebuild(self.opened)

    def _rebuild(self, opened: Opened) -> None:
        wanted = self.show_intermediates

        def work(context: TaskContext) -> Opened:
            from fromscratch.core.session.opening import rebuilt

            return rebuilt(opened, show_intermediates=wanted)

        self.run("load", work, self._loaded)

    def keep_contents(self, image_id: str, summary: dict[str, Any]) -> None:
        """An image's contents summary joins the open data (core.session.opening)."""
        if self.opened is not None:
            self.opened = self.opened.with_contents({image_id: summary})

    # ---- filtering and layout -------------------------------------------------------------

    def arrange(self, *, fit: bool) -> None:
        """Filter and lay out in a worker; `shown` follows."""
        opened = self.opened
        if opened is None:
            return
        focus = self.selected if self.focus_ancestry else None
        self.tree_filter = replace(self.tree_filter, focus=focus)
        tree_filter = self.tree_filter
        if tree_filter == TreeFilter():  # laid out with the load: no second task
            self._arranged((opened.graph, opened.positions), fit=fit)
            return

        def work(context: TaskContext) -> tuple[Tree, dict[str, Position]]:
            return arrange(opened.graph, tree_filter)

        self.run("arrange", work, lambda result: self._arranged(result, fit=fit))

    def _arranged(self, result: tuple[Tree, dict[str, Position]], *, fit: bool) -> None:
        tree, positions = result
        self.busy.emit(False)
        self.shown, self.positions = tree, positions
        if self.selected is not None and self.selected not in tree:
            self.selected = None
        self.arranged.emit(Shown(tree, positions, fit))

    # ---- selection ------------------------------------------------------------------------

    def select(self, node: str | None) -> None:
        """Select `node` (None: nothing). A node the filters hide is revealed first: the
        filters are lifted, the tree is laid out again, and the selection follows it."""
        if node is not None and (self.shown is None or node not in self.shown):
            if self.opened is None or node not in self.opened.graph:
                return
            from fromscratch.core.graph.filters import revealing

            self.tree_filter = revealing(self.opened.graph, self.tree_filter, node)
            self.focus_ancestry = self.focus_ancestry and self.tree_filter.focus is not None
            self.selected = node
            self.filter_changed.emit(self.tree_filter)
            self.arrange(fit=False)
            return
        changed = node != self.selected
        if changed:
            self.compare_with(None)
        self.selected = node
        if changed:
            self.selection_changed.emit(node or "")
        if self.focus_ancestry and node is not None and changed:
            self.arrange(fit=True)

    def compare_with(self, node: str | None) -> None:
        """Compare the selection with `node` (None: with its parent, as by default)."""
        if node == self.selected:
            node = None
        if node != self.compared:
            self.compared = node
            self.compared_changed.emit(node or "")

    def neighbour(self, direction: Direction) -> str | None:
        """The card an arrow key leads to from the selection (core.graph.neighbours)."""
        if self.selected is None or self.shown is None:
            return None
        from fromscratch.core.graph.neighbours import neighbour

        return neighbour(self.shown, self.positions, self.selected, direction)

    def clear_selection(self) -> None:
        """Nothing selected; leaving "only the ancestry" shows the whole tree again."""
        self.select(None)
        if self.focus_ancestry:
            self.focus_ancestry = False
            self.filter_changed.emit(self.tree_filter)
            self.arrange(fit=True)

    def story_target(self, action: TreeAction) -> str | None:
        """The node a story step points at (core.story.picture.tree_target)."""
        opened = self.opened
        if opened is None or self.shown is None:
            return None
        from fromscratch.core.story.picture import tree_target

        return tree_target(opened.graph, opened.picture, self.selected, action)

    def path_to_scratch(self) -> list[str]:
        """The selection, its parent, ... down to scratch, as shown; empty with no selection.
        With a second image compared, its path follows (both are lit)."""
        if self.selected is None or self.shown is None or self.selected not in self.shown:
            return []
        path = ancestry(self.shown, self.selected)
        if self.compared is not None and self.compared in self.shown:
            path += [n for n in ancestry(self.shown, self.compared) if n not in path]
        return path

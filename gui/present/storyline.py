"""One story across both views: the kernel view's steps (core.story.steps), then the walk up
the tree (core.story.walk), one level at a time. PageDown and PageUp (what clickers send) step
through all of it from either tab; the story's step decides which tab shows.

While presenting, the tree shows only the walk's chain, its other images standing as "+N
more" cards, fitted to the screen above the caption."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent

from fromscratch.core.graph.tree import ancestry
from fromscratch.gui.window.tabs import KERNEL_TAB, TREE_TAB

if TYPE_CHECKING:
    from fromscratch.core.graph.tree import Tree
    from fromscratch.core.story.steps import TreeAction
    from fromscratch.core.story.walk import Walk
    from fromscratch.gui.tree.caption import WalkCaption
    from fromscratch.gui.tree.view import TreeView
    from fromscratch.gui.window.context import Context
    from fromscratch.gui.window.tabs import ViewTabs

PRESENTED_MAX_FIT = 4.0
"""Presenting, a short chain may be drawn up to 4x (a 4K projector)."""


class Storyline(QObject):
    """Owns the story's position over both views and the tree's caption."""

    def __init__(self, context: Context, view: TreeView, tabs: ViewTabs) -> None:
        super().__init__(context.window)
        self.context, self.view, self.tabs = context, view, tabs
        self._caption: WalkCaption | None = None
        self._text_px = 0
        self.at: int | None = None
        """The walk step on screen; None when the story is not on the tree."""
        self._graph: Tree | None = None
        self._top: str | None = None
        self._walk: Walk | None = None
        self.presenting = False
        view.installEventFilter(self)
        context.arranged.connect(self._relight)

    @property
    def caption(self) -> WalkCaption:
        """The tree's caption, made when the walk first needs it (start-up stays short)."""
        if self._caption is None:
            from fromscratch.gui.tree import caption as made_here

            caption = self._caption = made_here.WalkCaption(self.view)
            caption.back.connect(self.previous)
            caption.forward.connect(self.next)
            caption.closed.connect(self.close)
            caption.set_text_px(self._text_px)
        return self._caption

    # ---- the story's steps ----------------------------------------------------------------

    @property
    def walk(self) -> Walk | None:
        """The walk of what is open, made when first asked for after each load."""
        opened = self.context.controller.opened
        if opened is None:
            return None
        # Up to the image the user selected, when there is one (the walk used to light
        # another chain while the dock showed the selection); fixed while it is on screen.
        top = self._top if self.at is not None else self.context.controller.selected
        if self._graph is not opened.graph or top != self._top:
            from fromscratch.core.story.walk import walk_of

            self._graph, self._top = opened.graph, top
            self._walk = walk_of(opened.graph, top)
        return self._walk

    @property
    def kernel_steps(self) -> int:
        """The kernel view's steps (core.story.steps, imported once the story is used)."""
        from fromscratch.core.story.steps import STORY

        return len(STORY)

    @property
    def after_kernel(self) -> int:
        """The story's steps after the kernel view's: the walk's."""
        walk = self.walk
        return len(walk.steps) if walk is not None else 0

    @property
    def total(self) -> int:
        return self.kernel_steps + self.after_kernel

    def position(self) -> int:
        """The step on screen, over the whole story; -1 before the story began."""
        if self.at is not None:
            return self.kernel_steps + self.at
        kernel = self.tabs.built_kernel
        return kernel.index if kernel is not None else -1

    def go(self, position: int) -> None:
        position = max(0, min(position, self.total - 1))
        if position < self.kernel_steps:
            self.close()
            self.context.show_tab(KERNEL_TAB)
            if self.tabs.kernel.index != position:
                self.tabs.kernel.show_step(position)
        else:
            self.show_walk(position - self.kernel_steps)

    def next(self) -> None:
        self.go(self.position() + 1)

    def previous(self) -> None:
        self.go(self.position() - 1)

    def on_kernel_move(self, move: str) -> None:
        """The kernel view went past its last step (`next`) or asked for the story's end."""
        self.go(self.position() + 1 if move == "next" else self.total - 1)

    def data_changed(self) -> None:
        """A load finished: the walk follows the new data, and so does a presented tree.
        Nothing is computed before the story is first visited (start-up stays short)."""
        kernel = self.tabs.built_kernel
        if kernel is None and not self.presenting and self.at is None:
            return
        if kernel is not None:
            kernel.set_continued(self.after_kernel)
        if self.presenting:
            self._present_chain()
        walk = self.walk
        if self.at is not None:
            if walk is None or not walk.steps:
                self.close()
            else:
                self.show_walk(min(self.at, len(walk.steps) - 1))

    def tree_action(self, action: TreeAction) -> None:
        """A kernel step points into the tree: it lights its own chain; the user's
        selection stays."""
        controller = self.context.controller
        node, shown = controller.story_target(action), controller.shown
        if node is not None and shown is not None and node in shown:
            self.view.tree.highlight(set(ancestry(shown, node)))
            self.view.jump_to(node)

    # ---- the walk on the tree -------------------------------------------------------------

    def show_walk(self, index: int) -> None:
        walk = self.walk
        if walk is None or not walk.steps:
            return
        index = max(0, min(index, len(walk.steps) - 1))
        self.at = index
        self.context.show_tab(TREE_TAB)
        self.caption.show_step(walk.steps[index], self.kernel_steps + index + 1, self.total)
        self.view.inset = self.caption.height()
        self._relight()

    def _relight(self) -> None:
        """Light the chain up to the step's level (again after a new layout), and frame it."""
        walk, view = self.walk, self.view
        if self.at is None or walk is None or self.at >= len(walk.steps):
            return
        step = walk.steps[self.at]
        view.tree.highlight({n for n in walk.lit(step) if n in view.tree.nodes})
        if self.presenting:
            view.fit(animated=False)
        elif step.node in view.tree.nodes:
            view.jump_to(step.node)

    def close(self) -> None:
        """Leave the walk: the caption goes, the user's selection is lit again."""
        if self.at is None:
            return
        self.at = None
        if self._caption is not None:
            self._caption.hide()
        self.view.inset = 0
        self.context.show_selection()

    # ---- presenting -----------------------------------------------------------------------

    def set_presenting(self, *, on: bool) -> None:
        self.presenting = on
        view = self.view
        view.max_fit = PRESENTED_MAX_FIT if on else 1.0
        view.show_focus = not on  # no ring on a projector
        if on:
            self._present_chain()
        else:
            self.context.controller.present_chain(())

    def _present_chain(self) -> None:
        walk = self.walk
        self.context.controller.present_chain(walk.chain if walk is not None else ())

    def set_text_px(self, pixels: int) -> None:
        self._text_px = pixels
        if self._caption is not None:
            self._caption.set_text_px(pixels)
        if self.at is not None:
            self.view.inset = self.caption.height()

    # ---- keys on the tree -----------------------------------------------------------------

    def _action_for(self, key: int) -> Callable[[], None] | None:
        walking = self.at is not None
        if key == Qt.Key.Key_PageDown or (walking and key == Qt.Key.Key_Space):
            return self.next
        if key == Qt.Key.Key_PageUp:
            return self.previous
        if self.presenting and key == Qt.Key.Key_Home:
            return lambda: self.go(0)
        if self.presenting and key == Qt.Key.Key_End:
            return lambda: self.go(self.total - 1)
        if walking and not self.presenting and key == Qt.Key.Key_Escape:
            return self.close
        return None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride):
            return False
        if not isinstance(event, QKeyEvent):
            return False
        action = self._action_for(event.key())
        if action is None:
            return False
        if kind == QEvent.Type.ShortcutOverride:  # the key is the story's, not a shortcut's
            event.accept()
            return True
        action()
        return True

"""The window's two views as tabs: the inheritance tree, and the kernel & user-space story,
which is made (with its evidence runner) the first time it is shown: start-up stays short."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QTabWidget, QWidget

if TYPE_CHECKING:
    from fromscratch.gui.kernel.evidence import EvidenceRunner
    from fromscratch.gui.kernel.view import KernelView
    from fromscratch.gui.session import Session
    from fromscratch.gui.tree.view import TreeView

TREE_TAB, KERNEL_TAB = 0, 1
KERNEL_TITLE = "Kernel && user space"


class ViewTabs(QTabWidget):
    """`kernel_made(view, runner)` fires once, when the kernel view first exists."""

    kernel_made = Signal(object, object)

    def __init__(self, session: Session, tree: TreeView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setDocumentMode(True)
        self.addTab(tree, "Inheritance tree")
        self.addTab(QWidget(self), KERNEL_TITLE)  # a placeholder until first shown
        self._kernel: KernelView | None = None
        self.evidence: EvidenceRunner | None = None
        self.currentChanged.connect(self._on_current)

    @property
    def built_kernel(self) -> KernelView | None:
        """The kernel view if it was made, without making it."""
        return self._kernel

    @property
    def kernel(self) -> KernelView:
        """The kernel & user-space view, made on first use."""
        if self._kernel is None:
            from fromscratch.gui.kernel.evidence import EvidenceRunner
            from fromscratch.gui.kernel.view import KernelView

            kernel = KernelView(self)
            self.evidence = EvidenceRunner(self.session, kernel, self)
            opened = self.session.opened
            if opened is not None:
                kernel.set_picture(opened.picture, live=opened.source.live)
            self._kernel = kernel
            current = self.currentIndex()
            self.blockSignals(True)
            placeholder = self.widget(KERNEL_TAB)
            self.removeTab(KERNEL_TAB)
            self.insertTab(KERNEL_TAB, kernel, KERNEL_TITLE)
            self.setCurrentIndex(current)
            self.blockSignals(False)
            if placeholder is not None:
                placeholder.deleteLater()
            self.kernel_made.emit(kernel, self.evidence)
        return self._kernel

    def _on_current(self, index: int) -> None:
        if index == KERNEL_TAB:
            self.kernel  # noqa: B018 - the first visit makes it

"""The window's views as tabs: the inheritance tree, the kernel & user-space story, the disk
by lineage, the images table and the selected image's files; all but the tree are made (the
story with its evidence runner) the first time they are shown: start-up stays short."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QTabWidget, QWidget

if TYPE_CHECKING:
    from fromscratch.gui.details.imagetable import ImagesView
    from fromscratch.gui.disk.sunburst import SunburstView
    from fromscratch.gui.files.view import FilesView
    from fromscratch.gui.kernel.evidence import EvidenceRunner
    from fromscratch.gui.kernel.view import KernelView
    from fromscratch.gui.tree.export import PictureView
    from fromscratch.gui.tree.view import TreeView
    from fromscratch.gui.window.controller import Controller

TREE_TAB, KERNEL_TAB, DISK_TAB, IMAGES_TAB, FILES_TAB = 0, 1, 2, 3, 4
KERNEL_TITLE = "Kernel && user space"
DISK_TITLE = "Disk by lineage"
IMAGES_TITLE = "Images"
FILES_TITLE = "Files"


class ViewTabs(QTabWidget):
    """`kernel_made(view, runner)` fires once, when the kernel view first exists."""

    kernel_made = Signal(object, object)
    disk_made = Signal(object)
    images_made = Signal(object)
    files_made = Signal(object)

    def __init__(
        self, controller: Controller, tree: TreeView, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.tree = tree
        self.setDocumentMode(True)
        self.addTab(tree, "Inheritance tree")
        self.addTab(QWidget(self), KERNEL_TITLE)  # a placeholder until first shown
        self.addTab(QWidget(self), DISK_TITLE)  # likewise
        self.addTab(QWidget(self), IMAGES_TITLE)
        self.addTab(QWidget(self), FILES_TITLE)
        self._kernel: KernelView | None = None
        self._disk: SunburstView | None = None
        self._images: ImagesView | None = None
        self._files: FilesView | None = None
        self.evidence: EvidenceRunner | None = None
        self.currentChanged.connect(self._on_current)

    @property
    def built_kernel(self) -> KernelView | None:
        """The kernel view if it was made, without making it."""
        return self._kernel

    @property
    def built_disk(self) -> SunburstView | None:
        """The disk rings if they were made, without making them."""
        return self._disk

    def restyle(self) -> None:
        """The views made so far take the theme's colours."""
        if self._kernel is not None:
            self._kernel.restyle()
        if self._disk is not None:
            self._disk.restyle()

    @property
    def kernel(self) -> KernelView:
        """The kernel & user-space view, made on first use."""
        if self._kernel is None:
            from fromscratch.gui.kernel.evidence import EvidenceRunner
            from fromscratch.gui.kernel.view import KernelView

            kernel = KernelView(self)
            self.evidence = EvidenceRunner(self.controller, kernel, self)
            opened = self.controller.opened
            if opened is not None:
                kernel.set_picture(opened.picture, live=opened.source.live)
            self._kernel = kernel
            self._replace(KERNEL_TAB, kernel, KERNEL_TITLE)
            self.kernel_made.emit(kernel, self.evidence)
        return self._kernel

    @property
    def disk(self) -> SunburstView:
        """The disk-by-lineage rings, made on first use."""
        if self._disk is None:
            from fromscratch.gui.disk.sunburst import SunburstView

            self._disk = SunburstView(self)
            self._replace(DISK_TAB, self._disk, DISK_TITLE)
            self.disk_made.emit(self._disk)
        return self._disk

    @property
    def images(self) -> ImagesView:
        """The images table, made on first use."""
        if self._images is None:
            from fromscratch.gui.details.imagetable import ImagesView

            self._images = ImagesView(self)
            self._replace(IMAGES_TAB, self._images, IMAGES_TITLE)
            self.images_made.emit(self._images)
        return self._images

    @property
    def files(self) -> FilesView:
        """The selected image's files, made on first use."""
        if self._files is None:
            from fromscratch.gui.files.view import FilesView

            self._files = FilesView(self)
            self._replace(FILES_TAB, self._files, FILES_TITLE)
            self.files_made.emit(self._files)
        return self._files

    def _replace(self, index: int, widget: QWidget, title: str) -> None:
        """Put the made view where its placeholder was, staying on the current tab."""
        current = self.currentIndex()
        self.blockSignals(True)
        placeholder = self.widget(index)
        self.removeTab(index)
        self.insertTab(index, widget, title)
        self.setCurrentIndex(current)
        self.blockSignals(False)
        if placeholder is not None:
            placeholder.deleteLater()

    def picture_view(self) -> PictureView:
        """What File > Export saves: the disk rings on their tab, else the tree."""
        if self.currentIndex() == DISK_TAB and self._disk is not None:
            return self._disk
        return self.tree

    def view_at(self, index: int) -> QWidget:
        """The view of tab `index`, made if it is the first visit."""
        if index == KERNEL_TAB:
            return self.kernel
        if index == DISK_TAB:
            return self.disk
        if index == IMAGES_TAB:
            return self.images.table
        if index == FILES_TAB:
            return self.files.files
        widget = self.widget(index)
        assert widget is not None
        return widget

    def _on_current(self, index: int) -> None:
        self.view_at(index)  # the first visit makes it

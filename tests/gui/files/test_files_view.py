"""The Files tab on a `docker save` archive: the selected image's merged files with the layer
and image that wrote each, its own files, one layer's changes, a path filter, names shown
escaped; layers read in a worker and kept in the cache."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from fromscratch.core.layers.filetree import Shown
from fromscratch.gui.files.model import IMAGE, LAYER, NAME
from fromscratch.gui.window.tabs import FILES_TAB
from tests.core.layers.layertar import file, folder, layer_tar, symlink
from tests.core.layers.savebuild import write_save
from tests.gui.conftest import make_settings

BASE = layer_tar(folder("bin"), file("bin/sh", bytes(1000), 0o755), symlink("bin/ls", "sh"))
APP = layer_tar(file("app/run", bytes(300), 0o755), file("app/odd\nname\u202e<b>", b"x"))
OTHER = layer_tar(file("srv/other", bytes(7)), file("app/run", bytes(30), 0o755))


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    from fromscratch.gui.window.mainwindow import MainWindow

    monkeypatch.setenv("FROMSCRATCH_CACHE_DIR", str(tmp_path / "cache"))
    archive = tmp_path / "save.tar"
    write_save(archive, {"base:1": [BASE], "app:1": [BASE, APP], "other:1": [BASE, OTHER]})
    window = MainWindow(str(archive), settings=make_settings())
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.arranged, timeout=20_000):
        pass
    return window


def texts(model: Any, column: int = NAME) -> dict[str, Any]:
    """Every row's path -> its text in `column`, the whole tree walked."""
    out: dict[str, Any] = {}
    pending = [model.index(r, 0) for r in range(model.rowCount())]
    while pending:
        index = pending.pop()
        row = model.row(index)
        out[row.path] = model.index(index.row(), column, index.parent()).data()
        pending += [model.index(r, 0, index) for r in range(model.rowCount(index))]
    return out


def _indexes(model: Any) -> list[Any]:
    out, pending = [], [model.index(r, 0) for r in range(model.rowCount())]
    while pending:
        index = pending.pop()
        out.append(index)
        pending += [model.index(r, 0, index) for r in range(model.rowCount(index))]
    return out


def test_the_files_of_the_selected_image(qtbot: QtBot, window: Any, tmp_path: Path) -> None:
    from fromscratch.core.graph.tree import find

    window.select_node(find(window.controller.opened.graph, "app:1"))
    window.show_tab(FILES_TAB)
    view = window.tabs.files
    qtbot.waitUntil(lambda: view.model.tree.files == 4, timeout=10_000)
    model = view.model
    names = texts(model)
    assert names["bin/ls"] == "ls -> sh" and names["app"] == "app/"
    assert names["app/odd\nname\u202e<b>"] == "odd\\x0aname\\u202e<b>"  # escaped, plain
    # the name's tooltip is rich text of ours: its `<b>` escaped, never a bold tag
    odd = next(i for i in _indexes(model) if model.row(i).path.startswith("app/odd"))
    assert "&lt;b&gt;" in odd.data(Qt.ItemDataRole.ToolTipRole)
    # a folder no layer wrote has a (blank) swatch too: uniform rows take the first's height
    app = next(i for i in _indexes(model) if model.row(i).path == "app")
    assert model.index(app.row(), IMAGE, app.parent()).data(Qt.ItemDataRole.DecorationRole)
    images = texts(model, IMAGE)
    assert images["bin/sh"] == "base:1" and images["app/run"] == "app:1"
    assert texts(model, LAYER)["app/run"] == "2"
    assert view.layers.rowCount() == 2 and view.layers.item(1, 1).text() == "app:1"
    assert "4 files" in view.status.text()
    # kept: an archive is read in one pass, every layer in it (app:1's two, other:1's one)
    assert len(list((tmp_path / "cache" / "layers").glob("*.layer"))) == 3

    view.shown.setCurrentIndex(view.shown.findData(Shown.OWN))
    qtbot.waitUntil(lambda: view.model.tree.files == 2, timeout=10_000)
    assert set(texts(view.model)) == {"app", "app/run", "app/odd\nname\u202e<b>"}

    view.layers.selectRow(0)  # one layer's changes
    qtbot.waitUntil(lambda: view.shown.currentData() == Shown.LAYER and "bin" in texts(view.model))
    qtbot.waitUntil(lambda: "app/run" not in texts(view.model), timeout=10_000)
    assert "(added)" in texts(view.model)["bin/sh"]

    view.shown.setCurrentIndex(view.shown.findData(Shown.COMPARED))  # with base:1
    qtbot.waitUntil(lambda: "app/run" in texts(view.model), timeout=10_000)
    assert "bin" not in texts(view.model) and "(added)" in texts(view.model)["app/run"]

    view.shown.setCurrentIndex(view.shown.findData(Shown.ALL))
    view.search.setText("RUN")
    qtbot.waitUntil(lambda: set(texts(view.model)) == {"app", "app/run"}, timeout=10_000)


def test_nothing_selected_says_what_to_do(qtbot: QtBot, window: Any) -> None:
    window.show_tab(FILES_TAB)
    view = window.tabs.files
    window.select_node(None)
    qtbot.waitUntil(lambda: "Select an image" in view.heading.text())
    assert view.model.rowCount() == 0


def test_save_snapshot_with_files_carries_every_layer(
    qtbot: QtBot, window: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fromscratch.core.formats.snapshot import load

    target = tmp_path / "with-files.json.gz"
    monkeypatch.setattr(
        "PySide6.QtWidgets.QFileDialog.getSaveFileName", lambda *a, **k: (str(target), "")
    )
    action = next(a for a in window.actions() if a.text() == "Save snapshot with &files…")
    action.trigger()  # the layers are read from the archive it came from
    (task,) = window.files.saves
    with qtbot.waitSignal(task.signals.done, timeout=20_000):
        pass
    assert len(load(str(target)).layer_files) == 3
    assert "with the files of 3 layers" in window.statusBar().currentMessage()


def _click(qtbot: QtBot, window: Any, node: str, *, ctrl: bool) -> None:
    """A real click (with Ctrl: a second card) on `node`'s card where it is on screen."""
    view = window.view
    view.jump_to(node)
    centre = view.mapFromScene(view.tree.nodes[node].sceneBoundingRect().center())
    modifier = Qt.KeyboardModifier.ControlModifier if ctrl else Qt.KeyboardModifier.NoModifier
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, modifier, centre)


def test_ctrl_click_on_a_second_card_compares_the_two(qtbot: QtBot, window: Any) -> None:
    from fromscratch.core.graph.tree import find

    graph = window.controller.opened.graph
    app, other, base = (find(graph, ref) for ref in ("app:1", "other:1", "base:1"))
    _click(qtbot, window, app, ctrl=False)
    assert window.controller.selected == app
    _click(qtbot, window, other, ctrl=True)
    assert (window.controller.selected, window.controller.compared) == (app, other)
    assert {i.node_id for i in window.view.tree.selectedItems()} == {app, other}
    assert not window.view.tree.dimmed(other) and not window.view.tree.dimmed(base)  # both lit
    assert "Comparing app:1 with other:1" in window.statusBar().currentMessage()
    window.show_tab(FILES_TAB)
    view = window.tabs.files
    assert view.shown.currentData() == Shown.COMPARED
    assert view.shown.currentText().startswith("Compared with other:1")
    qtbot.waitUntil(lambda: "srv/other" in texts(view.model), timeout=10_000)
    names = texts(view.model)
    assert "(removed)" in names["srv/other"] and "(changed)" in names["app/run"]
    assert "(added)" in names["app/odd\nname\u202e<b>"] and "bin/sh" not in names
    assert texts(view.model, LAYER)["srv/other"] == ""  # no layer of app:1 holds it
    # a plain click on another card: one selection, compared with its parent again
    _click(qtbot, window, base, ctrl=False)
    assert (window.controller.selected, window.controller.compared) == (base, None)
    assert view.shown.currentText().startswith("Compared with its parent")


def test_focus_on_a_base_lights_its_files(qtbot: QtBot, window: Any) -> None:
    from PySide6.QtGui import QFont

    from fromscratch.core.graph.tree import find

    graph = window.controller.opened.graph
    window.select_node(find(graph, "base:1"))
    window.action("base-focus").trigger()
    window.select_node(find(graph, "app:1"))
    window.show_tab(FILES_TAB)
    view = window.tabs.files
    qtbot.waitUntil(lambda: view.model.tree.files == 4, timeout=10_000)

    def bold(path: str) -> bool:
        index = next(i for i in _indexes(view.model) if view.model.row(i).path == path)
        font = index.data(Qt.ItemDataRole.FontRole)
        return isinstance(font, QFont) and font.bold()

    assert bold("bin/sh") and bold("bin/ls") and not bold("app/run")
    assert "in bold: what the focused base's 1 layer wrote" in view.status.text()
    window.action("base-focus").trigger()  # off
    assert not bold("bin/sh") and "in bold" not in view.status.text()

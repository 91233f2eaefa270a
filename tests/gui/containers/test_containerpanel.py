"""The containers panel (View > Containers): rows from what is open, plain text; the tree's
selection filters them (with the images built on it, if asked); choosing a row selects its
image and lights its chain; nothing is read from a source that is not live; hidden, it plots
nothing."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QSettings
from pytestqt.qtbot import QtBot

from fromscratch.core.formats.inventory import Container
from fromscratch.core.formats.sample import load_sample
from fromscratch.core.formats.snapshot import save
from fromscratch.gui.window.mainwindow import MainWindow
from tests.gui.conftest import make_settings

HOSTILE = "<b>bold</b>&amp;"


def window_with_containers(
    qtbot: QtBot, tmp_path: Path, settings: QSettings | None = None
) -> tuple[MainWindow, str, str]:
    sample = load_sample()
    python = next(i for i in sample.images if "python:3-bookworm" in i.tags)
    debian = next(i for i in sample.images if "debian:12" in i.tags)
    containers = (
        Container("c1", ("web",), python.id, "python:3-bookworm", "running", "Up 1 hour",
                  ("0.0.0.0:8080->80/tcp",)),
        Container("c2", (HOSTILE,), debian.id, "debian:12", "exited", "Exited (0) 1 hour ago"),
        Container("c3", ("stale",), debian.id, "python:3-bookworm", "paused", "Up (Paused)"),
    )  # fmt: skip
    path = save(replace(sample, containers=containers), tmp_path / "with-containers.json")
    window = MainWindow(str(path), settings=settings or make_settings())
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    with qtbot.waitSignal(window.arranged, timeout=20_000):
        pass
    return window, python.id, debian.id


def test_the_panel_lists_filters_and_links_to_the_tree(qtbot: QtBot, tmp_path: Path) -> None:
    window, python, debian = window_with_containers(qtbot, tmp_path)
    assert window.containers.panel is None  # made when first asked for
    window.action("containers").trigger()
    panel = window.containers.panel
    assert panel is not None and panel.isVisible() and window.action("containers").isChecked()
    table = panel.table
    names = [table.item(r, 0).text() for r in range(table.rowCount())]
    assert names == ["web", "stale", HOSTILE]  # running, paused, the rest; plain text
    web = names.index("web")
    assert table.item(web, 4).text() == "0.0.0.0:8080->80/tcp"
    assert table.item(web, 5).text() == "debian:12"  # its base user space
    stale = table.item(names.index("stale"), 1)
    assert "(tag moved)" in stale.text() and "names image" in stale.toolTip()
    assert "3 containers, 1 running" in panel.summary.text()
    assert "not live" in panel.summary.text()

    window.select_node(debian)  # the tree's selection filters the panel
    assert {r.name for r in panel.shown} == {"stale", HOSTILE}
    assert panel.above.isEnabled()
    panel.above.setChecked(True)  # and the images built on it
    assert {r.name for r in panel.shown} == {"stale", HOSTILE, "web"}
    window.clear_selection()
    assert len(panel.shown) == 3 and not panel.above.isEnabled()

    table.selectRow(web)  # a row selects its image; the table stays whole
    assert window.controller.selected == python
    assert table.rowCount() == 3
    assert window.view.tree.nodes[python].isVisible()
    # not live: nothing is read, and the plots say why
    assert panel.plots.poller is None
    assert "live engine" in panel.plots.values.text()
    assert not panel.plots.canvas.isVisible()  # no empty plots for a recording


def test_hidden_the_panel_reads_nothing(qtbot: QtBot, tmp_path: Path) -> None:
    window, _python, _debian = window_with_containers(qtbot, tmp_path)
    window.action("containers").trigger()
    panel = window.containers.panel
    assert panel is not None
    model = panel.table.selectionModel()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    model.select(panel.table.model().index(0, 0), flags)
    window.action("containers").trigger()
    assert not panel.isVisible() and not window.action("containers").isChecked()
    assert panel.plots.poller is None and not panel.plots._timer.isActive()
    assert not window.containers._refresh.isActive()


def test_the_panel_opens_again_as_it_was_left(qtbot: QtBot, tmp_path: Path) -> None:
    settings = make_settings()
    window, _python, _debian = window_with_containers(qtbot, tmp_path, settings)
    window.action("containers").trigger()
    assert settings.value("containers_panel") in (True, "true")
    window.close()
    again = MainWindow(str(tmp_path / "with-containers.json"), settings=settings)
    qtbot.addWidget(again)
    again.show()
    with qtbot.waitSignal(again.arranged, timeout=20_000):
        pass
    qtbot.waitUntil(lambda: again.containers.panel is not None, timeout=5_000)
    assert again.containers.panel.isVisible() and again.action("containers").isChecked()
    again.action("containers").trigger()  # closed by the user: closed next time
    assert settings.value("containers_panel") in (False, "false")


def test_presenting_the_panel_makes_way_and_comes_back(qtbot: QtBot, tmp_path: Path) -> None:
    settings = make_settings()
    window, _python, _debian = window_with_containers(qtbot, tmp_path, settings)
    window.action("containers").trigger()
    panel = window.containers.panel
    assert panel is not None and panel.isVisible()
    window.set_presenting(on=True, full_screen=False)
    assert not panel.isVisible()
    assert settings.value("containers_panel") in (True, "true")  # still the user's choice
    window.set_presenting(on=False)
    qtbot.waitUntil(panel.isVisible, timeout=5_000)


def test_the_plots_take_the_theme(qtbot: QtBot, tmp_path: Path) -> None:
    from fromscratch.gui import palette

    window, _python, _debian = window_with_containers(qtbot, tmp_path)
    window.action("containers").trigger()
    plots = window.containers.panel.plots
    light = plots.canvas.backgroundBrush().color().name()
    window.set_theme("dark", remember=False)
    qtbot.waitUntil(lambda: plots.canvas.backgroundBrush().color().name() != light)
    assert plots.canvas.backgroundBrush().color().name() == palette.CARD.name()
    assert plots.cpu.getAxis("left").textPen().color().name() == palette.TEXT.name()


def test_the_panel_opens_a_third_of_the_window_high(qtbot: QtBot, tmp_path: Path) -> None:
    window, _python, _debian = window_with_containers(qtbot, tmp_path)
    window.resize(2560, 1440)
    qtbot.waitUntil(lambda: window.height() == 1440)
    window.action("containers").trigger()
    panel = window.containers.panel
    qtbot.waitUntil(lambda: panel.height() >= 1440 // 3 - 40, timeout=3_000)
    assert panel.table.height() > 200

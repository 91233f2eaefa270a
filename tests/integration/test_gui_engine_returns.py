"""The engine comes and goes with the window open: stopped, the window says so and shows the
last snapshot; started again, it is live again by itself within 5 s, with the selection and the
view kept. With build intermediates shown too."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from tests.integration.conftest import private_dockerd

pytestmark = pytest.mark.integration
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.mark.parametrize("intermediates", [False, True], ids=["plain", "intermediates"])
def test_the_window_follows_the_engine_away_and_back(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *, intermediates: bool
) -> None:
    from fromscratch.gui.window.mainwindow import MainWindow
    from tests.gui.conftest import make_settings

    with private_dockerd() as daemon:
        daemon.load_forest("3,2", prefix="back")
        monkeypatch.setenv("DOCKER_HOST", daemon.url)
        monkeypatch.setenv("FROMSCRATCH_CACHE_DIR", str(tmp_path))
        window: Any = MainWindow(settings=make_settings())
        window.view.reduced_motion = True
        window.resize(1200, 800)
        qtbot.addWidget(window)
        window.show()
        with qtbot.waitSignal(window.arranged, timeout=30_000):
            pass
        session = window.controller
        if intermediates:
            window.action("intermediates").trigger()
            qtbot.waitUntil(lambda: session.opened.show_intermediates, timeout=10_000)
        qtbot.waitUntil(lambda: session.live.active, timeout=5_000)
        node = next(n for n, a in session.shown.nodes(data=True) if "back-1-0:latest" in a["tags"])
        window.select_node(node)
        qtbot.wait(300)  # the details dock opens on the first selection
        view = window.view
        centre = view.mapToScene(view.viewport().rect().center())
        scale = view.scale_now()

        # A live reload (another image tagged) moves neither the view nor the selection.
        daemon.docker("tag", "back-1-0:latest", "back-1-0:again")
        qtbot.waitUntil(
            lambda: "back-1-0:again" in session.shown.nodes[node]["tags"], timeout=10_000
        )
        qtbot.wait(300)
        now = view.mapToScene(view.viewport().rect().center())
        assert (now - centre).manhattanLength() < 1, (now, centre)
        assert view.scale_now() == scale and session.selected == node
        qtbot.waitUntil(lambda: window.status.source.text().endswith("· live"), timeout=5_000)
        assert session.opened.show_intermediates == intermediates

        daemon.halt()
        qtbot.waitUntil(lambda: not session.opened.source.live, timeout=15_000)
        assert session.opened.kind == "last-live"
        assert window.banner.isVisible() and window.banner.retry_button.isVisible()
        assert "No Docker engine answers" in window.banner.text.text()
        assert not window.status.source.text().endswith("· live")
        assert "loading" not in window.status.source.text()
        assert session.selected == node

        daemon.start()
        back = time.monotonic()
        qtbot.waitUntil(lambda: session.opened.source.live, timeout=10_000)
        took = time.monotonic() - back
        qtbot.waitUntil(lambda: window.status.source.text().endswith("· live"), timeout=5_000)
        assert took < 5.0, f"live again after {took:.1f} s"
        assert not window.banner.isVisible()
        assert session.selected == node
        assert session.opened.show_intermediates == intermediates
        # The view is the user's still: the same zoom, the selected card in sight. (The
        # banner above the tree came and went, so the picture shifted by half its height.)
        assert view.scale_now() == pytest.approx(scale)
        card = view.mapFromScene(view.tree.nodes[node].sceneBoundingRect()).boundingRect()
        assert view.viewport().rect().contains(card)
        window.close()

"""CPU the app uses while idle and watching an engine with 20 running containers (a private
dockerd, as the tests start it), over a quiet stretch, measured from the process's own CPU time
(getrusage: the window's threads, not the engine's):

- the containers panel hidden (target issue 12: under 0.5 % of one core);
- the panel open, nothing selected (target: under 2 %);
- the panel open plotting the CPU and memory of the 8 containers of the selected image, read
  once a second each (the same 2 % target, which this case also has to meet).

Offscreen (QT_QPA_PLATFORM=offscreen), so painting is on the CPU as with a software-rendered
desktop.

usage: sudo python -m bench.bench_containers [--seconds 30]
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time

from tests.support.dockerd import start_dockerd

CONTAINERS = 20
TARGETS = {"panel hidden": 0.5, "panel open": 2.0, "panel open, plotting 8": 2.0}


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run_for(seconds: float) -> None:
    """The event loop, for `seconds` (not app.exec(): quit() would close the window)."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


def measure(seconds: float) -> float:
    """Per cent of one core over `seconds` of the event loop running idle, after 3 s for
    what a change of mode starts (a first listing, a first reading)."""
    run_for(3.0)
    start_cpu, start = cpu_seconds(), time.monotonic()
    run_for(seconds)
    return 100.0 * (cpu_seconds() - start_cpu) / (time.monotonic() - start)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=30.0)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    daemon = start_dockerd()
    results: dict[str, float] = {}
    try:
        daemon.build("idle/app:1", "FROM scratch\nCOPY busybox /bin/busybox\n", buildkit=False)
        for n in range(CONTAINERS):
            daemon.docker(
                "run", "-d", "--name", f"idle-{n}", "idle/app:1", "/bin/busybox", "sleep", "1d"
            )
        with tempfile.TemporaryDirectory() as home:
            os.environ["DOCKER_HOST"] = daemon.url
            os.environ["FROMSCRATCH_CACHE_DIR"] = home
            from PySide6.QtCore import QSettings
            from PySide6.QtWidgets import QApplication

            from fromscratch.gui.window.mainwindow import MainWindow

            app = QApplication.instance() or QApplication([])
            settings = QSettings(f"{home}/s.ini", QSettings.Format.IniFormat)
            window = MainWindow(settings=settings)
            window.resize(1366, 768)
            window.show()
            arranged: list[bool] = []
            window.arranged.connect(lambda: arranged.append(True))
            while not arranged:
                app.processEvents()
            assert window.controller.opened is not None and window.controller.opened.source.live
            results["panel hidden"] = measure(args.seconds)
            window.action("containers").trigger()
            panel = window.containers.panel
            assert panel is not None and len(panel.rows) == CONTAINERS
            assert panel.isVisible()
            results["panel open"] = measure(args.seconds)
            image = next(row.node for row in panel.rows if row.node)
            window.select_node(image)
            results["panel open, plotting 8"] = measure(args.seconds)
            poller = panel.plots.poller
            assert poller is not None and len(poller.watching) == 8
            window.close()
    finally:
        daemon.stop()
    for mode, share in results.items():
        target = TARGETS[mode]
        print(
            f"{CONTAINERS} running containers, idle {args.seconds:.0f} s, {mode}: "
            f"{share:.2f} % of one core (target < {target} %: "
            f"{'MET' if share < target else 'NOT MET'})"
        )


if __name__ == "__main__":
    main()

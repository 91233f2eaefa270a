"""The kernel of the computer running the app: there is always one, with or without an engine,
and on Linux it is the kernel every container on this machine would share.

What the data recorded (a snapshot's engine, the sample's) and this computer are told apart on
screen: the first is what the story is about, the second is what the viewer's containers would
use (`kernel_note`).
"""

from __future__ import annotations

import platform
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Machine:
    system: str
    """`Linux`, `Darwin`, `Windows` ..."""
    kernel: str
    """`uname -r` (on macOS the Darwin release, on Windows the build)."""
    distribution: str = ""
    """The OS by name, where it says (Linux: /etc/os-release's PRETTY_NAME)."""


def this_machine(os_release: Path = Path("/etc/os-release")) -> Machine:
    system, kernel = platform.system(), platform.release()
    distribution = ""
    if system == "Linux":
        try:
            for line in os_release.read_text(errors="replace").splitlines():
                if line.startswith("PRETTY_NAME="):
                    distribution = line.split("=", 1)[1].strip().strip('"')
        except OSError:
            pass
    return Machine(system, kernel, distribution)


def kernel_note(recorded: str, *, live: bool, machine: Machine) -> tuple[str, str]:
    """(the host kernel the data shows, this computer's) as two plain sentences."""
    if live:
        data = f"Host kernel: {recorded or 'not told by the engine'} (live from the engine)."
    else:
        data = f"Host kernel: {recorded or 'not recorded in this data'} (as recorded)."
    where = f"{machine.system} {machine.kernel}".strip()
    if machine.distribution:
        where += f", {machine.distribution}"
    if machine.system == "Linux":
        if live and recorded == machine.kernel:
            mine = "This computer runs that same kernel: the engine is on this machine."
        else:
            mine = f"This computer: {where}; containers here would share it."
    else:
        mine = (
            f"This computer: {where}. Docker runs Linux containers here in a Linux VM, and "
            "they share that VM's kernel"
            + (" (the host kernel above, from the engine)." if live and recorded else ".")
        )
    return data, mine

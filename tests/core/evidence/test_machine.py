"""This computer's kernel, beside what the data recorded: told apart, and what containers here
would share said for Linux and for machines where Docker runs a Linux VM."""

from __future__ import annotations

import platform
from pathlib import Path

from fromscratch.core.evidence.machine import Machine, kernel_note, this_machine


def test_this_machine_is_this_machine(tmp_path: Path) -> None:
    release = tmp_path / "os-release"
    release.write_text('NAME="Debian"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n')
    machine = this_machine(release)
    assert machine.kernel == platform.release() and machine.system == platform.system()
    if machine.system == "Linux":
        assert machine.distribution == "Debian GNU/Linux 12 (bookworm)"


def test_offline_on_linux_names_both_kernels() -> None:
    linux = Machine("Linux", "6.1.0-41-amd64", "Debian GNU/Linux 12 (bookworm)")
    data, mine = kernel_note("", live=False, machine=linux)
    assert data == "Host kernel: not recorded in this data (as recorded)."
    assert "6.1.0-41-amd64" in mine and "would share it" in mine
    data, _ = kernel_note("5.15.0-1", live=False, machine=linux)
    assert "5.15.0-1 (as recorded)" in data


def test_live_on_the_same_linux_says_so() -> None:
    linux = Machine("Linux", "6.1.0-41-amd64")
    _, mine = kernel_note("6.1.0-41-amd64", live=True, machine=linux)
    assert "same kernel" in mine


def test_a_mac_says_containers_share_the_vms_kernel() -> None:
    mac = Machine("Darwin", "23.6.0")
    _, mine = kernel_note("6.10.14-linuxkit", live=True, machine=mac)
    assert "Linux VM" in mine and "Darwin 23.6.0" in mine and "from the engine" in mine
    _, offline = kernel_note("", live=False, machine=mac)
    assert "from the engine" not in offline

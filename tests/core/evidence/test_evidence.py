"""Image contents summaries from a tar, without an engine."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

import pytest

from fromscratch.core.evidence.contents import Contents, summarise_tar
from fromscratch.core.evidence.scratch import hello_binary


def make_tar(files: dict[str, bytes], links: tuple[str, ...] = ()) -> io.BytesIO:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mode = 0o755 if name.startswith(("bin/", "my_")) else 0o644
            tar.addfile(info, io.BytesIO(data))
        for name in links:
            info = tarfile.TarInfo(name)
            info.type = tarfile.SYMTYPE
            info.linkname = "busybox"
            tar.addfile(info)
    buf.seek(0)
    return buf


def test_debian_like_tree_has_apt_and_no_kernel() -> None:
    tar = make_tar(
        {
            "usr/bin/apt": b"x" * 100,
            "usr/bin/dpkg": b"x" * 50,
            "usr/lib/libc.so.6": b"x" * 2000,
            "etc/os-release": b'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\n',
            "bin/bash": b"x" * 1000,
        }
    )
    contents = summarise_tar("sha256:a", tar)
    assert contents.dirs[0] == ("usr", 2150)
    assert contents.package_managers == ("apt (Debian/Ubuntu)", "dpkg")
    assert contents.os_release == "Debian GNU/Linux 12 (bookworm)"
    assert not contents.has_kernel and "no kernel" in contents.verdict
    assert Contents.from_json(contents.to_json()) == contents


def test_kernel_files_are_reported_but_never_booted() -> None:
    tar = make_tar(
        {
            "boot/vmlinuz-6.1.0-18-amd64": b"k" * 10,
            "lib/modules/6.1.0-18-amd64/kernel/fs/ext4.ko": b"m",
        }
    )
    contents = summarise_tar("sha256:b", tar)
    assert contents.has_kernel
    assert contents.kernel_files[0] == "/boot/vmlinuz-6.1.0-18-amd64"
    assert "never boots them" in contents.verdict


def test_scratch_and_a_single_binary() -> None:
    assert summarise_tar("scratch", make_tar({})).verdict.startswith("empty")
    single = summarise_tar("sha256:c", make_tar({"my_binary": b"\x7fELF"}))
    assert single.executables_at_root == ("my_binary",) and single.files == 1


def test_shipped_binaries_are_small_static_elves() -> None:
    for arch in ("x86_64", "amd64", "aarch64", "arm64"):
        binary = hello_binary(arch)
        assert binary is not None and binary[:4] == b"\x7fELF" and len(binary) < 4096
    assert hello_binary("s390x") is None


def test_the_shipped_binary_runs_and_greets(tmp_path: object) -> None:
    """Runs the native one directly; the other through qemu-user when it is installed."""
    import os
    import platform
    import shutil
    import subprocess
    from pathlib import Path

    native = {"x86_64": "x86_64", "aarch64": "aarch64"}.get(platform.machine())
    for arch in ("x86_64", "aarch64"):
        binary = hello_binary(arch)
        assert binary is not None
        path = Path(str(tmp_path)) / f"hello-{arch}"
        path.write_bytes(binary)
        os.chmod(path, 0o755)
        runner = [] if arch == native else [f"qemu-{arch}-static"]
        if runner and shutil.which(runner[0]) is None:
            continue  # the foreign one is checked where qemu-user-static is installed
        done = subprocess.run([*runner, str(path)], capture_output=True, text=True, check=False)
        assert done.returncode == 0
        assert done.stdout.startswith("Hello from scratch!")


def test_a_damaged_contents_cache_entry_is_gathered_again_and_logged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from fromscratch.core.evidence.contents import ContentsCache

    cache = ContentsCache(tmp_path)
    contents = summarise_tar("sha256:" + "b" * 64, make_tar({"bin/sh": b"x"}))
    cache.put(contents)
    assert cache.get(contents.image_id) == contents
    (entry,) = (tmp_path / "contents").iterdir()
    entry.write_text('{"image_id": "sha256:')  # torn by a power cut
    assert cache.get(contents.image_id) is None
    assert f"ignoring damaged contents cache entry {entry}" in caplog.text
    assert cache.get("sha256:" + "c" * 64) is None  # merely absent: nothing logged
    assert caplog.text.count("ignoring") == 1


def test_busyboxs_links_are_counted_as_links_not_as_one_file() -> None:
    """It read "1 files" for busybox's 400 commands."""
    names = tuple(f"bin/cmd{n}" for n in range(400))
    contents = summarise_tar("sha256:d", make_tar({"bin/busybox": b"\x7fELF" * 100}, names))
    assert (contents.files, contents.links) == (1, 400)
    assert contents.counted == "1 file and 400 links"
    assert Contents.from_json(contents.to_json()) == contents
    assert summarise_tar("sha256:e", make_tar({"a": b"", "b": b""})).counted == "2 files"


def test_counts_say_what_they_count() -> None:
    from dataclasses import replace

    from fromscratch.core.formats.inventory import Inventory
    from fromscratch.core.formats.sample import load_sample
    from tests.core.helpers import child_of, digest, image, step

    assert load_sample().counted() == "21 images"
    base = image("base:1", [digest("b")], [step("ADD b")])
    step_image = image(None, [digest("b")], [step("ADD b"), step("ENV A=1", empty=True)], base.id)
    top = child_of(step_image, "top:1", 1)
    top = replace(top, parent=step_image.id)
    assert Inventory((base, step_image, top)).counted() == "2 images, 1 build-step image"


def test_prove_it_asks_the_selected_then_the_pictured_images_first() -> None:
    """It ran in whichever local image it found (myimport:1), neither selected nor pictured."""
    from fromscratch.core.evidence.kernel import uname_candidates
    from fromscratch.core.formats.sample import load_sample
    from fromscratch.core.graph.lineage import build_tree
    from fromscratch.core.graph.tree import find

    tree = build_tree(load_sample().images)
    selected, pictured = find(tree, "python:3-bookworm"), find(tree, "nginx:stable-alpine")
    assert selected is not None and pictured is not None
    asked = uname_candidates(tree, [selected, pictured, "scratch", selected])
    assert asked[:2] == ["python:3-bookworm", "nginx:stable-alpine"]  # once each, images only
    assert len(asked) == len(set(asked)) and "scratch" not in asked
    assert uname_candidates(tree)[0].startswith(("busybox", "alpine"))  # else: shells first

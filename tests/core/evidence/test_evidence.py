"""The evidence without an engine: the shipped binaries, the contents cache, counts."""

from __future__ import annotations

from pathlib import Path

import pytest

from fromscratch.core.evidence.contents import Contents
from fromscratch.core.evidence.scratch import hello_binary


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
    contents = Contents("sha256:" + "b" * 64, (("bin", 1),), 1, ())
    cache.put(contents)
    assert cache.get(contents.image_id) == contents
    (entry,) = (tmp_path / "contents").iterdir()
    entry.write_text('{"image_id": "sha256:')  # torn by a power cut
    assert cache.get(contents.image_id) is None
    assert f"ignoring damaged contents cache entry {entry}" in caplog.text
    assert cache.get("sha256:" + "c" * 64) is None  # merely absent: nothing logged
    assert caplog.text.count("ignoring") == 1


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

"""What an image's files hold, summarised from its merged layers: sizes by folder, kinds of
files, the package manager and OS release found in the files, and "no kernel" proved on the
file list."""

from __future__ import annotations

import io
import tarfile

from fromscratch.core.layers.merged import merge
from fromscratch.core.layers.summary import Contents, summarise
from fromscratch.core.layers.tarindex import read_layer
from tests.core.layers.layertar import file, layer_tar, symlink


def summarise_tar(image_id: str, tar: io.BytesIO) -> Contents:
    layer = read_layer(tar, "layer")
    return summarise(image_id, merge([layer]), [layer])


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


def test_busyboxs_links_are_counted_as_links_not_as_one_file() -> None:
    """It read "1 files" for busybox's 400 commands."""
    names = tuple(f"bin/cmd{n}" for n in range(400))
    contents = summarise_tar("sha256:d", make_tar({"bin/busybox": b"\x7fELF" * 100}, names))
    assert (contents.files, contents.links) == (1, 400)
    assert contents.counted == "1 file and 400 links"
    assert Contents.from_json(contents.to_json()) == contents
    assert summarise_tar("sha256:e", make_tar({"a": b"", "b": b""})).counted == "2 files"


def test_kinds_of_files_and_the_release_a_later_layer_writes() -> None:
    base = read_layer(
        io.BytesIO(
            layer_tar(
                file("usr/lib/os-release", b'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n'),
                symlink("etc/os-release", "../usr/lib/os-release"),
                file("usr/lib/x86_64-linux-gnu/libc.so.6", bytes(2000), 0o755),
                file("usr/lib/libz.a", bytes(10)),
                file("etc/passwd", b"root:x:0:0\n"),
                file("usr/bin/apt", bytes(10), 0o755),
            )
        ),
        "base",
    )
    assert summarise("a", merge([base]), [base]).os_release == "Debian GNU/Linux 12 (bookworm)"
    upper = read_layer(
        io.BytesIO(layer_tar(file("usr/lib/os-release", b'PRETTY_NAME="Mine 1"\n'))), "upper"
    )
    both = summarise("b", merge([base, upper]), [base, upper])
    assert both.os_release == "Mine 1"  # the words of the layer that wrote it last
    assert (both.executables, both.libraries, both.configs) == (2, 2, 1)
    assert both.links == 1 and both.package_managers == ("apt (Debian/Ubuntu)",)

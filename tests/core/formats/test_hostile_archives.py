"""`docker save` archives that used to give wrong sizes, hang, fill memory or trace back:
each is now read right or refused in one line, in bounded time and memory.

The bombs run in a child process with an address-space limit and a timeout, so a regression
fails the test instead of taking the machine."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import subprocess
import tarfile
import zlib
from pathlib import Path

import pytest

from fromscratch.core.formats.snapshot import SnapshotError, load
from tests.core.formats.test_archive import layer_tar
from tests.core.formats.test_hostile_files import tree_cli
from tests.support.image_forest import write_forest

MEMORY_LIMIT = 1536 * 1024 * 1024
"""The child's whole address space: Python, msgspec and the reader, far under what the bombs
used to take (6 GB for the repeated config)."""


def limited_tree(path: Path) -> subprocess.CompletedProcess[str]:
    return tree_cli(path, memory=MEMORY_LIMIT)


def one_line_refusal(done: subprocess.CompletedProcess[str], path: Path, said: str) -> None:
    assert done.returncode == 2, done.stderr[-2000:]
    (line,) = done.stderr.splitlines()
    assert line.startswith(f"fromscratch: {path}: "), line
    assert said in line, line


def write_tar(path: Path, members: list[tarfile.TarInfo | tuple[str, bytes]]) -> None:
    with tarfile.open(path, "w") as tar:
        for member in members:
            if isinstance(member, tarfile.TarInfo):
                tar.addfile(member)
            else:
                entry = tarfile.TarInfo(member[0])
                entry.size = len(member[1])
                tar.addfile(entry, io.BytesIO(member[1]))


def config_for(diff_ids: list[str], steps: int) -> bytes:
    history = [{"created": "2026-12-01T00:00:00Z", "created_by": f"step {n}"} for n in range(steps)]
    return json.dumps(
        {
            "architecture": "amd64",
            "os": "linux",
            "created": "2026-12-01T00:00:00Z",
            "rootfs": {"type": "layers", "diff_ids": diff_ids},
            "history": history,
        }
    ).encode()


def test_a_layer_saved_once_and_linked_again_has_its_size(tmp_path: Path) -> None:
    """`docker save base child` (Docker before 25) writes a layer both images hold once; the
    child's copy of it is a symbolic link `../<id>/layer.tar`. Those layers had no size, and the
    images showed 0 B with exit 0."""
    layer, on_disk = layer_tar()
    diff = "sha256:" + hashlib.sha256(layer).hexdigest()
    base = config_for([diff], 1)
    child = config_for([diff], 2)
    link = tarfile.TarInfo("bbbb/layer.tar")
    link.type, link.linkname = tarfile.SYMTYPE, "../aaaa/layer.tar"
    manifest = [
        {"Config": "base.json", "RepoTags": ["base:1"], "Layers": ["aaaa/layer.tar"]},
        {"Config": "child.json", "RepoTags": ["child:1"], "Layers": ["bbbb/layer.tar"]},
    ]
    archive = tmp_path / "save.tar"
    write_tar(
        archive,
        [
            ("aaaa/layer.tar", layer),
            link,
            ("base.json", base),
            ("child.json", child),
            ("manifest.json", json.dumps(manifest).encode()),
        ],
    )
    images = {i.tags[0]: i for i in load(archive).images}
    assert images["base:1"].layer_sizes == images["child:1"].layer_sizes == (on_disk,)
    assert images["child:1"].size == on_disk


def test_a_link_out_of_the_archive_names_nothing(tmp_path: Path) -> None:
    layer, _ = layer_tar()
    diff = "sha256:" + hashlib.sha256(layer).hexdigest()
    link = tarfile.TarInfo("bbbb/layer.tar")
    link.type, link.linkname = tarfile.SYMTYPE, "../../../../etc/passwd"
    manifest = [{"Config": "c.json", "RepoTags": ["odd:1"], "Layers": ["bbbb/layer.tar"]}]
    archive = tmp_path / "save.tar"
    write_tar(
        archive,
        [link, ("c.json", config_for([diff], 1)), ("manifest.json", json.dumps(manifest).encode())],
    )
    (image,) = load(archive).images
    assert image.layer_sizes is None  # unknown, not 0 and not the size of a host file


def test_an_index_that_names_itself_ends(tmp_path: Path) -> None:
    """It used to loop for ever (no visited set)."""
    inner = {"schemaVersion": 2, "manifests": []}
    inner_bytes = json.dumps(inner).encode()
    digest = "sha256:" + hashlib.sha256(inner_bytes).hexdigest()
    own = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": [
            {"mediaType": "application/vnd.oci.image.index.v1+json", "digest": digest, "size": 1}
        ],
    }
    own_bytes = json.dumps(own).encode()
    # The blob at `digest` is the index itself, whatever its real digest.
    archive = tmp_path / "loop.tar"
    write_tar(
        archive,
        [(f"blobs/sha256/{digest[7:]}", own_bytes), ("index.json", own_bytes)],
    )
    one_line_refusal(limited_tree(archive), archive, "index.json names no image")


def test_one_config_named_by_ten_thousand_entries_is_refused(tmp_path: Path) -> None:
    """Each entry used to parse and keep the 1 MB config again: 6 GB."""
    config = config_for([], 15_000)
    assert len(config) > 900_000
    manifest = [{"Config": "c.json", "RepoTags": [f"x:{n}"], "Layers": []} for n in range(10_000)]
    archive = tmp_path / "many.tar"
    write_tar(archive, [("c.json", config), ("manifest.json", json.dumps(manifest).encode())])
    one_line_refusal(limited_tree(archive), archive, "configs add up to more than 512 MiB")


def test_a_config_named_a_few_times_is_read_once_and_opens(tmp_path: Path) -> None:
    config = config_for([], 3)
    manifest = [{"Config": "c.json", "RepoTags": [f"x:{n}"], "Layers": []} for n in range(50)]
    archive = tmp_path / "few.tar"
    write_tar(archive, [("c.json", config), ("manifest.json", json.dumps(manifest).encode())])
    (image,) = load(archive).images  # one config: one image, with every name given
    assert len(image.tags) == 50


def zero_bomb(path: Path, gib: int) -> None:
    """A gzip `docker save` whose one layer is `gib` GiB of zeros, in a few MB: the same
    1 MiB-of-zeros member again and again (a multi-member gzip stream, as `cat` makes)."""
    size = gib * 1024**3
    header = tarfile.TarInfo("aaaa/layer.tar")
    header.size = size
    mib_of_zeros = gzip.compress(bytes(1024 * 1024), compresslevel=9, mtime=0)
    with path.open("wb") as out:
        out.write(gzip.compress(header.tobuf(format=tarfile.USTAR_FORMAT), mtime=0))
        for _ in range(size // (1024 * 1024)):
            out.write(mib_of_zeros)


def test_a_gzip_bomb_is_refused_without_inflating_it(tmp_path: Path) -> None:
    archive = tmp_path / "bomb.tar.gz"
    zero_bomb(archive, 5)
    assert archive.stat().st_size < 6 * 1024 * 1024
    one_line_refusal(limited_tree(archive), archive, "inflates more than 100 times its size")


def test_a_hundred_thousand_small_gzip_members_read_as_one_archive(tmp_path: Path) -> None:
    """Some tools write gzip as many members; 100,000 of them took over a minute."""
    plain = tmp_path / "forest.tar"
    write_forest(plain, [3, 3], "m")
    data = plain.read_bytes()
    step = max(1, len(data) // 100_000)
    packed = tmp_path / "forest.tar.gz"
    with packed.open("wb") as out:
        for start in range(0, len(data), step):
            piece = zlib.compressobj(1, zlib.DEFLATED, 31)
            out.write(piece.compress(data[start : start + step]) + piece.flush())
    done = limited_tree(packed)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.count("m-") == 12  # 3 roots and 9 children, as from the plain tar


@pytest.mark.parametrize(
    ("index", "said"),
    [
        ({"manifests": 5}, "index.json.manifests: expected a list, got int"),
        (
            {"manifests": [{"digest": "sha256:ab", "annotations": "x"}]},
            "index.json.manifests[0].annotations: expected an object, got str",
        ),
        ({"manifests": ["x"]}, "index.json.manifests[0]: expected an object, got str"),
        (
            {"manifests": [{"mediaType": "application/vnd.oci.image.index.v1+json"}]},
            "index.json.manifests[0].digest: a descriptor without a digest",
        ),
    ],
    ids=["manifests-a-number", "annotations-a-string", "descriptor-a-string", "no-digest"],
)
def test_an_index_of_the_wrong_shape_is_one_line(
    tmp_path: Path, index: dict[str, object], said: str
) -> None:
    archive = tmp_path / "odd.tar"
    write_tar(archive, [("index.json", json.dumps(index).encode())])
    with pytest.raises(SnapshotError) as info:
        load(archive)
    assert str(info.value).startswith(f"{archive}: {said}")


def test_a_config_nested_past_the_parser_is_one_line(tmp_path: Path) -> None:
    manifest = [{"Config": "c.json", "RepoTags": ["deep:1"], "Layers": []}]
    deep = b'{"history": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    archive = tmp_path / "deep.tar"
    write_tar(archive, [("c.json", deep), ("manifest.json", json.dumps(manifest).encode())])
    one_line_refusal(limited_tree(archive), archive, "c.json: JSON nested hundreds of levels")


def test_repo_tags_as_a_string_is_refused_not_spelt_out(tmp_path: Path) -> None:
    """`"RepoTags": "busybox:1"` used to become nine one-letter tags."""
    manifest = [{"Config": "c.json", "RepoTags": "busybox:1", "Layers": []}]
    archive = tmp_path / "tags.tar"
    write_tar(
        archive, [("c.json", config_for([], 1)), ("manifest.json", json.dumps(manifest).encode())]
    )
    with pytest.raises(SnapshotError) as info:
        load(archive)
    assert str(info.value) == f"{archive}: manifest.json[0].RepoTags: expected a list of names"

"""`docker save` archives opened directly: the legacy layout (every engine's `docker load`
takes it; Docker before 25 writes it) and the OCI image layout, plain or gzip."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from fromscratch.core.formats.inventory import SizeBasis
from fromscratch.core.formats.snapshot import SnapshotError, load
from fromscratch.core.graph.lineage import build_tree
from fromscratch.core.graph.records import SCRATCH_ID, EdgeMethod
from fromscratch.core.graph.tree import find
from tests.support.image_forest import write_forest


def parents(path: Path) -> dict[str, str]:
    inventory = load(path)
    tree = build_tree(inventory.images)
    name = {i.id: i.tags[0].removesuffix(":latest") for i in inventory.images}
    name[SCRATCH_ID] = "scratch"
    return {name[c]: name[p] for p, c in tree.edges if c in name}


def test_a_legacy_archive_gives_its_forest(tmp_path: Path) -> None:
    archive = tmp_path / "forest.tar"
    assert write_forest(archive, [2, 3], "f") == 2 + 6
    found = parents(archive)
    assert found["f-0"] == "scratch" and found["f-1"] == "scratch"
    assert found["f-1-2"] == "f-1" and found["f-0-0"] == "f-0"
    image = next(i for i in load(archive).images if i.tags == ("f-1-2:latest",))
    assert image.history is not None and len(image.history) == 2  # read from the config
    assert image.layer_sizes is not None and all(s > 0 for s in image.layer_sizes)
    assert image.size == sum(image.layer_sizes)


def test_a_gzipped_archive_reads_the_same(tmp_path: Path) -> None:
    archive = tmp_path / "forest.tar"
    write_forest(archive, [2, 2], "g")
    packed = tmp_path / "forest.tar.gz"
    packed.write_bytes(gzip.compress(archive.read_bytes()))
    assert parents(packed) == parents(archive)


def layer_tar() -> tuple[bytes, int]:
    """A layer as `docker save` writes one, and its bytes as dockerd's graph drivers count
    them: files' sizes, links' target lengths, a hard-linked file once, folders nothing."""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as tar:
        folder = tarfile.TarInfo("bin")
        folder.type = tarfile.DIRTYPE
        tar.addfile(folder)
        body = tarfile.TarInfo("bin/busybox")
        body.size = 1000
        tar.addfile(body, io.BytesIO(b"\x7fELF" + bytes(996)))
        hard = tarfile.TarInfo("bin/ls")
        hard.type, hard.linkname = tarfile.LNKTYPE, "bin/busybox"
        tar.addfile(hard)
        soft = tarfile.TarInfo("bin/sh")
        soft.type, soft.linkname = tarfile.SYMTYPE, "busybox"
        tar.addfile(soft)
        whiteout = tarfile.TarInfo("etc/.wh.motd")
        tar.addfile(whiteout, io.BytesIO(b""))
    return out.getvalue(), 1000 + len("busybox")


def blob(files: dict[str, bytes], data: bytes) -> dict[str, object]:
    digest = hashlib.sha256(data).hexdigest()
    files[f"blobs/sha256/{digest}"] = data
    return {"digest": f"sha256:{digest}", "size": len(data)}


def test_an_oci_layout_archive_is_read(tmp_path: Path) -> None:
    """As `skopeo copy ... oci-archive:` or `buildah push ... oci-archive:` write it: no
    manifest.json, the name in the index's annotations."""
    files: dict[str, bytes] = {}
    data, on_disk = layer_tar()
    layer = blob(files, data)
    config = {
        "architecture": "amd64",
        "os": "linux",
        "created": "2026-12-01T00:00:00Z",
        "rootfs": {"type": "layers", "diff_ids": ["sha256:" + "d" * 64]},
        "history": [{"created": "2026-12-01T00:00:00Z", "created_by": "ADD rootfs /"}],
        "config": {"Cmd": ["sh"]},
    }
    config_blob = blob(files, json.dumps(config).encode())
    manifest = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {**config_blob, "mediaType": "application/vnd.oci.image.config.v1+json"},
        "layers": [{**layer, "mediaType": "application/vnd.oci.image.layer.v1.tar"}],
    }
    manifest_blob = blob(files, json.dumps(manifest).encode())
    files["index.json"] = json.dumps(
        {
            "schemaVersion": 2,
            "manifests": [
                {
                    **manifest_blob,
                    "mediaType": "application/vnd.oci.image.manifest.v1+json",
                    "annotations": {"io.containerd.image.name": "example.org/base:1"},
                }
            ],
        }
    ).encode()
    files["oci-layout"] = b'{"imageLayoutVersion": "1.0.0"}'
    archive = tmp_path / "oci.tar"
    with tarfile.open(archive, "w") as tar:
        for name, data in files.items():
            entry = tarfile.TarInfo(name)
            entry.size = len(data)
            tar.addfile(entry, io.BytesIO(data))
    (image,) = load(archive).images
    assert image.tags == ("example.org/base:1",)
    assert image.layers == ("sha256:" + "d" * 64,)
    assert image.layer_sizes == (on_disk,)  # not the tar's bytes
    assert image.size_basis is SizeBasis.LAYER_BYTES
    assert image.history is not None and image.history[0].created_by == "ADD rootfs /"
    tree = build_tree([image])
    assert tree.edges[SCRATCH_ID, image.id]["method"] == EdgeMethod.BASE


def test_a_tar_that_is_not_a_docker_save_is_refused(tmp_path: Path) -> None:
    archive = tmp_path / "photos.tar"
    with tarfile.open(archive, "w") as tar:
        entry = tarfile.TarInfo("holiday.jpg")
        entry.size = 3
        tar.addfile(entry, io.BytesIO(b"jpg"))
    with pytest.raises(SnapshotError) as info:
        load(archive)
    assert str(info.value).startswith(f"{archive}: a tar archive without manifest.json")


def test_a_truncated_archive_is_one_line(tmp_path: Path) -> None:
    archive = tmp_path / "forest.tar"
    write_forest(archive, [3, 3], "t")
    cut = tmp_path / "cut.tar"
    cut.write_bytes(archive.read_bytes()[:20_000])
    done = subprocess.run(
        [sys.executable, "-m", "fromscratch", "tree", "--snapshot", str(cut)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    (line,) = done.stderr.splitlines()
    assert line.startswith(f"fromscratch: {cut}: ")


def test_a_containerd_store_save_wraps_buildkit_images_in_an_index(tmp_path: Path) -> None:
    """What Docker 28 with the containerd image store writes for a BuildKit build: index.json
    names an index holding the platform manifest and a provenance attestation; layers are
    gzip blobs. The attestation is no image; the image goes by the engine's id (the index's
    digest) as well; its sizes are compressed and say so."""
    files: dict[str, bytes] = {}
    packed = gzip.compress(b"layer-bytes" * 1000, mtime=0)
    layer = blob(files, packed)
    config = {
        "architecture": "amd64",
        "os": "linux",
        "created": "2026-12-01T00:00:00Z",
        "rootfs": {"type": "layers", "diff_ids": ["sha256:" + "e" * 64]},
        "history": [{"created": "2026-12-01T00:00:00Z", "created_by": "COPY busybox /"}],
    }
    config_blob = blob(files, json.dumps(config).encode())
    manifest_blob = blob(
        files,
        json.dumps(
            {
                "schemaVersion": 2,
                "config": {**config_blob, "mediaType": "application/vnd.oci.image.config.v1+json"},
                "layers": [{**layer, "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip"}],
            }
        ).encode(),
    )
    statement = blob(files, b'{"_type": "https://in-toto.io/Statement/v0.1"}')
    attestation_config = blob(files, b'{"architecture": "unknown", "os": "unknown", "rootfs": {}}')
    attestation = blob(
        files,
        json.dumps(
            {
                "schemaVersion": 2,
                "config": {
                    **attestation_config,
                    "mediaType": "application/vnd.oci.image.config.v1+json",
                },
                "layers": [{**statement, "mediaType": "application/vnd.in-toto+json"}],
            }
        ).encode(),
    )
    wrapper = blob(
        files,
        json.dumps(
            {
                "schemaVersion": 2,
                "mediaType": "application/vnd.oci.image.index.v1+json",
                "manifests": [
                    {**manifest_blob, "mediaType": "application/vnd.oci.image.manifest.v1+json"},
                    {
                        **attestation,
                        "mediaType": "application/vnd.oci.image.manifest.v1+json",
                        "annotations": {
                            "vnd.docker.reference.digest": manifest_blob["digest"],
                            "vnd.docker.reference.type": "attestation-manifest",
                        },
                    },
                ],
            }
        ).encode(),
    )
    files["index.json"] = json.dumps(
        {
            "schemaVersion": 2,
            "manifests": [
                {
                    **wrapper,
                    "mediaType": "application/vnd.oci.image.index.v1+json",
                    "annotations": {"io.containerd.image.name": "docker.io/zoo/app:bk"},
                }
            ],
        }
    ).encode()
    files["oci-layout"] = b'{"imageLayoutVersion": "1.0.0"}'
    archive = tmp_path / "containerd.tar"
    with tarfile.open(archive, "w") as tar:
        for name, data in files.items():
            entry = tarfile.TarInfo(name)
            entry.size = len(data)
            tar.addfile(entry, io.BytesIO(data))
    (image,) = load(archive).images
    assert image.tags == ("docker.io/zoo/app:bk",)
    assert image.aliases == (wrapper["digest"],) and image.manifest == manifest_blob["digest"]
    assert image.size_basis is SizeBasis.COMPRESSED
    assert image.size == image.content_size == len(packed)
    tree = build_tree([image])
    assert find(tree, str(wrapper["digest"])) == image.id


@pytest.mark.parametrize(
    ("files", "said"),
    [
        ({"index.json": b"[1, 2]"}, "index.json: expected a JSON object, got list"),
        (
            {
                "index.json": b'{"manifests": [{"mediaType": '
                b'"application/vnd.oci.image.manifest.v1+json", "digest": "sha256:aa"}]}',
                "blobs/sha256/aa": b"[3]",
            },
            "blobs/sha256/aa: expected a JSON object, got list",
        ),
        (
            {"manifest.json": b'[{"Config": "c.json", "Layers": [{"x": 1}]}]', "c.json": b"{}"},
            "manifest.json[0].Layers: expected a list of paths",
        ),
    ],
    ids=["index-a-list", "manifest-a-list", "layers-not-paths"],
)
def test_an_archive_of_the_wrong_shape_is_one_line(
    tmp_path: Path, files: dict[str, bytes], said: str
) -> None:
    """JSON of the wrong shape inside an archive used to end in a traceback."""
    archive = tmp_path / "odd.tar"
    with tarfile.open(archive, "w") as tar:
        for name, data in files.items():
            entry = tarfile.TarInfo(name)
            entry.size = len(data)
            tar.addfile(entry, io.BytesIO(data))
    with pytest.raises(SnapshotError) as info:
        load(archive)
    assert str(info.value) == f"{archive}: {said}"

"""Inside the layers on each engine people run: an image's files read from the engine's save
stream equal what a container of it holds (`docker export`, the engine's own answer), after
deletes, a replaced folder, changed contents, a chmod, a chown, hard and symbolic links and
names with a newline, invalid UTF-8 and markup."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from fromscratch.core.engine.endpoint import Endpoint
from fromscratch.core.formats.inventory import Image
from fromscratch.core.layers.cache import LayerCache
from fromscratch.core.layers.entries import Entry, EntryType, is_marker
from fromscratch.core.layers.merged import merge
from fromscratch.core.layers.reading import ArchiveLayers, EngineLayers, host_layers, image_layers
from fromscratch.core.layers.tarindex import LayerIndex, read_layer
from tests.support.dockerd import SID_ROOT, Dockerd, EngineKind

BUILD = """FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
RUN mkdir -p /etc /var/lib/apt/lists /srv /data \\
 && echo hi > /etc/motd && echo k > /etc/keep \\
 && echo a > /var/lib/apt/lists/a && echo b > /var/lib/apt/lists/b && echo o > /srv/old \\
 && echo h > /data/f && ln /data/f /data/hard && ln -s /etc/motd /data/sym \\
 && printf x > "/data/$(printf 'new\\nline')" && printf y > "$(printf '/data/bad-\\377')" \\
 && printf z > '/data/<b>bold<i>' && : > /data/empty \\
 && echo same > /data/chmod-me && echo own > /data/chown-me
RUN rm /etc/motd && rm -r /var/lib/apt/lists && mkdir /var/lib/apt/lists \\
 && echo new > /var/lib/apt/lists/c && rm -r /srv && echo file > /srv
RUN chmod 600 /data/chmod-me && chown 1000:1000 /data/chown-me && echo changed > /data/f
"""
INIT = {
    ".dockerenv",
    "dev",
    "proc",
    "sys",
    "etc/hostname",
    "etc/hosts",
    "etc/resolv.conf",
    "etc/mtab",
    "run",
    "run/.containerenv",
    "dev/console",
    "dev/pts",
    "dev/shm",
}
"""What the engine adds to every container (its init layer), not the image's."""


def exported(engine: Dockerd, ref: str, tmp: Path) -> dict[str, Entry]:
    name = f"exp-{abs(hash((ref, str(tmp)))) % 10**8}"
    engine.docker("create", "--network", "none", "--name", name, ref, "/bin/sh")
    try:
        inside = engine.root / "export.tar"
        engine.docker("export", "-o", engine.inside(inside), name)
        data = inside.read_bytes()
        inside.unlink()
    finally:
        engine.docker("rm", name)
    layer = read_layer(io.BytesIO(data), f"export of {ref}")
    return {path: placed.entry for path, placed in merge([layer]).items()}


def same_kind(kind: EntryType) -> EntryType:
    """Which of a file's hard-linked names an export writes first is the walk's choice."""
    return EntryType.FILE if kind == EntryType.HARDLINK else kind


def _image(engine: Dockerd, ref: str) -> Image:
    import json

    info = json.loads(engine.docker("image", "inspect", ref))[0]
    return Image(
        info["Id"], tuple(info.get("RepoTags") or ()), tuple(info["RootFS"]["Layers"]), None
    )


@pytest.fixture(scope="session")
def files_image(engine: Dockerd) -> str:
    ref = "layers/files:1"
    engine.build(ref, BUILD, buildkit=True, network="none")
    return ref


def test_the_merged_files_equal_a_containers_export(
    engine: Dockerd, files_image: str, tmp_path: Path
) -> None:
    image = _image(engine, files_image)
    cache = LayerCache(tmp_path / "cache")
    layers = image_layers(image, cache, EngineLayers(Endpoint(engine.url, "test engine")))
    merged = merge(layers)
    export = exported(engine, files_image, tmp_path)
    for path, placed in merged.items():
        mine, theirs = placed.entry, export[path]
        assert (same_kind(mine.type), mine.size, mine.mode, mine.uid, mine.gid) == (
            same_kind(theirs.type),
            theirs.size,
            theirs.mode,
            theirs.uid,
            theirs.gid,
        ), path
        if mine.type == EntryType.SYMLINK:
            assert mine.link == theirs.link, path
    extra = {
        p
        for p in export
        if p not in merged and p not in INIT and not p.startswith(("dev/", "proc/", "sys/"))
    }
    assert extra == set()
    # what the steps did is there
    assert "etc/motd" not in merged and "etc/keep" in merged
    assert set(p for p in merged if p.startswith("var/lib/apt/lists/")) == {"var/lib/apt/lists/c"}
    assert merged["srv"].entry.type == EntryType.FILE
    assert merged["data/chmod-me"].entry.mode == 0o600 and merged["data/chmod-me"].earlier
    assert merged["data/chown-me"].entry.uid == 1000
    for odd in ("data/new\nline", "data/bad-\udcff", "data/<b>bold<i>", "data/empty"):
        assert odd in merged, odd
    # the second read comes from the cache: no engine needed
    assert image_layers(image, cache, None) == layers


def test_a_docker_save_archive_gives_the_same_layers(
    engine: Dockerd, files_image: str, tmp_path: Path
) -> None:
    image = _image(engine, files_image)
    archive = tmp_path / "files.tar"
    engine.save(archive, files_image)
    from_archive = image_layers(image, LayerCache(tmp_path / "a"), ArchiveLayers(archive))
    from_engine = image_layers(
        image, LayerCache(tmp_path / "e"), EngineLayers(Endpoint(engine.url, "test engine"))
    )
    assert from_archive == from_engine


def test_a_snapshot_saved_with_its_files_is_studied_offline(
    engine: Dockerd,
    files_image: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from fromscratch.core.cli import main

    monkeypatch.setenv("FROMSCRATCH_CACHE_DIR", str(tmp_path / "live-cache"))
    snapshot = tmp_path / "host.json.gz"
    assert main(["snapshot", "save", str(snapshot), "--host", engine.url, "--with-files"]) == 0
    said = capsys.readouterr().out
    assert "with the files of" in said and "MiB more" in said
    live = main(["files", files_image, "--host", engine.url, "--format", "json"])
    live_out = capsys.readouterr().out
    # another machine: an empty cache, no engine
    monkeypatch.setenv("FROMSCRATCH_CACHE_DIR", str(tmp_path / "offline-cache"))
    assert (
        main(["files", files_image, "--snapshot", str(snapshot), "--format", "json"]) == live == 0
    )
    assert capsys.readouterr().out == live_out
    assert main(["waste", files_image, "--snapshot", str(snapshot)]) == 0
    assert "efficiency (dive's score)" in capsys.readouterr().out


def test_a_hosts_images_are_read_in_one_save_each_shared_layer_once(
    engine: Dockerd, files_image: str, tmp_path: Path
) -> None:
    refs = []
    for n in range(3):
        ref = f"layers/on-files:{n}"
        engine.build(
            ref, f"FROM {files_image}\nRUN echo {n} > /app-{n}\n", buildkit=True, network="none"
        )
        refs.append(ref)
    images = [_image(engine, ref) for ref in [files_image, *refs]]
    distinct = {d for image in images for d in image.layers}
    source = EngineLayers(Endpoint(engine.url, "test engine"))
    kept: list[str] = []
    asked: list[int] = []
    reading = source.read

    def read(batch, known, cancelled, keep, *, hold=True):  # type: ignore[no-untyped-def]
        asked.append(len(batch))
        return reading(
            batch,
            known,
            cancelled,
            lambda layer: (kept.append(layer.diff_id), keep(layer)),
            hold=hold,
        )

    source.read = read  # type: ignore[method-assign]  # counting what the engine streams
    cache = LayerCache(tmp_path / "cache")
    host_layers(images, cache, source)
    assert asked == [len(images)]
    assert sorted(kept) == sorted(distinct)  # each shared layer read once
    assert all(cache.has(d) for d in distinct)
    host_layers(images, cache, source)  # all cached: nothing asked
    assert asked == [len(images)]


def _comparable(layer: LayerIndex) -> set[tuple[object, ...]]:
    """A layer's entries as both readings must agree on: a marker by its path (the disk
    keeps no mode or time for it), a file's names by kind (which name of a hard-linked file
    is the link is the walk's choice: sizes are compared merged)."""
    out: set[tuple[object, ...]] = set()
    for e in layer.entries:
        if is_marker(e.path):
            out.add((e.path,))
        else:
            link = e.link if e.type == EntryType.SYMLINK else ""
            out.add((e.path, same_kind(e.type), e.mode, e.uid, e.gid, e.mtime, link))
    return out


WALKS = {EngineKind.DOCKER_HOST, EngineKind.DOCKER28_OVERLAY2}
"""Engines whose unpacked layer folders are walked (overlay2). The containerd image store
keeps snapshots GraphDriver does not name; Podman's overlay folders hold folders its layer
tars leave out (core.layers.unpacked.DRIVERS), so both are read from the save stream."""


def test_the_unpacked_folders_give_what_the_save_stream_gives(
    engine: Dockerd, files_image: str, tmp_path: Path
) -> None:
    ref = "layers/on-files:unpacked"
    engine.build(
        ref,
        f"FROM {files_image}\nRUN rm /etc/keep && mkdir -p /etc/keep2 && ln /bin/busybox /hard\n",
        buildkit=True,
        network="none",
    )
    images = [_image(engine, r) for r in (files_image, ref)]
    root = SID_ROOT if engine.kind.in_sid_root else Path("/")
    endpoint = Endpoint(engine.url, "test engine")
    walking = EngineLayers(endpoint, root=root)
    walked = walking.read(images, lambda _d: False, None, lambda _layer: None)
    streamed = EngineLayers(endpoint, unpacked=False).read(
        images, lambda _d: False, None, lambda _layer: None
    )
    distinct = {d for image in images for d in image.layers}
    assert walked.keys() == streamed.keys() == distinct
    if engine.kind not in WALKS:
        assert walking.walked == 0
        return
    assert walking.walked == len(distinct)
    for diff_id in distinct:
        mine, theirs = walked[diff_id], streamed[diff_id]
        a, b = _comparable(mine), _comparable(theirs)
        assert a == b, (diff_id, sorted(a - b, key=str), sorted(b - a, key=str))
        assert (mine.content, mine.texts) == (theirs.content, theirs.texts), diff_id
        plain = [[e.path for e in x.entries if not is_marker(e.path)] for x in (mine, theirs)]
        assert plain[0] == plain[1], diff_id  # the same walk: names in order
    for image in images:
        a = merge([walked[d] for d in image.layers])
        b = merge([streamed[d] for d in image.layers])
        assert {p: (x.entry.size, x.layer) for p, x in a.items()} == {
            p: (x.entry.size, x.layer) for p, x in b.items()
        }
    # asked for contents, the walk hashes them as the stream does
    top = images[1].layers[-1]
    digested = walking.read(
        images[1:], lambda _d: True, None, lambda _layer: None, digests={"bin/busybox", "etc/motd"}
    )
    again = EngineLayers(endpoint, unpacked=False).read(
        images[1:], lambda _d: False, None, lambda _layer: None, digests={"bin/busybox"}
    )
    assert dict(digested[top].digests) == dict(again[top].digests) != {}


SKIPPED = frozenset(
    {"share", "proc", "sys", "dev", "run", "tmp", "var/cache", "var/lib/apt/lists"}
    | {"usr/share/doc", "usr/share/man", "usr/share/locale", "usr/share/info"}
)
"""Of the CI's sid root: the test engines' folders, the mount points' contents, caches and
documentation (the rest is Debian's user space as debootstrap and apt left it)."""
BIG = 4 * 2**20
"""Files over this are left out (the engines' binaries the sid root carries, not Debian's)."""


def _engines_own(path: str) -> bool:
    """What a container's export holds from the engine, not the image: its init files (a
    container's own /etc/hosts ...) and the mount points' contents."""
    return path in INIT or path.startswith(("dev/", "proc/", "sys/"))


@pytest.fixture(scope="session")
def debian_root() -> bytes:
    """A real Debian user space as a tar (the CI's debootstrapped sid root, its engines and
    caches left out), for `docker import`."""
    import os
    import tarfile

    if not (SID_ROOT / "usr" / "bin" / "dpkg").exists():
        pytest.skip("needs the CI's Debian sid root (.ci/sid_root.sh)")
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for folder, folders, files in os.walk(SID_ROOT):
            here = os.path.relpath(folder, SID_ROOT)
            if here != ".":
                tar.add(folder, arcname=here, recursive=False)
            kept = [f for f in folders if os.path.normpath(os.path.join(here, f)) not in SKIPPED]
            links = [f for f in kept if os.path.islink(os.path.join(folder, f))]  # bin -> usr/bin
            folders[:] = sorted(set(kept) - set(links))
            for name in sorted([*files, *links]):
                path = os.path.join(folder, name)
                if os.path.islink(path) or os.path.getsize(path) <= BIG:
                    tar.add(path, arcname=os.path.join(here, name), recursive=False)
    return out.getvalue()


def test_a_real_debian_user_space_and_an_image_on_it(
    engine: Dockerd, debian_root: bytes, tmp_path: Path
) -> None:
    """The oracle on real files: the merged tree equals `docker export`, the diff of the
    image on it equals the difference of the two exports, and the summary says Debian, apt
    and no kernel."""
    from fromscratch.core.layers.diff import Change, path_changes
    from fromscratch.core.layers.summary import summarise

    engine.docker("import", "-", "layers/debian:sid", stdin=debian_root)
    engine.build(
        "layers/on-debian:1",
        "FROM layers/debian:sid\nRUN rm -rf /usr/share/zoneinfo /etc/motd && echo hi > /srv/hi "
        "&& chmod 600 /etc/debian_version && ln -s /usr/bin/dpkg /usr/local/bin/dpkg2\n",
        buildkit=True,
        network="none",
    )
    base, child = (_image(engine, r) for r in ("layers/debian:sid", "layers/on-debian:1"))
    source = EngineLayers(Endpoint(engine.url, "test engine"))
    cache = LayerCache(tmp_path / "cache")
    below, above = image_layers(base, cache, source), image_layers(child, cache, source)
    exports = {}
    for ref, layers in (("layers/debian:sid", below), ("layers/on-debian:1", above)):
        merged = {p: x.entry for p, x in merge(layers).items()}
        export = exported(engine, ref, tmp_path)
        exports[ref] = export
        mine = {
            p: (same_kind(e.type), e.size, e.mode, e.uid, e.gid)
            for p, e in merged.items()
            if not _engines_own(p)
        }
        theirs = {
            p: (same_kind(e.type), e.size, e.mode, e.uid, e.gid)
            for p, e in export.items()
            if not _engines_own(p)
        }
        assert mine == theirs, ref
    contents = summarise(child.id, merge(above), above)
    assert contents.os_release.startswith("Debian GNU/Linux")
    assert "apt (Debian/Ubuntu)" in contents.package_managers and not contents.has_kernel
    # the diff equals the difference of the two exports (what the engine's files say)
    first, second = exports["layers/debian:sid"], exports["layers/on-debian:1"]

    def fields(e: Entry) -> tuple[object, ...]:
        return (same_kind(e.type), e.size, e.mode, e.uid, e.gid, e.link)

    theirs_changes = {
        p: Change.ADDED if p not in first else Change.REMOVED if p not in second else Change.CHANGED
        for p in first.keys() | second.keys()
        if not _engines_own(p)
        and (p not in first or p not in second or fields(first[p]) != fields(second[p]))
    }
    ours = {
        c.path: c.change
        for c in path_changes(below, above)
        if not _engines_own(c.path) and (c.change != Change.CHANGED or set(c.what) - {"mtime"})
    }
    assert ours == theirs_changes
    assert ours["srv/hi"] == Change.ADDED and ours["etc/motd"] == Change.REMOVED
    assert ours["etc/debian_version"] == Change.CHANGED

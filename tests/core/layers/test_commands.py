"""`fromscratch files`, `diff` and `waste` on a `docker save` archive: what each prints, the
image in the tree that wrote each file, dive's CI rules with a `.dive-ci`, and one-line
refusals; layers read once into the cache, then used offline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fromscratch.core.cli import main
from tests.core.layers.layertar import file, folder, layer_tar, symlink
from tests.core.layers.savebuild import write_save

BASE = layer_tar(
    folder("bin"),
    file("bin/sh", bytes(1000), 0o755),
    symlink("bin/ls", "sh"),
    file("etc/os-release", b"ID=test\n"),
)
APP = layer_tar(
    file("app/run", bytes(300), 0o755),
    file("etc/.wh.os-release", b""),
    file("app/odd\nname<b>", b"x"),
)
FAT = layer_tar(file("app/run", bytes(300), 0o700))


@pytest.fixture
def archive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("FROMSCRATCH_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "save.tar"
    write_save(path, {"base:1": [BASE], "app:1": [BASE, APP], "app:fat": [BASE, APP, FAT]})
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_files_lists_the_merged_image_with_who_wrote_each_file(
    archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "files", "app:1", "--snapshot", str(archive))
    assert code == 0 and err == ""
    lines = out.splitlines()
    run_line = next(line for line in lines if line.endswith(" app/run"))
    assert run_line.startswith("-rwxr-xr-x") and "300 B" in run_line and "app:1" in run_line
    assert any(line.endswith("bin/ls -> sh") and "base:1" in line for line in lines)
    assert not any("os-release" in line for line in lines)  # removed by app's layer
    assert any(line.endswith("app/odd\\x0aname<b>") for line in lines)  # escaped, one line
    assert len(lines) == len(out.split("\n")) - 1
    code, out, _ = run(capsys, "files", "app:1", "--own", "--snapshot", str(archive))
    assert {line.rsplit(" ", 1)[-1] for line in out.splitlines()} >= {"app/run"}
    assert not any("bin/sh" in line for line in out.splitlines())
    code, out, _ = run(capsys, "files", "app:1", "--layer", "2", "--snapshot", str(archive))
    assert "removes etc/os-release" in out
    code, out, _ = run(capsys, "files", "app:1", "--format", "json", "--snapshot", str(archive))
    records = {r["path"]: r for r in json.loads(out)}
    assert records["bin/sh"]["layer"] == 1 and records["bin/sh"]["image"] == "base:1"
    assert records["app/run"]["mode"] == 0o755 and records["bin/ls"]["link"] == "sh"


def test_the_layers_are_read_once_then_used_offline(
    archive: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "files", "app:1", "--snapshot", str(archive))[0] == 0
    snapshot = tmp_path / "snap.json"
    assert main(["snapshot", "save", str(snapshot), "--host", "unix:///nonexistent"]) != 0
    capsys.readouterr()
    cached = sorted((tmp_path / "cache" / "layers").glob("*.layer"))
    assert len(cached) == 3  # every layer of the archive, each once
    archive.unlink()
    code, _out, err = run(capsys, "files", "app:1", "--snapshot", str(archive))
    assert code == 2 and "no such file" in err and err.count("\n") == 1


def test_diff_against_the_parent_and_another_image(
    archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "diff", "app:fat", "--snapshot", str(archive))
    assert code == 0
    assert out.startswith("app:fat against its parent app:1: 2 bottom layers shared")
    assert "~ app/run  mode: -rwxr-xr-x" in out and "0 added" in out and "1 changed" in out
    code, out, _ = run(capsys, "diff", "app:1", "base:1", "--snapshot", str(archive))
    assert "- etc/os-release" in out and "+ app/run" in out  # app:1 against base:1
    assert "config env TAG: base:1 -> app:1" in out
    code, out, _ = run(capsys, "diff", "app:1", "--format", "json", "--snapshot", str(archive))
    data = json.loads(out)
    changes = {p["path"]: p["change"] for p in data["paths"]}
    assert changes["app/run"] == "added" and changes["etc/os-release"] == "removed"
    assert data["shared_layers"] == 1


def test_waste_and_dives_ci_rules(
    archive: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "waste", "app:fat", "--snapshot", str(archive))
    assert code == 0
    # app/run written twice (300 + 300), os-release (8 B) then removed: the smallest sizes
    # 1000+0+0+300+1 = 1301 of 1000+0+8+0+600+1 = 1609 written; 608 of 601 user bytes wasted
    assert "80.86 %" in out and "wasted (dive)                       608 B" in out
    assert "reclaimable                         308 B" in out
    assert "wasted of the user bytes (dive) 101.16 %" in out
    config = tmp_path / ".dive-ci"
    config.write_text(
        "rules:\n  lowestEfficiency: 0.95\n  highestWastedBytes: 1KB\n"
        "  highestUserWastedPercent: disabled\n"
    )
    code, out, _ = run(
        capsys, "waste", "app:fat", "--ci", "--config", str(config), "--snapshot", str(archive)
    )
    assert code == 1
    assert "FAIL: lowestEfficiency (0.95): efficiency 0.8086 < 0.95" in out
    assert "PASS: highestWastedBytes (1KB): wasted 608 bytes" in out
    assert "SKIP: highestUserWastedPercent (disabled)" in out and out.endswith("FAIL: app:fat\n")
    config.write_text("ci:\n  rules:\n    lowest-efficiency: 0.5\n")
    code, out, _ = run(
        capsys,
        "waste",
        "app:fat",
        "--ci",
        "--config",
        str(config),
        "--highest-user-wasted-percent",
        "disabled",
        "--snapshot",
        str(archive),
    )
    assert code == 0 and out.endswith("PASS: app:fat\n")
    config.write_text("rules: [1, 2\n")
    code, _, err = run(
        capsys, "waste", "app:fat", "--ci", "--config", str(config), "--snapshot", str(archive)
    )
    assert code == 2 and "not valid YAML" in err and err.count("\n") == 1


def test_a_layer_whose_bytes_are_not_its_diff_id_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FROMSCRATCH_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "lying.tar"
    write_save(path, {"app:1": [BASE, APP]}, written={APP: FAT})
    code, out, err = run(capsys, "files", "app:1", "--snapshot", str(path))
    assert code == 2 and out == ""
    assert (
        err.startswith("fromscratch: app:1: 1 of its 2 layers is not in ") and err.count("\n") == 1
    )
    cached = list((tmp_path / "cache" / "layers").glob("*.layer"))
    assert len(cached) == 2  # kept under the diff-IDs their bytes have, never the claimed one
    assert all(p.parent == tmp_path / "cache" / "layers" for p in tmp_path.rglob("*.layer"))


def test_a_dive_ci_of_the_wrong_shape_is_one_line(
    archive: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / ".dive-ci"
    bombs = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    )
    for text in ("[" * 5000 + "]" * 5000, bombs + "rules:\n  lowestEfficiency: *i\n"):
        config.write_text(text)
        code, _out, err = run(
            capsys, "waste", "app:1", "--ci", "--config", str(config), "--snapshot", str(archive)
        )
        assert code == 2 and err.count("\n") == 1 and err.startswith("fromscratch: "), err


def test_diff_compares_same_size_contents_on_request(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FROMSCRATCH_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "save.tar"
    same = layer_tar(file("app/run", bytes(300), 0o755))  # written again, byte for byte
    new = layer_tar(file("app/run", b"y" * 300, 0o755))  # new bytes, same size and metadata
    write_save(
        path, {"app:1": [BASE, APP], "app:same": [BASE, APP, same], "app:new": [BASE, APP, new]}
    )
    code, out, _ = run(capsys, "diff", "app:new", "--snapshot", str(path))
    assert code == 0 and "0 added (0 B in files), 0 removed, 0 changed" in out
    assert "1 file written again with the same size and metadata: contents not compared" in out
    code, out, _ = run(capsys, "diff", "app:new", "--content", "--snapshot", str(path))
    assert code == 0 and "~ app/run  content: -rwxr-xr-x 0:0 300 B -> " in out
    assert "1 changed" in out and "contents compared by digest: 1 same-size file" in out
    assert "not compared" not in out
    code, out, _ = run(capsys, "diff", "app:same", "--content", "--snapshot", str(path))
    assert "0 changed" in out and "contents compared by digest: 1 same-size file" in out
    code, out, _ = run(
        capsys,
        "diff",
        "app:new",
        "app:same",
        "--content",
        "--format",
        "json",
        "--snapshot",
        str(path),
    )
    data = json.loads(out)
    assert [(p["path"], p["what"]) for p in data["paths"]] == [("app/run", ["content"])]
    assert (data["contents_compared"], data["contents_not_compared"]) == (1, 0)
    # a snapshot (here with the layers' headers in the cache) has no bytes: one line
    from fromscratch.core.formats.snapshot import load, save

    snapshot = save(load(str(path)), tmp_path / "s.json")
    code, out, _ = run(capsys, "diff", "app:new", "--snapshot", str(snapshot))
    assert code == 0 and "contents not compared" in out
    code, out, err = run(capsys, "diff", "app:new", "--content", "--snapshot", str(snapshot))
    assert code == 2 and out == "" and err.count("\n") == 1
    assert err.startswith("fromscratch: comparing contents needs the layers' bytes")

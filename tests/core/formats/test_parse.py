"""Parsing engine JSON: orders, flags, ids, and errors that name the field."""

from __future__ import annotations

from typing import Any

import pytest

from fromscratch.core.formats.parse import (
    InputError,
    epoch_seconds,
    parse_engine,
    parse_image,
)


def test_engine_history_is_reversed_and_empty_steps_inferred(zoo_recorded: dict[str, Any]) -> None:
    tag_id = next(
        s["Id"] for s in zoo_recorded["/images/json?all=1"] if s["RepoTags"] == ["zoo/app:bk"]
    )
    inspect = zoo_recorded[f"/images/{tag_id}/json"]
    history = zoo_recorded[f"/images/{tag_id}/history"]
    image = parse_image(inspect, history)
    assert image.history is not None
    assert image.history[0].created_by.startswith("COPY busybox")  # oldest first
    assert image.history[-1].created_by.startswith("CMD")
    assert sum(not s.empty_layer for s in image.history) == len(image.layers) == 3
    assert image.layer_sizes is not None and image.layer_sizes[0] > 1_000_000
    assert image.tags == ("zoo/app:bk",)


def test_empty_flags_fall_back_to_the_instruction_when_sizes_disagree() -> None:
    raw = [  # engine order, newest first; the WORKDIR-made layer has size 0
        {"Id": "<missing>", "Created": 3, "CreatedBy": 'CMD ["x"]', "Size": 0},
        {"Id": "<missing>", "Created": 2, "CreatedBy": "RUN mkdir /w", "Size": 0},
        {"Id": "<missing>", "Created": 1, "CreatedBy": "ADD rootfs /", "Size": 100},
    ]
    inspect = {"Id": "sha256:" + "a" * 64, "RootFS": {"Layers": ["sha256:l1", "sha256:l2"]}}
    steps = parse_image(inspect, raw).history
    assert steps is not None and [s.empty_layer for s in steps] == [False, False, True]


def test_x_history_keeps_its_flags_and_order(official_raw: list[dict[str, Any]]) -> None:
    ubuntu = next(o for o in official_raw if "ubuntu:24.04" in o["RepoTags"])
    image = parse_image(ubuntu, None)
    assert image.history is not None and len(image.history) == 5
    assert image.history[0].created_by == "ARG RELEASE" and image.history[0].empty_layer
    assert image.layer_sizes == tuple(ubuntu["X-LayerSizes"])


def test_podman_bare_ids_and_none_tags_are_normalised() -> None:
    image = parse_image(
        {
            "Id": "ab" * 32,
            "RepoTags": ["<none>:<none>"],
            "Parent": "cd" * 32,
            "RootFS": {"Layers": []},
        },
        None,
    )
    assert image.id == "sha256:" + "ab" * 32
    assert image.parent == "sha256:" + "cd" * 32
    assert image.tags == () and image.name.startswith("<none>@abab")


@pytest.mark.parametrize(
    ("raw", "history", "field"),
    [
        ({"RootFS": {"Layers": []}}, None, "image.Id"),
        ({"Id": "sha256:aa", "RootFS": {"Layers": [1]}}, None, "image.RootFS.Layers"),
        ({"Id": "sha256:aa", "RootFS": "x"}, None, "image.RootFS"),
        ({"Id": "sha256:aa", "Size": "big"}, None, "image.Size"),
        ({"Id": "sha256:aa", "Config": {"Env": "A=1"}}, None, None),  # a lone string is fine
        ({"Id": "sha256:aa"}, [{"Created": 1, "CreatedBy": 7}], "image.history[0]"),
        ({"Id": "sha256:aa"}, ["not an object"], "image.history[0]"),
        ({"Id": "sha256:aa"}, {"not": "a list"}, "image.history"),
        (
            {"Id": "sha256:aa", "RootFS": {"Layers": ["l"]}, "X-LayerSizes": [1, 2]},
            None,
            "image.X-LayerSizes",
        ),
    ],
)
def test_bad_fields_are_named(raw: dict[str, Any], history: Any, field: str | None) -> None:
    if field is None:
        assert parse_image(raw, history).env == ("A=1",)
        return
    with pytest.raises(InputError) as info:
        parse_image(raw, history)
    assert str(info.value).startswith(field)


def test_epoch_seconds_accepts_engine_and_rfc3339_forms() -> None:
    assert epoch_seconds(1700000000, "t") == 1700000000
    assert epoch_seconds("2023-11-14T22:13:20Z", "t") == 1700000000
    assert epoch_seconds("2023-11-14T22:13:20.123456789Z", "t") == 1700000000
    assert epoch_seconds("", "t") == 0
    with pytest.raises(InputError, match="not an RFC 3339 time"):
        epoch_seconds("yesterday", "t")


def test_engine_facts_detect_the_containerd_store() -> None:
    facts = parse_engine(
        {"KernelVersion": "6.1.0", "ApiVersion": "1.47", "Version": "27.0"},
        {
            "OperatingSystem": "Docker Desktop",
            "Driver": "overlayfs",
            "DriverStatus": [["driver-type", "io.containerd.snapshotter.v1"]],
            "Runtimes": {"runc": {}, "runsc": {}},
            "DefaultRuntime": "runc",
        },
    )
    assert facts.containerd_store and facts.kernel_version == "6.1.0"
    assert facts.runtimes == ("runc", "runsc")


def test_container_ports_read_as_docker_ps_writes_them() -> None:
    from fromscratch.core.formats.parse import parse_container

    container = parse_container(
        {
            "Id": "c1",
            "Names": ["/web"],
            "ImageID": "sha256:" + "a" * 64,
            "Image": "nginx:1.27",
            "State": "running",
            "Status": "Up 3 minutes",
            "Created": 1765000000,
            "Ports": [
                {"IP": "0.0.0.0", "PrivatePort": 80, "PublicPort": 8080, "Type": "tcp"},
                {"IP": "::", "PrivatePort": 80, "PublicPort": 8080, "Type": "tcp"},
                {"PrivatePort": 443, "Type": "tcp"},
                {"PrivatePort": 53, "Type": "udp"},
            ],
        }
    )
    assert container.ports == ("0.0.0.0:8080->80/tcp", "[::]:8080->80/tcp", "443/tcp", "53/udp")
    assert container.created == 1765000000 and container.name == "web"
    from fromscratch.core.formats.snapshot import container_to_json

    assert parse_container(container_to_json(container)) == container  # a snapshot keeps them


def test_container_ports_of_the_wrong_shape_are_refused() -> None:
    import pytest

    from fromscratch.core.formats.parse import InputError, parse_container

    with pytest.raises(InputError, match="Ports"):
        parse_container({"Id": "c", "Ports": "80/tcp"})
    with pytest.raises(InputError, match=r"Ports\[0\]"):
        parse_container({"Id": "c", "Ports": [7]})

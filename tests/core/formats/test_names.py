"""An image's title does not follow the engine's tag order (Podman lists the newest first):
adding a tag keeps it unless the new one sorts first by name; default registries are not what
people read."""

from __future__ import annotations

import dataclasses

from fromscratch.core.formats.names import main_tag, short_name
from fromscratch.core.graph.lineage import build_tree
from tests.core.helpers import digest, image, step


def test_the_title_is_the_first_tag_by_name_whatever_the_order() -> None:
    assert main_tag(["web:2", "web:1"]) == main_tag(["web:1", "web:2"]) == "web:1"
    assert main_tag(["localhost/web:1", "docker.io/library/alpine:3"]) == (
        "docker.io/library/alpine:3"
    )
    assert short_name("docker.io/library/alpine:3") == "alpine:3"
    assert short_name("localhost/web:1") == "web:1"
    assert short_name("quay.io/x/y:1") == "quay.io/x/y:1"


def test_a_card_keeps_its_title_when_a_tag_is_added() -> None:
    app = image("localhost/app:1", [digest("a")], [step("ADD a", 1)])
    before = build_tree([app]).nodes[app.id]["label"]
    newest_first = dataclasses.replace(app, tags=("localhost/app:2", "localhost/app:1"))
    after = build_tree([newest_first]).nodes[app.id]["label"]
    assert before == after == "app:1"

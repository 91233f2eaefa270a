"""The engine's `Parent` field, checked: a file whose parents go round in a circle (A's parent
is B, B's is A), or whose Parent names an image that cannot be the parent (its layers are not
the first layers of this image's: it stands on this image, or beside it), is refused, naming
the field, instead of drawing images that stand on nothing or ignoring the field unsaid.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from fromscratch.core.formats.inventory import Image
from fromscratch.core.formats.parse import InputError


def nodes_on_cycles(parent_of: Mapping[str, str]) -> set[str]:
    """The nodes that are their own ancestors under `parent_of` (child -> parent), in O(n)."""
    state: dict[str, bool] = {}  # False: on the walk now; True: done
    looped: set[str] = set()
    for start in parent_of:
        walk: list[str] = []
        node = start
        while node in parent_of and node not in state:
            state[node] = False
            walk.append(node)
            node = parent_of[node]
        if state.get(node) is False:  # came back to this walk: a cycle from `node` on
            looped.update(walk[walk.index(node) :])
        for seen in walk:
            state[seen] = True
    return looped


def contradicts(parent: Image, child: Image) -> bool:
    """Whether `parent`'s layers rule it out as `child`'s parent: a child holds its parent's
    layers first (both lists known)."""
    if not parent.layers or not child.layers:
        return False
    return child.layers[: len(parent.layers)] != parent.layers


def refuse_parent_cycles(images: Sequence[Image], where: str) -> None:
    """Raise InputError naming `<where>[i].Parent` of the first image on a cycle of Parent
    fields, else of the first whose Parent its layers contradict; `where` is the path of the
    images' list in the file (`` or `images`)."""
    by_id = {image.id: image for image in images}
    parent_of = {i.id: i.parent for i in images if i.parent and i.parent in by_id}
    looped = nodes_on_cycles(parent_of)
    if looped:
        index, image = next((n, i) for n, i in enumerate(images) if i.id in looped)
        circle = [image.id]
        while parent_of[circle[-1]] != image.id:
            circle.append(parent_of[circle[-1]])
        names = " -> ".join(_short(i) for i in [*circle, image.id])
        raise InputError(
            f"{where}[{index}].Parent: the parents go round in a circle ({names}); a Parent "
            "must be an older image: save or export the images again"
        )
    for index, image in enumerate(images):
        named = by_id.get(image.parent) if image.parent else None
        if named is not None and contradicts(named, image):
            stands_on = named.layers[: len(image.layers)] == image.layers
            how = "it stands on this image" if stands_on else "it stands beside this image"
            raise InputError(
                f"{where}[{index}].Parent: names {_short(named.id)}, whose layers are not the "
                f"first layers of this image's ({how}); a Parent must be an older image: save "
                "or export the images again"
            )


def _short(image_id: str) -> str:
    return image_id.removeprefix("sha256:")[:12]

"""The story's walk up the tree: one chain of local images, chosen from the data, from
scratch through an operating system's user space and a language runtime to an app, told one
level at a time with the bytes each level adds.

The chain is what a presenter shows a room: scratch -> a base OS image -> the image that adds
a language runtime -> an image built on it (the user's own, when there is one). Every sentence
is made from the records shown (tags, sizes, layer counts, the ENV line that names the
runtime); where the data has no app on top, the last step says so instead of inventing one.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from fromscratch.core.formats.inventory import Image
from fromscratch.core.formats.names import main_tag
from fromscratch.core.graph.records import SCRATCH_ID, NodeAttrs, NodeKind
from fromscratch.core.graph.tree import Tree, ancestry
from fromscratch.core.story.picture import userspace_of
from fromscratch.core.text import format_size

RUNTIMES: dict[str, str] = {
    "PYTHON_VERSION": "Python",
    "NODE_VERSION": "Node.js",
    "GOLANG_VERSION": "Go",
    "GOTOOLCHAIN": "Go",
    "JAVA_VERSION": "Java",
    "JAVA_HOME": "Java",
    "RUBY_VERSION": "Ruby",
    "PHP_VERSION": "PHP",
    "RUST_VERSION": "Rust",
    "RUSTUP_HOME": "Rust",
    "DOTNET_VERSION": ".NET",
    "ERLANG_VERSION": "Erlang",
    "OTP_VERSION": "Erlang",
    "ELIXIR_VERSION": "Elixir",
    "JULIA_VERSION": "Julia",
    "PERL_VERSION": "Perl",
    "SWIFT_VERSION": "Swift",
    "BUN_VERSION": "Bun",
    "DENO_VERSION": "Deno",
}
"""ENV variables the official language images set, and the runtime each names. An image that
sets one its parent does not have is where that runtime comes in."""


class Role(StrEnum):
    """What one level of the walk adds."""

    SCRATCH = "scratch"
    SYSTEM = "system"
    """The image on scratch: an operating system's user space (or one static binary)."""
    MORE = "more"
    """Images between two named levels: more user space."""
    RUNTIME = "runtime"
    APP = "app"
    YOURS = "yours"
    """No image stands on the runtime here: where the user's app would go."""


@dataclass(frozen=True, slots=True)
class Runtime:
    """The language runtime an image adds, as its ENV says."""

    name: str
    variable: str
    value: str


@dataclass(frozen=True, slots=True)
class Level:
    """One level of the walk: its images (bottom first) and what they add."""

    role: Role
    nodes: tuple[str, ...]
    labels: tuple[str, ...]
    added: int | None
    """Bytes of the level's own layers; None when a size is unknown."""
    layers: int
    """Layers the level adds."""
    runtime: Runtime | None = None

    @property
    def top(self) -> str:
        return self.nodes[-1] if self.nodes else ""


@dataclass(frozen=True, slots=True)
class WalkStep:
    """One step of the walk: which level it lights and what it says."""

    key: str
    title: str
    text: str
    level: int
    """Index in :attr:`Walk.levels`; the step lights the chain up to that level."""
    node: str
    """The card the step points at."""


@dataclass(frozen=True, slots=True)
class Walk:
    chain: tuple[str, ...]
    """Node ids from scratch up."""
    levels: tuple[Level, ...]
    steps: tuple[WalkStep, ...]

    def lit(self, step: WalkStep) -> set[str]:
        """The chain from scratch to the step's card."""
        return set(self.chain[: self.chain.index(step.node) + 1])


def runtime_added(image: Image | None, parent: Image | None) -> Runtime | None:
    """The runtime `image` adds: a variable of :data:`RUNTIMES` in its ENV and not its
    parent's."""
    if image is None:
        return None
    before = {line.split("=", 1)[0] for line in parent.env} if parent is not None else set()
    for line in image.env:
        variable, _, value = line.partition("=")
        if variable in RUNTIMES and variable not in before:
            return Runtime(RUNTIMES[variable], variable, value)
    return None


def _runtime_at(tree: Tree, chain: list[str]) -> tuple[int, Runtime] | None:
    for index in range(1, len(chain)):
        parent = tree.nodes[chain[index - 1]]["image"]
        found = runtime_added(tree.nodes[chain[index]]["image"], parent)
        if found is not None:
            return index, found
    return None


def _created(attrs: NodeAttrs) -> str:
    image = attrs["image"]
    return image.created if image is not None else ""


def choose_chain(tree: Tree) -> list[str]:
    """The chain to walk, scratch first: an app on a language image on an OS base (the
    newest such app: the user's latest build), else a language image that stands right on
    an OS base, else the deepest tagged image. Empty when no image stands on scratch.

    One pass from scratch, carrying each node's depth and where a runtime came in: asking
    every node for its ancestry is quadratic on deep chains."""
    succ = tree.child_map
    if SCRATCH_ID not in succ:
        return []
    records = tree.node_records
    best: tuple[tuple[int, int, str, str], str] | None = None
    stack: list[tuple[str, str, int, int]] = [(kid, SCRATCH_ID, 1, 0) for kid in succ[SCRATCH_ID]]
    seen: set[str] = set()
    while stack:
        node, parent, depth, runtime = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        attrs = records[node]
        if not runtime and runtime_added(attrs["image"], records[parent]["image"]) is not None:
            runtime = depth
        stack.extend((kid, node, depth + 1, runtime) for kid in succ[node])
        if attrs["kind"] != NodeKind.IMAGE or not attrs["tags"] or attrs["dangling"]:
            continue
        if runtime and runtime < depth:
            rank = 3  # an app on a runtime: what the story is about
        elif runtime:
            rank = 2 if runtime == 2 else 1  # a runtime right on an OS base reads best
        else:
            rank = 0
        reach = depth if rank == 0 else -depth  # short chains tell it plainest
        score = (rank, reach, _created(attrs), str(attrs["label"]))
        if best is None or score > best[0]:
            best = (score, node)
    return ancestry(tree, best[1])[::-1] if best is not None else []


def _level(tree: Tree, role: Role, nodes: list[str], below: str) -> Level:
    sizes = [tree.nodes[n]["own_size"] for n in nodes]
    added = None if any(s is None for s in sizes) else sum(s or 0 for s in sizes)
    layers = int(tree.nodes[nodes[-1]]["layer_count"]) - int(tree.nodes[below]["layer_count"])
    labels = tuple(str(tree.nodes[n]["label"]) for n in nodes)
    runtime = None
    if role == Role.RUNTIME:
        parent = tree.nodes[below]["image"]
        runtime = runtime_added(tree.nodes[nodes[-1]]["image"], parent)
    return Level(role, tuple(nodes), labels, added, max(layers, 0), runtime)


def levels_of(tree: Tree, chain: list[str]) -> list[Level]:
    """The chain cut into the levels the story names."""
    levels = [Level(Role.SCRATCH, (SCRATCH_ID,), ("scratch",), 0, 0)]
    if len(chain) < 2:
        return levels
    levels.append(_level(tree, Role.SYSTEM, [chain[1]], SCRATCH_ID))
    found = _runtime_at(tree, chain)
    runtime = found[0] if found is not None and found[0] >= 2 else None
    if runtime is not None:
        if runtime > 2:
            levels.append(_level(tree, Role.MORE, chain[2:runtime], chain[1]))
        levels.append(_level(tree, Role.RUNTIME, [chain[runtime]], chain[runtime - 1]))
        rest = chain[runtime + 1 :]
        below = chain[runtime]
    else:
        rest = chain[2:]
        below = chain[1]
    if len(rest) > 1:
        levels.append(_level(tree, Role.MORE, rest[:-1], below))
        below = rest[-2]
    if rest:
        levels.append(_level(tree, Role.APP, [rest[-1]], below))
    return levels


def _layers(count: int) -> str:
    return f"{count} layer" if count == 1 else f"{count} layers"


def _names(labels: tuple[str, ...]) -> str:
    shown = ", ".join(labels[:3])
    return shown + (f" and {len(labels) - 3} more" if len(labels) > 3 else "")


def _say(
    tree: Tree, level: Level, previous: Level | None, *, on_runtime: bool = False
) -> tuple[str, str]:
    """The title and the sentence for one level, from its records; the top image is called
    an app only when it stands on a language runtime (`on_runtime`)."""
    label = level.labels[-1] if level.labels else ""
    added = f"{format_size(level.added)} in {_layers(level.layers)}"
    if level.role == Role.SCRATCH:
        return (
            "scratch: where every chain starts",
            "Every chain of images starts at scratch, the empty image: no files, and no "
            "kernel. Everything above it is user space, added a layer at a time.",
        )
    if level.role == Role.SYSTEM:
        attrs = tree.nodes[level.top]
        if attrs["kind"] == NodeKind.VIRTUAL:
            return (
                "A base that is not here",
                f"The images above share {added} that no local image holds: the base "
                "they were built from, not pulled here. Files only, never a kernel.",
            )
        tag = main_tag(attrs["tags"]) if attrs["tags"] else label
        userspace = userspace_of(tag, int(attrs["layer_count"]))
        if "static binary" in userspace:
            what = f"{userspace}, with no operating system files at all"
        elif userspace == f"{tag} user space":  # no distribution known by this name
            what = "the files it brings; whatever they are, no kernel runs from them"
        else:
            distro = userspace.removesuffix(" user space")
            what = f"the files of {distro}'s user space, without its kernel"
        return (
            f"{label}: {userspace}",
            f"The first level on scratch. {label} adds {added}: {what}. A container from "
            "it runs on the host's kernel.",
        )
    if level.role == Role.MORE:
        title = (
            f"{label}: more user space"
            if len(level.labels) == 1
            else (f"{len(level.labels)} more images: more user space")
        )
        return (
            title,
            f"{_names(level.labels)} {'adds' if len(level.labels) == 1 else 'add'} {added} "
            "on top: more files, still user space.",
        )
    if level.role == Role.RUNTIME and level.runtime is not None:
        runtime = level.runtime
        version = f" {runtime.value}" if runtime.variable.endswith("_VERSION") else ""
        below = previous.labels[-1] if previous is not None and previous.labels else "it"
        return (
            f"{label}: the {runtime.name} runtime",
            f"{label} sets {runtime.variable}={runtime.value}: it adds {runtime.name}{version}, "
            f"{added}, on top of {below}.",
        )
    total = tree.nodes[level.top]["size"]
    inherited = total - level.added if total is not None and level.added is not None else None
    rest = (
        f" The other {format_size(inherited)} it holds come from the levels below, stored once "
        "however many images stand on them."
        if inherited
        else ""
    )
    if on_runtime:
        return (f"{label}: the app", f"{label} adds {added}: the app's own files.{rest}")
    return (f"{label}: the image on top", f"{label} adds {added} of its own.{rest}")


def _yours(tree: Tree, level: Level) -> tuple[str, str]:
    label = level.labels[-1]
    total = tree.nodes[level.top]["size"]
    below = f"the {format_size(total)} below" if total is not None else "everything below"
    return (
        "Your app goes on top",
        f"No image here stands on {label}. A Dockerfile that starts FROM {label} adds only "
        f"your app's files; {below} are shared, not copied, and the kernel is still the host's.",
    )


def walk_of(tree: Tree, top: str | None = None) -> Walk | None:
    """The walk for this tree, or None when no image stands on scratch: up to `top` (the
    image the user selected) when it is an image of the tree, else the chain the data tells
    best (:func:`choose_chain`)."""
    if top is not None and top in tree and tree.nodes[top]["kind"] == NodeKind.IMAGE:
        chain = ancestry(tree, top)[::-1]
    else:
        chain = choose_chain(tree)
    if not chain:
        return None
    levels = levels_of(tree, chain)
    runtime = any(level.role == Role.RUNTIME for level in levels)
    steps: list[WalkStep] = []
    for index, level in enumerate(levels):
        title, text = _say(tree, level, levels[index - 1] if index else None, on_runtime=runtime)
        steps.append(WalkStep(f"tree-{level.role.value}-{index}", title, text, index, level.top))
    last = levels[-1]
    if last.role == Role.RUNTIME:
        title, text = _yours(tree, last)
        steps.append(WalkStep("tree-yours", title, text, len(levels) - 1, last.top))
    return Walk(tuple(chain), tuple(levels), tuple(steps))

"""`fromscratch tree | df | files | diff | waste | watch | rm | snapshot save | info | desktop`:
the headless commands (no Qt here).

Exit codes: 0 done, 1 no engine data or a file that cannot be written (the message says why
and what to do), 2 bad input.
Every failure is one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from fromscratch.core.engine.cache import InspectCache
from fromscratch.core.engine.endpoint import Endpoint, EndpointError
from fromscratch.core.engine.failures import EngineUnavailable
from fromscratch.core.engine.gateway import connect
from fromscratch.core.files import FileReadError
from fromscratch.core.formats.inventory import Inventory
from fromscratch.core.formats.parse import InputError
from fromscratch.core.formats.snapshot import SnapshotError, SnapshotWriteError, load, save
from fromscratch.core.graph.tree import find
from fromscratch.core.paths import user_cache_dir
from fromscratch.core.text import printable

if TYPE_CHECKING:
    from fromscratch.core.formats.inventory import Image
    from fromscratch.core.graph.tree import Tree
    from fromscratch.core.layers.reading import LayerSource


class UsageError(Exception):
    """Bad arguments that argparse cannot catch (an unknown image ...); exit code 2."""


def build_parser() -> argparse.ArgumentParser:
    from fromscratch.core.graph.export import (
        CLI_FORMATS,  # not imported when the launcher only opens the window
    )

    parser = argparse.ArgumentParser(
        prog="fromscratch",
        description="Docker image inheritance down to scratch. Without a command: the window.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    tree = sub.add_parser("tree", help="print the inheritance tree")
    _source_options(tree, registry=True)
    tree.add_argument("--image", metavar="REF", help="only this image's ancestry to scratch")
    tree.add_argument("--format", choices=CLI_FORMATS, default="text")
    tree.add_argument("--all", action="store_true", help="show classic-builder intermediates")
    tree.add_argument("--no-cache", action="store_true", help="inspect every image again")
    df = sub.add_parser("df", help="disk use: shared and unique bytes, what each base frees")
    _source_options(df)
    df.add_argument("--format", choices=("text", "json"), default="text")
    df.add_argument("--sort", choices=("frees", "unique", "size"), default="frees")
    df.add_argument("--all", action="store_true", help="count classic-builder intermediates")
    df.add_argument("--no-cache", action="store_true", help="inspect every image again")
    snap = sub.add_parser("snapshot", help="save a snapshot of the engine")
    snap_sub = snap.add_subparsers(dest="action", required=True)
    snap_save = snap_sub.add_parser("save", help="write FILE (.json or .json.gz)")
    snap_save.add_argument("file", metavar="FILE")
    snap_save.add_argument("--host", metavar="URL")
    snap_save.add_argument(
        "--with-files",
        action="store_true",
        help="also every image's file list (its layers' indexes): `files`, `diff`, `waste` "
        "and the window's Files tab then work offline; says how much bigger the file gets",
    )
    snap_save.add_argument(
        "--no-redact", action="store_true", help="keep Env values and secret-looking labels"
    )
    watch = sub.add_parser(
        "watch", help="print each change on the engine: images and containers, one per line"
    )
    watch.add_argument("--host", metavar="URL")
    watch.add_argument("--format", choices=("text", "jsonl"), default="text")
    info = sub.add_parser("info", help="endpoint, engine, host kernel, OS, containers")
    info.add_argument("--host", metavar="URL")
    rm = sub.add_parser(
        "rm", help="remove images: what goes, what it frees, what holds it (dry run unless --yes)"
    )
    rm.add_argument("image", nargs="?", metavar="IMAGE")
    rm.add_argument("--subtree", action="store_true", help="and every image built on it")
    rm.add_argument("--dangling", action="store_true", help="every dangling image")
    rm.add_argument(
        "--with-containers", action="store_true", help="remove the containers that hold them too"
    )
    rm.add_argument("--dry-run", action="store_true", help="only list (the default without --yes)")
    rm.add_argument("--yes", action="store_true", help="remove what is listed")
    rm.add_argument("--host", metavar="URL")
    files = sub.add_parser(
        "files", help="an image's files: all of them, its own, or one layer's (with --layer)"
    )
    files.add_argument("image", metavar="IMAGE")
    _source_options(files)
    which = files.add_mutually_exclusive_group()
    which.add_argument("--merged", action="store_true", help="every file (the default)")
    which.add_argument("--own", action="store_true", help="the files its own layers wrote")
    which.add_argument(
        "--layer", type=int, metavar="N", help="layer N as its tar holds it (1 = the bottom)"
    )
    files.add_argument("--format", choices=("text", "json"), default="text")
    diff = sub.add_parser("diff", help="what differs between two images' files (or its parent's)")
    diff.add_argument("image", metavar="IMAGE")
    diff.add_argument("other", nargs="?", metavar="OTHER", help="default: its parent in the tree")
    _source_options(diff)
    diff.add_argument(
        "--content",
        action="store_true",
        help="also compare the contents of files of the same size (reads their layers again)",
    )
    diff.add_argument("--format", choices=("text", "json"), default="text")
    waste = sub.add_parser("waste", help="bytes written more than once: dive's figures and ours")
    waste.add_argument("image", metavar="IMAGE")
    _source_options(waste)
    waste.add_argument("--format", choices=("text", "json"), default="text")
    waste.add_argument("--ci", action="store_true", help="check dive's rules; exit 1 on a fail")
    waste.add_argument("--config", metavar="FILE", help="dive's .dive-ci rules file")
    waste.add_argument("--lowest-efficiency", metavar="RATIO", help="dive's rule (default 0.9)")
    waste.add_argument("--highest-wasted-bytes", metavar="SIZE", help="(default disabled)")
    waste.add_argument("--highest-user-wasted-percent", metavar="RATIO", help="(default 0.1)")
    desktop = sub.add_parser("desktop", help="add or remove the Linux applications-menu entry")
    desktop.add_argument("action", choices=("install", "remove"))
    return parser


def _source_options(command: argparse.ArgumentParser, *, registry: bool = False) -> None:
    source = command.add_mutually_exclusive_group()
    source.add_argument(
        "--snapshot", metavar="FILE", help="a snapshot or `docker image inspect` JSON file"
    )
    source.add_argument("--host", metavar="URL", help="engine address (as docker -H)")
    source.add_argument("--sample", action="store_true", help="the bundled official images")
    if registry:  # lineage needs configs only (df: a registry's bytes are not a disk's, yet)
        source.add_argument(
            "--registry",
            metavar="HOST[/REPOSITORY]",
            help="an OCI registry's images (every repository its catalog lists, or one): "
            "configs only, no layer pulled; plain HTTP for 127.0.0.1 and localhost, as docker",
        )


def _live(host: str | None, *, use_cache: bool = True) -> Inventory:
    return _live_from(host, use_cache=use_cache)[0]


def _live_from(host: str | None, *, use_cache: bool = True) -> tuple[Inventory, Endpoint]:
    """The engine's images, and the engine that answered (where its layers are read)."""
    cache = InspectCache(user_cache_dir()) if use_cache else None
    gateway, _facts = connect(host, cache=cache)
    try:
        return gateway.load(), gateway.endpoint
    finally:
        gateway.close()


def _registry(where: str) -> Inventory:
    """The images of the registry `where` names (`HOST[:PORT][/REPOSITORY]`, or a URL)."""
    from fromscratch.core.formats.snapshot import from_document
    from fromscratch.core.registry.client import Registry, address
    from fromscratch.core.registry.credentials import credentials_for
    from fromscratch.core.registry.reading import read_registry

    url, host, repository = address(where)
    registry = Registry(url, credentials=credentials_for(host))
    try:
        found = read_registry(registry, [repository] if repository else None)
    finally:
        registry.close()
    return from_document(found, source=f"the registry {host}")


def _inventory(args: argparse.Namespace) -> Inventory:
    if getattr(args, "registry", None):
        return _registry(args.registry)
    if args.snapshot:
        return load(args.snapshot)
    if args.sample:
        from fromscratch.core.formats.sample import load_sample

        return load_sample()
    return _live(args.host, use_cache=not args.no_cache)


def cmd_tree(args: argparse.Namespace) -> int:
    from fromscratch.core.graph.export import render
    from fromscratch.core.graph.lineage import build_tree

    graph = build_tree(_inventory(args).images, show_intermediates=args.all)
    node = None
    if args.image:
        node = find(graph, args.image)
        if node is None:
            raise UsageError(f"no image {args.image!r} here; list them with `fromscratch tree`")
    sys.stdout.write(render(graph, args.format, node))
    return 0


class _Opened(NamedTuple):
    graph: Tree
    node: str
    image: Image
    source: LayerSource | None


def _image_files(args: argparse.Namespace, ref: str) -> _Opened:
    """The tree of `args`' source, `ref`'s node and image, and where its layers can be read:
    the engine, a `docker save` archive, or (a snapshot, the sample) the cache alone."""
    from pathlib import Path

    from fromscratch.core.formats.archive import is_archive
    from fromscratch.core.graph.lineage import build_tree
    from fromscratch.core.layers.reading import ArchiveLayers, EngineLayers

    source: LayerSource | None = None
    if args.snapshot:
        inventory = load(args.snapshot)
        if is_archive(Path(args.snapshot)):
            source = ArchiveLayers(Path(args.snapshot))
        elif inventory.layer_files:  # saved --with-files: into the cache, then offline
            from fromscratch.core.layers.cache import LayerCache

            LayerCache().adopt(inventory.layer_files)
    elif args.sample:
        from fromscratch.core.formats.sample import load_sample

        inventory = load_sample()
    else:
        inventory, endpoint = _live_from(args.host)
        source = EngineLayers(endpoint)
    graph = build_tree(inventory.images)
    node = find(graph, ref)
    image = graph.nodes[node]["image"] if node is not None else None
    if node is None or image is None:
        raise UsageError(f"no image {ref!r} here; list them with `fromscratch tree`")
    return _Opened(graph, node, image, source)


def cmd_files(args: argparse.Namespace) -> int:
    from fromscratch.core.layers.cache import LayerCache
    from fromscratch.core.layers.listing import json_text, text_lines
    from fromscratch.core.layers.reading import image_layers
    from fromscratch.core.layers.selection import Which, file_rows

    opened = _image_files(args, args.image)
    layers = image_layers(opened.image, LayerCache(), opened.source)
    which = Which.LAYER if args.layer is not None else Which.OWN if args.own else Which.MERGED
    rows = file_rows(opened.graph, opened.node, layers, which, args.layer or 0)
    if args.format == "json":
        sys.stdout.write(json_text(rows) + "\n")
    else:
        sys.stdout.writelines(line + "\n" for line in text_lines(rows))
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    from fromscratch.core.layers.cache import LayerCache
    from fromscratch.core.layers.diff import image_diff, same_size_files
    from fromscratch.core.layers.owners import own_from
    from fromscratch.core.layers.reading import digested_layers, image_layers
    from fromscratch.core.layers.report import diff_json, diff_text

    second = _image_files(args, args.image)
    cache = LayerCache()
    after = image_layers(second.image, cache, second.source)
    graph, node = second.graph, second.node
    if args.other:
        other = find(graph, args.other)
        first_image = graph.nodes[other]["image"] if other is not None else None
        if other is None or first_image is None:
            raise UsageError(f"no image {args.other!r} here; list them with `fromscratch tree`")
        before = image_layers(first_image, cache, second.source)
        first_name = str(graph.nodes[other]["label"])
        if args.content and (paths := same_size_files(before, after)):
            before, after = digested_layers([first_image, second.image], second.source, paths)
    else:  # its parent in the tree: the layers below its own
        (parent,) = graph.predecessors(node)
        own = own_from(graph, node)
        before = after[:own]
        first_image = graph.nodes[parent]["image"]
        first_name = f"its parent {graph.nodes[parent]['label']}"
        if args.content and (paths := same_size_files(before, after)):
            (after,) = digested_layers([second.image], second.source, paths)
            before = after[:own]
    result = image_diff(before, after, first_image, second.image)
    name = str(graph.nodes[node]["label"])
    if args.format == "json":
        sys.stdout.write(diff_json(first_name, name, result) + "\n")
    else:
        sys.stdout.write(diff_text(first_name, name, result))
    return 0


def cmd_waste(args: argparse.Namespace) -> int:
    from pathlib import Path

    from fromscratch.core.layers.cache import LayerCache
    from fromscratch.core.layers.gate import Rule, evaluate, read_config
    from fromscratch.core.layers.reading import image_layers
    from fromscratch.core.layers.report import waste_json, waste_text
    from fromscratch.core.layers.waste import waste

    settings = read_config(Path(args.config)) if args.config else {}
    flags = {
        Rule.LOWEST_EFFICIENCY: args.lowest_efficiency,
        Rule.HIGHEST_WASTED_BYTES: args.highest_wasted_bytes,
        Rule.HIGHEST_USER_WASTED_PERCENT: args.highest_user_wasted_percent,
    }
    settings.update({rule: value for rule, value in flags.items() if value is not None})
    opened = _image_files(args, args.image)
    layers = image_layers(opened.image, LayerCache(), opened.source)
    result = waste(layers)
    name = str(opened.graph.nodes[opened.node]["label"])
    verdicts = evaluate(result, settings) if args.ci else []  # bad limits refused first
    if args.format == "json":
        sys.stdout.write(waste_json(name, result) + "\n")
    else:
        sys.stdout.write(waste_text(name, result, len(layers)))
    for verdict in verdicts:
        sys.stdout.write(verdict.line() + "\n")
    failed = any(v.passed is False for v in verdicts)
    if args.ci:
        sys.stdout.write(("FAIL" if failed else "PASS") + f": {name}\n")
    return 1 if failed else 0


def cmd_df(args: argparse.Namespace) -> int:
    from fromscratch.core.disk.report import SortBy, render
    from fromscratch.core.disk.usage import disk_usage
    from fromscratch.core.graph.lineage import build_tree

    graph = build_tree(_inventory(args).images, show_intermediates=args.all)
    sys.stdout.write(render(disk_usage(graph), args.format, SortBy(args.sort)))
    return 0


def cmd_rm(args: argparse.Namespace) -> int:
    """List what removing would do; with --yes (and not --dry-run) do it, then say what the
    engine freed beside what was predicted."""
    from fromscratch.core.disk.removal import RemovalError, Target, describe, plan_removal
    from fromscratch.core.engine.removal import RemovalRefused, Removing, remove
    from fromscratch.core.graph.lineage import build_tree
    from fromscratch.core.text import format_size

    if bool(args.image) == args.dangling or (args.subtree and not args.image):
        raise UsageError("name one IMAGE (with --subtree for what is built on it) or --dangling")
    gateway, _facts = connect(args.host, cache=InspectCache(user_cache_dir()))
    try:
        inventory = gateway.load()
    finally:
        gateway.close()
    tree = build_tree(inventory.images)
    node = None
    if args.image:
        node = find(tree, args.image)
        if node is None:
            raise UsageError(f"no image {args.image!r} here; list them with `fromscratch tree`")
    target = Target.DANGLING if args.dangling else Target.SUBTREE if args.subtree else Target.IMAGE
    try:
        plan = plan_removal(tree, inventory.containers, target, node)
    except RemovalError as exc:
        raise UsageError(str(exc)) from None
    print("\n".join(describe(plan)))
    held = plan.blocked and not args.with_containers
    if held:
        print("they stay while those containers do: add --with-containers to remove them too")
    if args.dry_run or not args.yes:
        print("dry run: nothing removed; add --yes to remove what is listed")
        return 0
    if held:
        return 1
    what = Removing(
        tuple((image.id, image.tags) for image in plan.images),
        tuple(c.id for c in plan.containers),
    )
    try:
        done = remove(gateway.endpoint, what)
    except RemovalRefused as exc:
        print(f"fromscratch: {printable(str(exc))}", file=sys.stderr)
        return 1
    extra = f" and {len(done.containers)} containers" if done.containers else ""
    print(f"removed {len(done.removed)} of {len(plan.images)} images{extra}")
    for image_id, why in done.failed:
        print(f"fromscratch: {image_id[7:19]} not removed: {printable(why)}", file=sys.stderr)
    if done.engine_freed is not None:
        predicted = format_size(plan.frees) if plan.frees is not None else "unknown"
        print(
            f"the engine's image layers: {format_size(done.before)} before, "
            f"{format_size(done.after)} after: freed {format_size(done.engine_freed)} "
            f"(predicted {predicted})"
        )
    return 1 if done.failed else 0


def cmd_watch(args: argparse.Namespace) -> int:
    """One line per change until interrupted (Ctrl+C) or the pipe closes."""
    import json

    from fromscratch.core.engine.changes import Change, as_record, as_text
    from fromscratch.core.engine.follow import ChangeFollower

    gateway, _facts = connect(args.host)

    def emit(change: Change, when: str) -> None:
        if args.format == "jsonl":
            line = json.dumps(as_record(change, when))
        else:
            line = printable(as_text(change, when))
        sys.stdout.write(line + "\n")
        sys.stdout.flush()

    def say(text: str) -> None:
        print(f"fromscratch: {text}", file=sys.stderr, flush=True)

    follower = ChangeFollower(gateway.endpoint, emit, say, gateway)
    say(f"watching {gateway.endpoint.describe()}; Ctrl+C stops")
    try:
        follower.run()
    finally:
        follower.stop()
    return 0


def cmd_snapshot(args: argparse.Namespace) -> int:
    from dataclasses import replace

    extra = ""
    if not args.with_files:
        inventory = _live(args.host)
    else:
        from fromscratch.core.layers.cache import LayerCache
        from fromscratch.core.layers.carry import carried
        from fromscratch.core.layers.reading import EngineLayers

        inventory, endpoint = _live_from(args.host)
        kept = carried(inventory.images, LayerCache(), EngineLayers(endpoint))
        inventory = replace(inventory, layer_files=kept.files)
        extra = f", with the files of {len(kept.files)} layers ({kept.mib:.1f} MiB more)"
    path = save(inventory, args.file, redact_secrets=not args.no_redact)
    note = "" if args.no_redact else " (Env values and secret-looking labels redacted)"
    print(
        f"saved {len(inventory.images)} images, {len(inventory.containers)} containers{extra} "
        f"to {path}{note}"
    )
    return 0


def cmd_info(args: argparse.Namespace) -> int:
    gateway, facts = connect(args.host)
    try:
        containers = gateway.transport.get_json("/containers/json?all=1")
    finally:
        gateway.close()
    running = sum(1 for c in containers if c.get("State") == "running")
    rows = [
        ("endpoint", gateway.endpoint.describe()),
        ("engine", f"{facts.product} {facts.server_version} (API {facts.api_version})"),
        ("host kernel", facts.kernel_version),
        ("operating system", facts.operating_system),
        (
            "storage",
            facts.storage_driver + (" (containerd image store)" if facts.containerd_store else ""),
        ),
        # Configured, not known to be installed (Podman lists every runtime it is told of).
        (
            "runtimes",
            "configured: " + ", ".join(facts.runtimes) + f"; default {facts.default_runtime}",
        ),
        ("containers", f"{len(containers)} ({running} running)"),
    ]
    for key, value in rows:
        print(f"{key:17} {value}")
    return 0


def cmd_desktop(args: argparse.Namespace) -> int:
    from fromscratch.core import desktop

    try:
        if args.action == "remove":
            removed = desktop.remove()
            print("removed " + ", ".join(map(str, removed)) if removed else "nothing to remove")
            return 0
        where = desktop.install()
    except desktop.DesktopError as exc:
        print(f"fromscratch: {printable(str(exc))}", file=sys.stderr)
        return 1
    print(f"installed {where.entry} and {where.icon}: fromscratch is in the applications menu")
    return 0


HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "tree": cmd_tree,
    "df": cmd_df,
    "watch": cmd_watch,
    "rm": cmd_rm,
    "snapshot": cmd_snapshot,
    "info": cmd_info,
    "desktop": cmd_desktop,
    "files": cmd_files,
    "diff": cmd_diff,
    "waste": cmd_waste,
}
COMMANDS = tuple(HANDLERS)
"""The headless commands (the launcher sends anything else to the window)."""


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the headless commands; returns the exit code."""
    args = build_parser().parse_args(argv)
    handler = HANDLERS[args.command]  # argparse admits only these
    try:
        code = handler(args)
        sys.stdout.flush()  # a full disk or a closed pipe is seen here, not at exit
        return code
    except BrokenPipeError:  # `fromscratch tree | head`
        _quiet_stdout()
        return 0
    except OSError as exc:
        reason = exc.strerror or str(exc)
        if exc.filename is not None:
            print(f"fromscratch: {printable(str(exc.filename))}: {reason}", file=sys.stderr)
            return 1
        _quiet_stdout()  # `tree > /dev/full`
        print(f"fromscratch: cannot write the output: {reason}", file=sys.stderr)
        return 1
    except EngineUnavailable as exc:
        print(f"fromscratch: {printable(str(exc))}", file=sys.stderr)
        if args.command in ("tree", "df"):
            print("fromscratch: to study offline, use --snapshot FILE or --sample", file=sys.stderr)
        return 1
    except SnapshotWriteError as exc:
        print(f"fromscratch: {printable(str(exc))}", file=sys.stderr)
        return 1
    except (SnapshotError, EndpointError, UsageError, InputError, FileReadError) as exc:
        print(f"fromscratch: {printable(str(exc))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _quiet_stdout() -> None:
    """Point stdout at nothing, so Python's last flush at exit does not fail again."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        return


if __name__ == "__main__":
    raise SystemExit(main())

"""A registry's images as inspect-shaped objects (core.formats.imageconfig), so the lineage,
the tree and every command read them as they read an engine's: each tag's manifest (each
platform's, for an index; attestations left out), and its config. Configs are fetched once
per digest however many tags and platforms share them; at most :data:`IN_FLIGHT` requests
at once."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, NamedTuple

from fromscratch.core.formats.imageconfig import inspect_of_config
from fromscratch.core.registry.client import INDEXES, MANIFESTS, Document, Registry, RegistryError

IN_FLIGHT = 8
ATTESTATION = "attestation-manifest"
"""BuildKit's `vnd.docker.reference.type` for the provenance it attaches in an index."""


IMAGE_CONFIGS = frozenset(
    {"application/vnd.oci.image.config.v1+json", "application/vnd.docker.container.image.v1+json"}
)
NOT_IMAGE_LAYERS = ("in-toto", "cosign", "sigstore")
"""Layer media types of provenance and signatures, pushed as manifests of their own."""


def is_image(manifest: Document) -> bool:
    """An image's manifest, not an artifact's (an attestation, a signature, an SBOM): an image
    config, and layers that are not all provenance or signatures."""
    value = manifest.value
    config = value.get("config") or {}
    if value.get("artifactType") or not isinstance(config, dict):
        return False
    if config.get("mediaType") not in IMAGE_CONFIGS:
        return False
    layers = [d for d in value.get("layers") or [] if isinstance(d, dict)]
    kinds = [str(d.get("mediaType", "")) for d in layers]
    return not (kinds and all(any(k in kind for k in NOT_IMAGE_LAYERS) for kind in kinds))


class Tagged(NamedTuple):
    repository: str
    tag: str


class _Found(NamedTuple):
    tagged: Tagged
    manifest: Document
    wrapper: str
    """The index's digest when the tag names one (the containerd store's id for it)."""


def _platform_manifests(registry: Registry, tagged: Tagged) -> list[_Found]:
    top = registry.manifest(tagged.repository, tagged.tag)
    if top.media_type in MANIFESTS or "config" in top.value:
        return [_Found(tagged, top, "")] if is_image(top) else []
    if top.media_type not in INDEXES and "manifests" not in top.value:
        raise RegistryError(
            f"{registry.host}/{tagged.repository}:{tagged.tag}: a {top.media_type or 'document'}"
            " that is neither a manifest nor an index"
        )
    found = []
    for entry in top.value.get("manifests") or []:
        if not isinstance(entry, dict):
            continue
        annotations = entry.get("annotations") or {}
        if annotations.get("vnd.docker.reference.type") == ATTESTATION:
            continue  # provenance, not an image
        digest = str(entry.get("digest", ""))
        child = registry.manifest(tagged.repository, digest)
        if (child.media_type in MANIFESTS or "config" in child.value) and is_image(child):
            found.append(_Found(tagged, child, top.digest))
    return found


def _image(registry: Registry, found: _Found, config: Document) -> dict[str, Any]:
    layers = found.manifest.value.get("layers") or []
    sizes = [d.get("size") for d in layers if isinstance(d, dict)]
    known = len(sizes) == len(layers) and all(isinstance(s, int) and s >= 0 for s in sizes)
    name = f"{registry.host}/{found.tagged.repository}:{found.tagged.tag}"
    return inspect_of_config(
        config.digest,
        config.value,
        [name],
        sizes if known else None,  # type: ignore[arg-type]  # checked: ints
        compressed=True,  # blob sizes, as pushed
        manifest=found.manifest.digest,
        aliases=[found.wrapper] if found.wrapper else (),
    )


def read_registry(
    registry: Registry,
    repositories: Sequence[str] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> list[dict[str, Any]]:
    """Every tagged image of `repositories` (all the catalog lists, by default), one object
    per image (config) with every name it has there."""
    names = list(repositories) if repositories is not None else registry.repositories()
    with ThreadPoolExecutor(IN_FLIGHT, thread_name_prefix="registry") as pool:
        tag_lists = list(pool.map(registry.tags, names))
        tagged = [Tagged(r, t) for r, tags in zip(names, tag_lists, strict=True) for t in tags]
        found = [
            f
            for group in pool.map(lambda t: _platform_manifests(registry, t), tagged)
            for f in group
        ]
        if cancelled is not None and cancelled():
            return []
        wanted: dict[str, str] = {}
        for item in found:
            config = item.manifest.value.get("config") or {}
            digest = str(config.get("digest", "")) if isinstance(config, dict) else ""
            wanted.setdefault(digest, item.tagged.repository)
        configs = dict(
            zip(wanted, pool.map(lambda d: registry.config(wanted[d], d), wanted), strict=True)
        )
    images: dict[str, dict[str, Any]] = {}
    for item in found:
        digest = str((item.manifest.value.get("config") or {}).get("digest", ""))
        image = _image(registry, item, configs[digest])
        kept = images.get(image["Id"])
        if kept is None:
            images[image["Id"]] = image
        else:  # one image, several tags
            kept["RepoTags"] = sorted({*kept["RepoTags"], *image["RepoTags"]})
    return list(images.values())

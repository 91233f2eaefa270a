"""fromscratch: every local Docker image's inheritance down to scratch, and why containers
share the host's kernel.

The one installed import package. Its parts live in the repository's top-level folders and are
mapped here by `pyproject.toml` (see docs/decisions.md, "One installed name"):

- `fromscratch.core` (`core/`): Qt-free. Formats, engine access, the lineage graph, evidence,
  the story's content, sources and the CLI, in layers (import-linter checks them).
- `fromscratch.gui` (`gui/`): thin Qt over core.
- `fromscratch.resources` (`resources/`): data, themes, icons and texts.

`python -m fromscratch` and the `fromscratch` command start the app (`fromscratch.__main__`).
"""

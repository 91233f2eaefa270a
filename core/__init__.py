"""Qt-free: everything the window and the CLI know, in layers (import-linter checks them).

From the bottom: helpers (`files`, `paths`, `perf`, `text`) < `formats` (records and
the files they come from) < `engine` | `graph` (neither imports the other) < `evidence` |
`story` < `session` (sources: what a window or a command opens) < `cli`, `desktop`.
"""

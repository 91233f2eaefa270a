"""Image records (`inventory`) and the files and JSON they are read from and written to:
engine JSON (`schema`, `parse`), snapshots (`snapshot`, `redact`) and the bundled `sample`."""

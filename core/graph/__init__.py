"""The lineage graph: which image was built FROM which (`lineage`), held in a lean `tree`,
laid out (`layout`), filtered (`filters`), explained (`details`) and exported (`export`)."""

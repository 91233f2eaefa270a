"""Inside the layers: every file of every layer, read from its tar headers once per host."""

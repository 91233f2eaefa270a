"""The details dock: facts, build steps by ancestor, and the size chart."""

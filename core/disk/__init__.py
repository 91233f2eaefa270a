"""Disk accounting: what the images shown cost, counted once per layer (`usage`)."""

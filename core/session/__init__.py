"""What is opened: the live engine, a file, the last live snapshot or the bundled sample,
behind one `Source` protocol."""

"""Thin Qt over `fromscratch.core`: the window's controller, the window, views, items, workers.
No Docker calls and no inference here."""

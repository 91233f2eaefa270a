"""Thin Qt over `fromscratch.core`: a session controller, the window, views, items, workers.
No Docker calls and no inference here."""

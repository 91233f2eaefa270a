"""The whole suite: what it writes in the temporary folder goes when it ends.

pytest keeps the folders of failed tests only (pyproject: tmp_path_retention_policy), and
this removes the emptied `pytest-of-<user>` folder after a green run."""

from __future__ import annotations

import contextlib

import pytest


def pytest_unconfigure(config: pytest.Config) -> None:
    factory = getattr(config, "_tmp_path_factory", None)
    basetemp = getattr(factory, "_basetemp", None)  # asking for it would make it
    if basetemp is None:
        return
    with contextlib.suppress(OSError):  # not empty: failures kept for a look
        basetemp.parent.rmdir()

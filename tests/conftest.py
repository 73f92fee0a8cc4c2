"""Suite-wide settings shared by every test module; add fixtures below as needed."""

from __future__ import annotations

import os

import pytest

pytest_plugins = ["feedbackkit.testing.postgres"]  # fixtures: postgres, postgres_url


def pytest_configure(config: pytest.Config) -> None:
    """Never auto-load whatever plugins happen to be installed, and fail on broken ones.

    Set before any test module imports ``feedbackkit.cli`` (which loads plugins on
    import) and inherited by subprocesses. A test that wants installed plugins passes
    ``only=[...]``/``strict=False`` to ``load_plugins`` or sets the variables itself
    with ``monkeypatch.setenv``.
    """
    os.environ["FEEDBACKKIT_PLUGINS"] = ""
    os.environ["FEEDBACKKIT_STRICT_PLUGINS"] = "1"

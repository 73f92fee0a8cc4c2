"""Developer sessions: ``nox -s tests lint typing``."""

from __future__ import annotations

import glob

import nox

nox.options.sessions = ["tests", "lint", "typing"]
PLUGINS = sorted(glob.glob("plugins/*/pyproject.toml"))


def install_plugins(session: nox.Session) -> None:
    for pyproject in PLUGINS:
        session.install("-e", pyproject.removesuffix("/pyproject.toml"))


@nox.session(python="3.11")
def tests(session: nox.Session) -> None:
    """The full test suite (what CI runs)."""
    session.install("-e", ".[test]")
    install_plugins(session)
    session.run("pytest", *session.posargs)


@nox.session(python="3.11")
def lint(session: nox.Session) -> None:
    """Ruff lint and format check."""
    session.install("ruff")
    session.run("ruff", "check", "src", "tests", "plugins", "bench", "examples", "noxfile.py")
    session.run("ruff", "format", "--check", "src", "tests", "plugins", "bench", "examples")


@nox.session(python="3.11")
def typing(session: nox.Session) -> None:
    """mypy --strict on the core package."""
    session.install("-e", ".[dev]")
    session.run("mypy")

"""Built-in audit frameworks (``feedbackkit/data/frameworks/*.toml``, sharing the scales of
``_common.toml``) and the default scorer."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from functools import cache
from importlib.resources import files
from typing import Any

from feedbackkit.audit.catalogue import FrameworkCatalogue
from feedbackkit.audit.framework import Framework, parse_framework
from feedbackkit.audit.scoring import MaturityScorer
from feedbackkit.hookspecs import hookimpl

__all__ = ["builtin_frameworks"]


@cache
def builtin_frameworks() -> tuple[Framework, ...]:
    """Every framework shipped as data, in file-name order."""
    folder = files("feedbackkit") / "data" / "frameworks"
    common = tomllib.loads((folder / "_common.toml").read_text("utf-8"))
    return tuple(
        parse_framework(entry.read_text("utf-8"), entry.name, common)
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.name.endswith(".toml") and not entry.name.startswith("_")
    )


@hookimpl(trylast=True)
def feedbackkit_register_audit_catalogues(register: Callable[[Any], None]) -> None:
    for framework in builtin_frameworks():
        register(FrameworkCatalogue(framework))


@hookimpl(trylast=True)
def feedbackkit_register_scorers(register: Callable[[Any], None]) -> None:
    register(MaturityScorer())

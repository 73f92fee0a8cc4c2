"""Built-in handling procedures, loaded from ``feedbackkit/data/procedures/*.toml``."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from functools import cache
from importlib.resources import files
from typing import Any

from feedbackkit.hookspecs import hookimpl
from feedbackkit.workflow.procedure import Procedure

__all__ = ["builtin_procedures"]


@cache
def builtin_procedures() -> tuple[Procedure, ...]:
    """The Awb complaint, objection, melding and generic procedures shipped as data."""
    folder = files("feedbackkit") / "data" / "procedures"
    common = tomllib.loads((folder / "_common.toml").read_text("utf-8"))
    return tuple(
        Procedure.from_dict(tomllib.loads(entry.read_text("utf-8")), common)
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.name.endswith(".toml") and not entry.name.startswith("_")
    )


@hookimpl(trylast=True)
def feedbackkit_register_procedures(register: Callable[[Any], None]) -> None:
    for procedure in builtin_procedures():
        register(procedure)

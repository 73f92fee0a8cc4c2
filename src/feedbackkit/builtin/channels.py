"""The built-in intake channel: ``feedbackkit/1`` JSON Lines files."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from feedbackkit.hookspecs import hookimpl
from feedbackkit.interchange.jsonl import JsonlChannel


@hookimpl(trylast=True)
def feedbackkit_register_channels(register: Callable[[Any], None]) -> None:
    register(JsonlChannel())

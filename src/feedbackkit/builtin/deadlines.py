"""Built-in deadline policies and the Algemene termijnenwet calendar."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from feedbackkit.deadlines import AtwCalendar, builtin_policies
from feedbackkit.hookspecs import hookimpl


@hookimpl(trylast=True)
def feedbackkit_register_deadline_policies(register: Callable[[Any], None]) -> None:
    for policy in builtin_policies():
        register(policy)


@hookimpl(trylast=True)
def feedbackkit_deadline_calendar(settings: dict[str, Any]) -> AtwCalendar:
    return AtwCalendar.from_settings(settings)

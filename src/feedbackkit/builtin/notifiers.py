"""The built-in notifier: SMTP (configured under ``[notifications.smtp]``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from feedbackkit.hookspecs import hookimpl
from feedbackkit.notifications.smtp import SmtpNotifier


@hookimpl(trylast=True)
def feedbackkit_register_notifiers(register: Callable[[Any], None]) -> None:
    register(SmtpNotifier())

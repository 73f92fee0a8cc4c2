"""The built-in intake channels beyond JSON Lines: e-mail (.eml, mbox), IMAP mailboxes,
complaint registers (CSV, Excel) and Signalen (see ``docs/channels.md``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from feedbackkit.channels.email import EmailChannel
from feedbackkit.channels.imap import ImapChannel
from feedbackkit.channels.register import RegisterChannel
from feedbackkit.channels.signalen import SignalenChannel
from feedbackkit.hookspecs import hookimpl
from feedbackkit.ports import ConfigurableChannel


@hookimpl(trylast=True)
def feedbackkit_register_channels(register: Callable[[Any], None]) -> None:
    channels: tuple[ConfigurableChannel, ...] = (
        EmailChannel(),
        ImapChannel(),
        RegisterChannel(),
        SignalenChannel(),
    )
    for channel in channels:
        register(channel)

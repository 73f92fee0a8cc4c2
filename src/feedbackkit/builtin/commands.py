"""The built-in CLI commands, added through the same hook third-party plugins use."""

from __future__ import annotations

from typing import Any

from feedbackkit.commands import (
    audit,
    db,
    demo,
    interchange,
    learn,
    plugins,
    quarantine,
    register,
)
from feedbackkit.hookspecs import hookimpl


@hookimpl(trylast=True)
def feedbackkit_register_commands(cli: Any) -> None:
    for command in (
        *audit.COMMANDS,
        *db.COMMANDS,
        *demo.COMMANDS,
        *interchange.COMMANDS,
        *learn.COMMANDS,
        *plugins.COMMANDS,
        *quarantine.COMMANDS,
        *register.COMMANDS,
    ):
        cli.add_command(command)

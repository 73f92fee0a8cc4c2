"""The built-in CLI commands, added through the same hook third-party plugins use."""

from __future__ import annotations

from typing import Any

from feedbackkit.commands.lazy import command_in
from feedbackkit.hookspecs import hookimpl

COMMANDS = {
    "audit": "feedbackkit.commands.audit",
    "db": "feedbackkit.commands.db",
    "demo": "feedbackkit.commands.demo",
    "export": "feedbackkit.commands.interchange",
    "import": "feedbackkit.commands.interchange",
    "learn": "feedbackkit.commands.learn",
    "plugins": "feedbackkit.commands.plugins",
    "quarantine": "feedbackkit.commands.quarantine",
    "register": "feedbackkit.commands.register",
}
"""The built-in commands and the modules that define them (in their ``COMMANDS``)."""


@hookimpl(trylast=True)
def feedbackkit_register_commands(cli: Any) -> None:
    """Name the built-in commands; a :class:`~feedbackkit.commands.lazy.LazyGroup`
    imports each when it runs, any other group gets them at once."""
    add_lazy = getattr(cli, "add_lazy_command", None)
    for name, module in COMMANDS.items():
        if add_lazy is not None:
            add_lazy(name, module)
        else:
            cli.add_command(command_in(module, name))

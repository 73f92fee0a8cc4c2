"""Commands named before they are imported: a CLI call loads only the command it runs.

The command modules import what their commands need (Alembic, the audit, the demo
generator...); importing all of them took about a second per call, and every
:func:`~feedbackkit.plugins.load_plugins` paid it too.
"""

from __future__ import annotations

import importlib

import click

__all__ = ["LazyGroup", "command_in"]


def command_in(module: str, name: str) -> click.Command:
    """The command ``name`` among the ``COMMANDS`` of ``module``."""
    for command in importlib.import_module(module).COMMANDS:
        if command.name == name:
            return command  # type: ignore[no-any-return]
    raise LookupError(f"{module} has no command {name!r} in its COMMANDS")


class LazyGroup(click.Group):
    """A group that also takes commands by name and module (:meth:`add_lazy_command`),
    imported the first time they are asked for (to run, or to list with ``--help``)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._lazy: dict[str, str] = {}

    def add_lazy_command(self, name: str, module: str) -> None:
        """Add the command ``name`` that ``module`` lists in its ``COMMANDS``."""
        self._lazy[name] = module

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self._lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module = self._lazy.pop(cmd_name, None)
        if module is not None:
            self.add_command(command_in(module, cmd_name))
        return super().get_command(ctx, cmd_name)

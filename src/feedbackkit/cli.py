"""The ``feedbackkit`` command line. Every command is contributed by a plugin
through ``feedbackkit_register_commands`` — the built-in ones too."""

from __future__ import annotations

import sys

import click

from feedbackkit.commands.lazy import LazyGroup
from feedbackkit.errors import FeedbackkitError
from feedbackkit.plugins import Plugins, load_plugins
from feedbackkit.service import DEFAULT_DB, FeedbackKit

__all__ = ["Context", "cli", "main", "pass_context"]


class Context:
    """Shared state of one CLI invocation: the ``--db`` target and the loaded plugins."""

    def __init__(self, db: str, plugins: Plugins) -> None:
        self.db = db
        self.plugins = plugins

    def open(self) -> FeedbackKit:
        """Open the store named by ``--db`` (created when missing)."""
        return FeedbackKit.open(self.db, plugins=self.plugins)


pass_context = click.make_pass_decorator(Context)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    default=DEFAULT_DB,
    show_default=True,
    envvar="FEEDBACKKIT_DB",
    help="Database: a SQLite file path or a store URL (sqlite:///…, postgresql://…, memory://).",
)
@click.version_option(package_name="feedbackkit")
@click.pass_context
def cli(ctx: click.Context, db: str) -> None:
    """feedbackkit: register, handle and learn from every form of customer feedback."""
    ctx.obj = Context(db, _plugins)


_plugins = load_plugins()
_plugins.add_commands(cli)


def main() -> None:
    """Console entry point: typed errors become a one-line message and exit code 1."""
    try:
        code = cli(standalone_mode=False)  # a command's Exit(n) comes back as n
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except FeedbackkitError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(1)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    if isinstance(code, int):
        sys.exit(code)

"""``feedbackkit quarantine list|reprocess|resolve DIR``: the items channels rejected."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from feedbackkit.channels.quarantine import DirectoryQuarantine, reprocess
from feedbackkit.commands.interchange import _parse_options
from feedbackkit.errors import FeedbackkitError

if TYPE_CHECKING:
    from feedbackkit.cli import Context

__all__ = ["COMMANDS", "quarantine_group"]

EXIT_STILL_REJECTED = 3
"""Exit code of ``reprocess`` when some items are still rejected."""

_DIR = click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))


@click.group("quarantine")
def quarantine_group() -> None:
    """List, re-process and resolve quarantined items (see docs/channels.md)."""


@quarantine_group.command("list")
@_DIR
@click.option("--all", "include_resolved", is_flag=True, help="Also list resolved items.")
def list_command(directory: Path, include_resolved: bool) -> None:
    """List the items in DIRECTORY: id, channel, where, field and reason."""
    items = list(DirectoryQuarantine(directory).items(include_resolved=include_resolved))
    for item in items:
        status = f"resolved: {item.resolution}" if item.resolved else f"attempts: {item.attempts}"
        click.echo(
            f"{item.id}  {item.channel}  {item.source}:{item.position}  "
            f"{item.field}: {item.reason}  ({status})"
        )
    click.echo(f"{len(items)} item{'' if len(items) == 1 else 's'}", err=True)


@quarantine_group.command("reprocess")
@_DIR
@click.option("--id", "ids", multiple=True, metavar="ID", help="Only this item; repeatable.")
@click.option(
    "--option",
    "options",
    multiple=True,
    metavar="NAME=VALUE",
    help="Change a channel option, e.g. mapping=klachtenregister-v2.toml; repeatable.",
)
@click.option(
    "--mapping",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A corrected column mapping (the same as --option mapping=FILE).",
)
@click.pass_obj
def reprocess_command(
    ctx: Context,
    directory: Path,
    ids: tuple[str, ...],
    options: tuple[str, ...],
    mapping: Path | None,
) -> None:
    """Read the open items in DIRECTORY again and store what is now accepted.

    Exit code 0: every item imported or skipped; 3: some are still rejected.
    """
    quarantine = DirectoryQuarantine(directory)
    try:
        with ctx.open() as kit:
            report = reprocess(
                quarantine,
                ctx.plugins.channels(),
                kit,
                ids=ids or None,
                options=_parse_options(options, mapping),
            )
    except FeedbackkitError as exc:
        raise click.ClickException(str(exc)) from None
    for item_id in report.rejected:
        item = quarantine.get(item_id)
        click.echo(
            f"{item.id}: {item.source}:{item.position}: {item.field}: {item.reason}", err=True
        )
    click.echo(
        f"{len(report.imported)} imported, {len(report.skipped)} skipped, "
        f"{len(report.rejected)} still rejected",
        err=True,
    )
    if report.rejected:
        raise click.exceptions.Exit(EXIT_STILL_REJECTED)


@quarantine_group.command("resolve")
@_DIR
@click.argument("item_id")
@click.argument("resolution")
def resolve_command(directory: Path, item_id: str, resolution: str) -> None:
    """Mark ITEM_ID resolved by hand, saying how (e.g. "phoned the customer")."""
    try:
        item = DirectoryQuarantine(directory).resolve(item_id, resolution)
    except FeedbackkitError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"{item.id}: resolved ({resolution})")


COMMANDS = (quarantine_group,)

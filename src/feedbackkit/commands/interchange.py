"""``feedbackkit import`` and ``feedbackkit export``: cases in and out as JSON Lines."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import click

from feedbackkit.channels.quarantine import DirectoryQuarantine
from feedbackkit.clock import AMSTERDAM
from feedbackkit.commands.progress import PROGRESS_OPTION, progress
from feedbackkit.errors import FeedbackkitError
from feedbackkit.interchange import (
    RejectFile,
    choose_channel,
    default_rejects_path,
    export_cases,
    import_items,
)
from feedbackkit.ports import ChannelReader, Rejected, Skipped
from feedbackkit.storage.protocol import Query
from feedbackkit.vocabulary import Channel, Kind

if TYPE_CHECKING:
    from feedbackkit.cli import Context

__all__ = ["COMMANDS", "EXIT_REJECTED", "export_command", "import_command"]

EXIT_REJECTED = 3
"""Exit code of ``feedbackkit import`` when some items were rejected and the rest imported."""

SHOWN_REJECTIONS = 20
"""Rejections reported one by one on stderr; the rest are counted (all are in the file)."""


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "channel_name",
    metavar="NAME",
    help="Channel that reads FILE (default: chosen by the file's suffix, e.g. .jsonl).",
)
@click.option(
    "--rejects",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where rejected items go (default: FILE's name with .rejects.jsonl, next to FILE).",
)
@click.option(
    "--option",
    "options",
    multiple=True,
    metavar="NAME=VALUE",
    help="A channel option, e.g. kind=complaint (see docs/channels.md); repeatable.",
)
@click.option(
    "--mapping",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Column mapping of a complaint register (the same as --option mapping=FILE).",
)
@click.option(
    "--quarantine",
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory keeping every item the channel rejects (raw bytes and reason), "
    "to re-process after a fix.",
)
@click.option(
    "--parallel/--serial",
    default=True,
    show_default=True,
    help="Write each batch in a second process while the next is prepared "
    "(SQL stores, where the platform can fork).",
)
@PROGRESS_OPTION
@click.pass_obj
def import_command(
    ctx: Context,
    file: Path,
    channel_name: str | None,
    rejects: Path | None,
    options: tuple[str, ...],
    mapping: Path | None,
    quarantine: Path | None,
    parallel: bool,
    show: bool | None,
) -> None:
    """Import the cases in FILE; cases already stored are skipped (safe to repeat).

    Every rejected item is reported with its line number and field and written to the
    reject file with the reason and the raw text. Exit code 0: all accepted;
    3: some rejected, the rest imported.
    """
    try:
        channel = choose_channel(ctx.plugins.channels(), file, channel_name)
    except FeedbackkitError as exc:
        raise click.UsageError(str(exc)) from None
    rejects = rejects or default_rejects_path(file)
    if rejects.resolve() == file.resolve():
        raise click.UsageError("--rejects must not be the file being imported")
    skipped: list[Skipped] = []
    channel = _configured(channel, _parse_options(options, mapping), quarantine, skipped.append)
    shown = 0

    def report(item: Rejected) -> None:
        nonlocal shown
        shown += 1
        if shown <= SHOWN_REJECTIONS:
            click.echo(f"{item.source}:{item.position}: {item.field}: {item.reason}", err=True)

    with (
        ctx.open() as kit,
        RejectFile(rejects) as sink,
        progress(channel.read(file), label=f"Importing {file.name}", enabled=show) as items,
    ):
        result = import_items(
            kit, items, source=str(file), rejects=sink, on_reject=report, parallel=parallel
        )
    if shown > SHOWN_REJECTIONS:
        click.echo(f"... and {shown - SHOWN_REJECTIONS} more rejected", err=True)
    click.echo(result.summary(), err=True)
    if skipped:
        click.echo(f"{len(skipped)} skipped as not feedback, e.g. {skipped[0].reason}", err=True)
    if result.rejected:
        raise click.exceptions.Exit(EXIT_REJECTED)


def _parse_options(options: tuple[str, ...], mapping: Path | None) -> dict[str, str]:
    parsed = {"mapping": str(mapping)} if mapping is not None else {}
    for option in options:
        name, sep, value = option.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"{option!r} is not NAME=VALUE", param_hint="--option")
        parsed[name.strip()] = value
    return parsed


def _configured(
    channel: ChannelReader,
    options: dict[str, str],
    quarantine: Path | None,
    on_skip: Callable[[Skipped], None],
) -> ChannelReader:
    """``channel`` with its options, quarantine and skip report (a ConfigurableChannel)."""
    configure = getattr(channel, "configure", None)
    if configure is None:
        if options or quarantine is not None:
            raise click.UsageError(f"channel {channel.name!r} takes no options or quarantine")
        return channel
    try:
        store = DirectoryQuarantine(quarantine) if quarantine is not None else None
        configured: ChannelReader = configure(options, quarantine=store, on_skip=on_skip)
    except FeedbackkitError as exc:
        raise click.UsageError(str(exc)) from None
    return configured


def _day_start(day: datetime | None, days: int = 0) -> datetime | None:
    if day is None:
        return None
    return datetime.combine(day.date() + timedelta(days=days), time(), AMSTERDAM)


@click.command("export")
@click.option(
    "--out",
    type=click.File("w", encoding="utf-8", atomic=True),
    default="-",
    help="Output file (default: standard output).",
)
@click.option("--kind", "kinds", multiple=True, type=click.Choice([k.value for k in Kind]))
@click.option("--channel", "channels", multiple=True, type=click.Choice([c.value for c in Channel]))
@click.option("--procedure", "procedures", multiple=True, metavar="NAME")
@click.option("--state", "states", multiple=True, metavar="STATE")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="Received on or after this day.")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="Received on or before this day.")
@click.option("--open/--done", "open_", default=None, help="Only open, or only handled, cases.")
@click.option("--reference", help="Only the case with this case number.")
@click.option("--subject", help="Only cases about this subject (exactly).")
@click.option("--org-unit", help="Only cases of this department (exactly).")
@click.option(
    "--as-of",
    type=click.DateTime(["%Y-%m-%d"]),
    help="Day the state and running deadlines are computed for (default: today).",
)
@click.pass_obj
def export_command(
    ctx: Context,
    /,
    out: TextIO,
    kinds: tuple[str, ...],
    channels: tuple[str, ...],
    procedures: tuple[str, ...],
    states: tuple[str, ...],
    since: datetime | None,
    until: datetime | None,
    open_: bool | None,
    reference: str | None,
    subject: str | None,
    org_unit: str | None,
    as_of: datetime | None,
) -> None:
    """Write the stored cases as JSON Lines (one case per line), oldest first.

    Days are Europe/Amsterdam calendar days; repeat --kind, --channel, --procedure
    or --state to select several.
    """
    selected: dict[str, Any] = {  # Any: mypy cannot type Query's tuple converters
        "kinds": tuple(Kind(k) for k in kinds),
        "channels": tuple(Channel(c) for c in channels),
        "procedures": procedures,
        "states": states,
    }
    query = Query(
        **selected,
        received_from=_day_start(since),
        received_until=_day_start(until, days=1),
        done=None if open_ is None else not open_,
        reference=reference,
        subject=subject,
        org_unit=org_unit,
    )
    day: date | None = as_of.date() if as_of is not None else None
    with ctx.open() as kit:
        count = export_cases(kit, out, query, day)
    click.echo(f"{count} case{'' if count == 1 else 's'} exported", err=True)


COMMANDS = (import_command, export_command)

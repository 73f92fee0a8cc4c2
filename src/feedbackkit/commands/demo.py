"""``feedbackkit demo``: fill a database with a synthetic year of a municipality's feedback."""

from __future__ import annotations

import sys
from itertools import islice
from typing import TYPE_CHECKING

import click

from feedbackkit.demo import DEFAULT_SEED, DEFAULT_SIZE, DEFAULT_YEAR, generate, reference_day
from feedbackkit.demo.summary import Summary

if TYPE_CHECKING:
    from feedbackkit.cli import Context

__all__ = ["BATCH_SIZE", "COMMANDS", "demo_command"]

BATCH_SIZE = 1000
"""Cases generated, summarised and stored per step."""

_PROGRESS = {"nl": "Demodata aanmaken en opslaan", "en": "Generating and storing demo data"}


@click.command("demo")
@click.option(
    "--size",
    type=click.IntRange(min=1),
    default=DEFAULT_SIZE,
    show_default=True,
    help="Number of feedback items.",
)
@click.option(
    "--seed",
    type=int,
    default=DEFAULT_SEED,
    show_default=True,
    help="Random seed: the same seed and size give the same data, ids included.",
)
@click.option(
    "--year",
    type=click.IntRange(1900, 2999),
    default=DEFAULT_YEAR,
    show_default=True,
    help="The year the data covers; deadlines are shown as of its last day.",
)
@click.option(
    "--lang",
    type=click.Choice(["nl", "en"]),
    default="nl",
    show_default=True,
    help="Language of the summary.",
)
@click.pass_obj
def demo_command(ctx: Context, size: int, seed: int, year: int, lang: str) -> None:
    """Fill the database (--db) with a realistic synthetic year of feedback and summarise it.

    Every kind and channel, handling histories that follow the procedures (some
    late, some still open at the end of the year), repeat reports that became
    complaints, same-problem groups and relationship outcomes. Safe to repeat:
    the same seed and size give the same ids, so a rerun adds nothing.
    """
    summary = Summary(seed=seed, year=year, as_of=reference_day(year))
    records = generate(size, seed=seed, year=year)
    progress = click.progressbar(length=size, label=_PROGRESS[lang], file=sys.stderr)
    with ctx.open() as kit, progress as bar:
        while batch := list(islice(records, BATCH_SIZE)):
            for record in batch:
                _, state = kit.prepare(record)
                deadlines = kit.compute_deadlines(record.feedback, record.events, summary.as_of)
                summary.add(record, state, deadlines)
            summary.stored(kit.ingest(batch))
            bar.update(len(batch))
    click.echo(summary.render(lang))


COMMANDS = (demo_command,)

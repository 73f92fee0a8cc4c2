"""``feedbackkit demo``: fill a database with a synthetic year of a municipality's feedback."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import click

from feedbackkit.commands.audit import audit_register, outcome_line
from feedbackkit.commands.progress import PROGRESS_OPTION, progress
from feedbackkit.demo import DEFAULT_SEED, DEFAULT_SIZE, DEFAULT_YEAR, generate, reference_day
from feedbackkit.demo.assessment import self_assessment
from feedbackkit.demo.summary import Summary
from feedbackkit.learning.period import parse_period
from feedbackkit.learning.report import write_learning_reports
from feedbackkit.service import resolve_url

if TYPE_CHECKING:
    from feedbackkit.cli import Context
    from feedbackkit.models import CaseRecord
    from feedbackkit.service import FeedbackKit
    from feedbackkit.workflow.case import CaseState

__all__ = ["COMMANDS", "demo_command"]

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
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the audit report (audit.html, audit.md, audit.json); "
    "default: the database's folder.",
)
@PROGRESS_OPTION
@click.pass_obj
def demo_command(
    ctx: Context, size: int, seed: int, year: int, lang: str, out: Path | None, show: bool | None
) -> None:
    """Fill the database (--db) with a realistic synthetic year of feedback and summarise it.

    Every kind and channel, handling histories that follow the procedures (some
    late, some still open at the end of the year), repeat reports that became
    complaints, same-problem groups and relationship outcomes. Safe to repeat:
    the same seed and size give the same ids, so a rerun adds nothing.
    """
    summary = Summary(seed=seed, year=year, as_of=reference_day(year))
    records = generate(size, seed=seed, year=year)
    with (
        ctx.open() as kit,
        progress(records, label=_PROGRESS[lang], length=size, enabled=show) as shown,
    ):
        summary.stored(kit.ingest_prepared(_summarised(kit, shown, summary), parallel=True))
        folder = out or _db_folder(ctx.db)
        framework, result, written = audit_register(
            kit,
            folder,
            lang=lang,
            on=summary.as_of,
            answers=functools.partial(self_assessment, seed=seed),
        )
        learned = write_learning_reports(
            kit.learning, parse_period(f"{year}-Q4"), folder, lang=lang
        )
    click.echo(summary.render(lang))
    click.echo(f"{', '.join(map(str, written))}: {outcome_line(framework, result, lang)}")
    click.echo(", ".join(map(str, learned)))


def _summarised(
    kit: FeedbackKit, records: Iterable[CaseRecord], summary: Summary
) -> Iterator[tuple[CaseRecord, CaseState]]:
    """``records`` checked and with their state, as the store ingests them (streamed, in
    its batches), each counted in ``summary`` on the way."""
    for record in records:
        prepared, state = kit.prepare(record)
        summary.add(
            prepared, state, kit.compute_deadlines(record.feedback, record.events, summary.as_of)
        )
        yield prepared, state


def _db_folder(db: str) -> Path:
    """The folder of a database file; the working directory for other stores."""
    url = resolve_url(db)
    return Path(url.removeprefix("sqlite:///")).parent if url.startswith("sqlite:///") else Path()


COMMANDS = (demo_command,)

"""``feedbackkit audit``: audit reports, the self-assessment questionnaire, the frameworks."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import click

from feedbackkit.audit import (
    DEFAULT_SCORER,
    Evidence,
    Framework,
    read_observations,
    read_questionnaire,
    registered_framework,
    registered_scorer,
    run,
    write_questionnaire,
)
from feedbackkit.audit.indicators import gather_indicators, received_span, store_indicators
from feedbackkit.audit.reporting import audit_report, read_result
from feedbackkit.errors import FeedbackkitError, NotFoundError
from feedbackkit.reports import LANGUAGES, format_of, renderer_for
from feedbackkit.service import resolve_url

if TYPE_CHECKING:
    from feedbackkit.audit import IndicatorValue
    from feedbackkit.cli import Context
    from feedbackkit.plugins import Plugins

__all__ = ["COMMANDS", "audit_command", "frameworks_command", "template_command"]

DEFAULT_FRAMEWORK = "gouden-oor"

_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)
_DAY = click.DateTime(["%Y-%m-%d"])


def _framework(plugins: Plugins, name: str) -> Framework:
    """The framework registered as ``name`` (``gouden_oor`` finds ``gouden-oor`` too)."""
    for candidate in dict.fromkeys((name, name.replace("_", "-"))):
        try:
            return registered_framework(plugins, candidate)
        except NotFoundError:
            continue
    known = ", ".join(sorted(plugins.audit_catalogues()))
    raise click.BadParameter(
        f"unknown framework {name!r}; available: {known}", param_hint="--framework"
    )


def _has_store(db: str) -> bool:
    """False for a SQLite file that does not exist (an audit must not create one)."""
    url = resolve_url(db)
    return not url.startswith("sqlite:///") or Path(url.removeprefix("sqlite:///")).exists()


def _indicators(
    ctx: Context, framework: Framework, start: datetime | None, until: datetime | None
) -> tuple[IndicatorValue, ...]:
    """Indicator values from the store for the period (default: from its first to its last case)."""
    if not _has_store(ctx.db):
        click.echo(f"no database at {ctx.db}: no indicators from the register", err=True)
        return ()
    with ctx.open() as kit:
        span = received_span(kit.store)
        if span is None:
            click.echo(f"{ctx.db} holds no cases: no indicators from the register", err=True)
            return ()
        first = start.date() if start is not None else span[0]
        end = until.date() + timedelta(days=1) if until is not None else span[1]
        values = gather_indicators(kit.store, store_indicators([framework]), first, end)
    click.echo(
        f"{len(values)} indicators from {ctx.db} ({first} to {end - timedelta(days=1)})", err=True
    )
    return values


@click.group("audit", invoke_without_command=True)
@click.option(
    "--framework",
    "framework_name",
    default=DEFAULT_FRAMEWORK,
    show_default=True,
    metavar="NAME",
    help="Audit framework (see `feedbackkit audit frameworks`).",
)
@click.option("--scheme", metavar="ID", help="Recognition scheme (default: the framework's first).")
@click.option("--scorer", "scorer_name", default=DEFAULT_SCORER, show_default=True, metavar="NAME")
@click.option(
    "--questionnaire",
    "questionnaires",
    multiple=True,
    type=_FILE,
    help="A filled-in self-assessment (CSV); repeat for several respondents.",
)
@click.option(
    "--observations",
    "observation_files",
    multiple=True,
    type=_FILE,
    help="Auditor observations (TOML); repeatable.",
)
@click.option("--previous", type=_FILE, help="The JSON report (or result) of the previous audit.")
@click.option("--lang", type=click.Choice(LANGUAGES), default="nl", show_default=True)
@click.option("--from", "start", type=_DAY, help="Indicators over cases received from this day.")
@click.option("--until", type=_DAY, help="... up to and including this day.")
@click.option(
    "--indicators/--no-indicators",
    "with_indicators",
    default=True,
    show_default=True,
    help="Compute indicators from the database.",
)
@click.option("--organisation", metavar="NAME", help="Organisation named on the report.")
@click.option("--date", "on", type=_DAY, help="Date on the report (default: today).")
@click.option("--db", help="Database (overrides the global --db).")
@click.option(
    "--out",
    "outputs",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Report file; the suffix picks the format (.html, .pdf, .md, .json). Repeatable.",
)
@click.pass_context
def audit_command(
    click_ctx: click.Context,
    framework_name: str,
    scheme: str | None,
    scorer_name: str,
    questionnaires: tuple[Path, ...],
    observation_files: tuple[Path, ...],
    previous: Path | None,
    lang: str,
    start: datetime | None,
    until: datetime | None,
    with_indicators: bool,
    organisation: str | None,
    on: datetime | None,
    db: str | None,
    outputs: tuple[Path, ...],
) -> None:
    """Audit feedback management and write the report (Dutch by default, --lang en).

    Evidence comes from the self-assessment (--questionnaire), the auditor's
    observations (--observations) and indicators computed from the database. Criteria
    without evidence are reported as missing, never scored as present.
    """
    if click_ctx.invoked_subcommand is not None:
        return
    if not outputs:
        raise click.UsageError("name at least one report file with --out (e.g. --out rapport.pdf)")
    ctx: Context = click_ctx.obj
    if db is not None:
        from feedbackkit.cli import Context  # loaded by now; at import time it would be a cycle

        ctx = Context(db, ctx.plugins)
    plugins = ctx.plugins
    try:
        renderers = {path: renderer_for(plugins.renderers(), format_of(path)) for path in outputs}
        framework = _framework(plugins, framework_name)
        scorer = registered_scorer(plugins, scorer_name)
        parts = [Evidence(answers=read_questionnaire(path, framework)) for path in questionnaires]
        parts += [Evidence(observations=read_observations(p, framework)) for p in observation_files]
        if with_indicators:
            parts.append(Evidence(indicators=_indicators(ctx, framework, start, until)))
        evidence = Evidence.merge(parts)
        result = run(framework, evidence, scorer, scheme=scheme)
        built = audit_report(
            framework,
            result,
            evidence=evidence,
            previous=None if previous is None else read_result(previous),
            lang=lang,
            organisation=organisation,
            on=(on.date() if on is not None else date.today()),
        )
        for path, renderer in renderers.items():
            path.write_bytes(renderer.render(built, format_of(path)))
            click.echo(f"wrote {path}", err=True)
    except FeedbackkitError as exc:
        raise click.ClickException(str(exc)) from None
    recognition = result.scoring.recognition
    level = "-" if recognition is None else (recognition.level or "none")
    scored = len(framework.criteria) - len(result.missing)
    click.echo(
        f"{framework.name} {framework.version}: {scored} of {len(framework.criteria)} criteria "
        f"scored; recognition level: {level}"
        + (" (provisional)" if recognition is not None and recognition.provisional else ""),
        err=True,
    )


@audit_command.command("template")
@click.option(
    "--framework", "framework_name", default=DEFAULT_FRAMEWORK, show_default=True, metavar="NAME"
)
@click.option("--lang", type=click.Choice(LANGUAGES), default="nl", show_default=True)
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the questionnaire (CSV, opens in a spreadsheet).",
)
@click.pass_obj
def template_command(ctx: Context, framework_name: str, lang: str, out: Path) -> None:
    """Write the self-assessment questionnaire for the organisation to fill in."""
    framework = _framework(ctx.plugins, framework_name)
    write_questionnaire(framework, out, lang)
    click.echo(f"wrote {out}: {len(framework.criteria)} criteria of {framework.name}", err=True)


@audit_command.command("frameworks")
@click.option("--lang", type=click.Choice(LANGUAGES), default="nl", show_default=True)
@click.pass_obj
def frameworks_command(ctx: Context, lang: str) -> None:
    """List the audit frameworks the plugins provide."""
    for name in sorted(ctx.plugins.audit_catalogues()):
        framework = registered_framework(ctx.plugins, name)
        dimensions = ", ".join(d.id for d in framework.dimensions)
        schemes = ", ".join(s.id for s in framework.recognition) or "-"
        click.echo(
            f"{name} {framework.version}: {framework.title.get(lang)} "
            f"({len(framework.criteria)} criteria; dimensions: {dimensions}; schemes: {schemes})"
        )


COMMANDS = (audit_command,)

"""``feedbackkit audit``: audit reports, the self-assessment questionnaire, the frameworks."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import click

from feedbackkit.audit import (
    DEFAULT_SCORER,
    AuditResult,
    Evidence,
    Framework,
    QuestionnaireAnswer,
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
    from feedbackkit.cli import Context
    from feedbackkit.plugins import Plugins
    from feedbackkit.service import FeedbackKit
    from feedbackkit.storage.measures import Metrics

__all__ = [
    "COMMANDS",
    "audit_command",
    "audit_register",
    "frameworks_command",
    "outcome_line",
    "register_evidence",
    "template_command",
]

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
) -> Evidence:
    """Indicators from the register for the period (default: from its first to its last case),
    computed in the database; those without data are gaps (missing evidence)."""
    if not _has_store(ctx.db):
        click.echo(f"no database at {ctx.db}: no indicators from the register", err=True)
        return Evidence()
    with ctx.open() as kit:
        found = register_evidence(kit.metrics, framework, start, until)
    if found is None:
        click.echo(f"{ctx.db} holds no cases: no indicators from the register", err=True)
        return Evidence()
    evidence, first, end = found
    click.echo(
        f"{len(evidence.indicators)} indicators from {ctx.db} ({first} to "
        f"{end - timedelta(days=1)}); {len(evidence.gaps)} without data",
        err=True,
    )
    return evidence


def register_evidence(
    metrics: Metrics,
    framework: Framework,
    start: datetime | date | None,
    until: datetime | date | None,
) -> tuple[Evidence, date, date] | None:
    """The register's indicators for ``framework`` from ``start`` up to and including
    ``until`` (default: its first and last case), with the period; ``None``: no cases."""
    span = received_span(metrics)
    if span is None:
        return None
    first = _day(start) if start is not None else span[0]
    end = _day(until) + timedelta(days=1) if until is not None else span[1]
    return gather_indicators(metrics, store_indicators([framework]), first, end), first, end


def _day(value: datetime | date) -> date:
    return value.date() if isinstance(value, datetime) else value


_OUTCOME = {
    "en": "{name} {version}: {scored} of {total} criteria scored; recognition level: {level}",
    "nl": "{name} {version}: {scored} van {total} criteria gescoord; erkenningsniveau: {level}",
}
_NONE = {"en": "none", "nl": "geen"}
_PROVISIONAL = {"en": " (provisional)", "nl": " (voorlopig)"}


def outcome_line(framework: Framework, result: AuditResult, lang: str = "en") -> str:
    """``gouden-oor 2012+...: 9 of 30 criteria scored; recognition level: none (provisional)``."""
    recognition = result.scoring.recognition
    level = "-"
    if recognition is not None:
        level = _NONE[lang]
        for scheme in framework.recognition:
            for found in scheme.levels:
                if scheme.id == recognition.scheme and found.id == recognition.level:
                    level = found.title.get(lang)
        if recognition.provisional:
            level += _PROVISIONAL[lang]
    return _OUTCOME[lang].format(
        name=framework.name,
        version=framework.version,
        scored=len(framework.criteria) - len(result.missing),
        total=len(framework.criteria),
        level=level,
    )


REGISTER_FORMATS = ("html", "md", "json")
"""What :func:`audit_register` writes: ``audit.html``, ``audit.md``, ``audit.json``."""


def audit_register(
    kit: FeedbackKit,
    folder: Path,
    *,
    framework_name: str = DEFAULT_FRAMEWORK,
    lang: str = "nl",
    on: date | None = None,
    formats: tuple[str, ...] = REGISTER_FORMATS,
    answers: Callable[[Framework], tuple[QuestionnaireAnswer, ...]] | None = None,
) -> tuple[Framework, AuditResult, tuple[Path, ...]]:
    """Audit the register of ``kit`` on its indicators (and the self-assessment that
    ``answers`` gives for the framework, if any) and write the reports into ``folder``
    (``feedbackkit demo`` does this); the framework, result and files written."""
    plugins = kit.plugins
    framework = _framework(plugins, framework_name)
    found = register_evidence(kit.metrics, framework, None, None)
    evidence = Evidence() if found is None else found[0]
    if answers is not None:
        evidence = Evidence.merge([evidence, Evidence(answers=answers(framework))])
    result = run(framework, evidence, registered_scorer(plugins))
    built = audit_report(
        framework, result, evidence=evidence, lang=lang, on=on or kit.clock.now().date()
    )
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt in formats:
        path = folder / f"audit.{fmt}"
        path.write_bytes(renderer_for(plugins.renderers(), fmt).render(built, fmt))
        written.append(path)
    return framework, result, tuple(written)


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
            parts.append(_indicators(ctx, framework, start, until))
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
    click.echo(outcome_line(framework, result, lang), err=True)


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

"""``feedbackkit learn``: the learning loop on the command line.

Themes, service recovery, golden complaints, improvement actions, the agenda of the
improvement meeting, Feedback Friday and the learning report (``docs/learning.md``).
"""

from __future__ import annotations

import getpass
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import click

from feedbackkit.errors import FeedbackkitError
from feedbackkit.learning.models import ActionStatus, RecoveryStatus
from feedbackkit.learning.period import Period, parse_period
from feedbackkit.reports import LANGUAGES, Report, format_of, render, renderer_for

if TYPE_CHECKING:
    from feedbackkit.cli import Context
    from feedbackkit.plugins import Plugins
    from feedbackkit.service import FeedbackKit

__all__ = ["COMMANDS", "learn_command", "write_report"]

_DAY = click.DateTime(["%Y-%m-%d"])
_OUT = click.Path(dir_okay=False, path_type=Path)
_LANG = click.option("--lang", type=click.Choice(LANGUAGES), default="nl", show_default=True)
_ACTOR = click.option(
    "--actor",
    envvar="FEEDBACKKIT_ACTOR",
    default=getpass.getuser,
    show_default="your user name",
    help="Who does this (recorded with it); also $FEEDBACKKIT_ACTOR.",
)


@contextmanager
def _kit(ctx: Context) -> Iterator[FeedbackKit]:
    """The store, with typed errors as one-line CLI errors."""
    try:
        with ctx.open() as kit:
            yield kit
    except FeedbackkitError as exc:
        raise click.ClickException(str(exc)) from None


def _period(text: str) -> Period:
    try:
        return parse_period(text)
    except FeedbackkitError as exc:
        raise click.BadParameter(str(exc)) from None


def write_report(plugins: Plugins, report: Report, outputs: tuple[Path, ...]) -> None:
    """Write ``report`` to each file (the suffix picks the format), or Markdown to stdout."""
    if not outputs:
        click.echo(render(plugins.renderers(), report, "md").decode("utf-8"), nl=False)
        return
    renderers = {path: renderer_for(plugins.renderers(), format_of(path)) for path in outputs}
    for path, renderer in renderers.items():
        path.write_bytes(renderer.render(report, format_of(path)))
        click.echo(f"wrote {path}", err=True)


def _out(help_text: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    return click.option("--out", "outputs", multiple=True, type=_OUT, help=help_text)


@click.group("learn")
def learn_command() -> None:
    """Learn from feedback: themes, service recovery, golden complaints, improvement
    actions, the improvement meeting, Feedback Friday and the learning report."""


# -- themes -----------------------------------------------------------------------------


@learn_command.command("themes")
@click.option("--period", "period_text", metavar="PERIOD", help="Only cases received then.")
@click.pass_obj
def themes_command(ctx: Context, period_text: str | None) -> None:
    """Store theme suggestions for every case that has no theme yet."""
    from feedbackkit.storage.protocol import Query

    query = Query() if period_text is None else _period(period_text).query()
    with _kit(ctx) as kit:
        count = kit.learning.assign_suggested(query)
    click.echo(f"themes suggested for {count} cases", err=True)


@learn_command.command("theme")
@click.argument("case")
@click.argument("code")
@click.option(
    "--reject", is_flag=True, help="The theme does not fit: the case stops counting under it."
)
@_ACTOR
@click.pass_obj
def theme_command(ctx: Context, case: str, code: str, reject: bool, actor: str) -> None:
    """Put theme CODE on CASE (id or case number) by hand, or reject it (--reject)."""
    with _kit(ctx) as kit:
        learning = kit.learning
        case_id = learning.case_id(case)
        if reject:
            learning.reject_theme(case_id, code, actor=actor)
            click.echo(f"{case}: theme {code} rejected", err=True)
        else:
            learning.assign_theme(case_id, code, actor=actor)
            click.echo(f"{case}: theme {code}", err=True)


# -- service recovery -------------------------------------------------------------------


@learn_command.command("affected")
@click.argument("case")
@click.option("--days", type=click.IntRange(min=0), default=30, show_default=True)
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
@click.option("--record", is_flag=True, help="Link them as same problem and start recovery.")
@_ACTOR
@click.pass_obj
def affected_command(
    ctx: Context, case: str, days: int, limit: int, record: bool, actor: str
) -> None:
    """Other customers likely affected by the problem CASE reports (service recovery)."""
    with _kit(ctx) as kit:
        learning = kit.learning
        source = learning.case_id(case)
        found = learning.affected(source, days=days, k=limit)
        for a in found:
            click.echo(
                f"{a.reference or a.case_id}\t{a.score:.2f}\t{a.received_at.date()}\t"
                f"{a.kind}/{a.channel}\t{a.subject or '-'}\t{a.location or '-'}\t"
                f"{', '.join(a.shared[:5])}"
            )
        if record:
            learning.recover(source, actor=actor, cases=[a.case_id for a in found])
            click.echo(f"recovery started for {len(found)} customers", err=True)


@learn_command.command("recovery")
@click.argument("case")
@click.argument("affected")
@click.argument("status", type=click.Choice([s.value for s in RecoveryStatus]))
@click.option("--note")
@_ACTOR
@click.pass_obj
def recovery_command(
    ctx: Context, case: str, affected: str, status: str, note: str | None, actor: str
) -> None:
    """Record where recovery stands for AFFECTED, found from CASE."""
    with _kit(ctx) as kit:
        learning = kit.learning
        learning.update_recovery(
            learning.case_id(case), learning.case_id(affected), status, actor=actor, note=note
        )
        click.echo(f"{affected}: {status}", err=True)


# -- golden complaints ------------------------------------------------------------------


@learn_command.command("golden")
@click.option("--period", "period_text", required=True, metavar="PERIOD")
@click.pass_obj
def golden_command(ctx: Context, period_text: str) -> None:
    """Golden complaints of a period: flagged ones, then suggestions with their reasons."""
    period = _period(period_text)
    with _kit(ctx) as kit:
        for g in kit.learning.golden(period.query()):
            reasons = "; ".join(f"{s.code}: {s.detail}" if s.detail else s.code for s in g.signals)
            click.echo(f"{g.reference or g.case_id}\t{reasons}\t{g.quote}")


@learn_command.command("flag")
@click.argument("case")
@click.option("--reason", required=True, help="Why this is a golden complaint.")
@_ACTOR
@click.pass_obj
def flag_command(ctx: Context, case: str, reason: str, actor: str) -> None:
    """Flag CASE as a golden complaint."""
    with _kit(ctx) as kit:
        learning = kit.learning
        learning.flag_golden(learning.case_id(case), actor=actor, reason=reason)
        click.echo(f"{case}: flagged as golden complaint", err=True)


# -- improvement actions ----------------------------------------------------------------


@learn_command.group("action")
def action_group() -> None:
    """Improvement actions: record decisions, follow them up, finish them."""


@action_group.command("add")
@click.option("--title", required=True)
@click.option("--owner", required=True)
@click.option("--target-group", required=True, help="Who has to learn or change (leerdoelgroep).")
@click.option("--due", type=_DAY)
@click.option("--description")
@click.option("--case", "cases", multiple=True, help="Case id or number it answers; repeatable.")
@click.option("--theme", "themes", multiple=True, help="Theme code; repeatable.")
@click.option("--origin", help="Where it was decided, e.g. 'verbeteroverleg 2026-04-02'.")
@_ACTOR
@click.pass_obj
def action_add_command(
    ctx: Context,
    title: str,
    owner: str,
    target_group: str,
    due: datetime | None,
    description: str | None,
    cases: tuple[str, ...],
    themes: tuple[str, ...],
    origin: str | None,
    actor: str,
) -> None:
    """Record an improvement action (a decision of the improvement meeting)."""
    with _kit(ctx) as kit:
        learning = kit.learning
        action = learning.add_action(
            title,
            owner=owner,
            target_group=target_group,
            actor=actor,
            due=None if due is None else due.date(),
            description=description,
            cases=[learning.case_id(c) for c in cases],
            themes=themes,
            origin=origin,
        )
    click.echo(action.id)


@action_group.command("list")
@click.option("--status", type=click.Choice([s.value for s in ActionStatus]))
@click.pass_obj
def action_list_command(ctx: Context, status: str | None) -> None:
    """The improvement actions: id, status, due date, owner, target group, title."""
    today = date.today()
    with _kit(ctx) as kit:
        for a in kit.learning.actions(status):
            late = " (overdue)" if a.overdue(today) else ""
            click.echo(
                f"{a.id}\t{a.status.value}{late}\t{a.due or '-'}\t{a.owner}\t{a.target_group}\t"
                f"{a.title}"
            )


@action_group.command("done")
@click.argument("action_id", type=click.UUID)
@click.option("--change", "change_made", required=True, help="What was changed.")
@click.option("--no-notify", is_flag=True, help="Do not tell the customers.")
@_ACTOR
@click.pass_obj
def action_done_command(
    ctx: Context, action_id: uuid.UUID, change_made: str, no_notify: bool, actor: str
) -> None:
    """Finish an action and tell its customers: "you said, we did"."""
    with _kit(ctx) as kit:
        action = kit.learning.complete_action(
            action_id, change_made, actor=actor, notify=not no_notify
        )
    vias: dict[str, int] = {}
    for notice in action.notices:
        vias[notice.via] = vias.get(notice.via, 0) + 1
    told = ", ".join(f"{via}: {n}" for via, n in sorted(vias.items())) or "nobody"
    click.echo(f"{action.title}: done; customers told ({told})", err=True)


# -- meetings and reports ---------------------------------------------------------------


@learn_command.command("agenda")
@click.option("--since", type=_DAY, required=True, help="Feedback received from this day.")
@click.option("--until", type=_DAY, help="... up to and including this day (default: today).")
@_LANG
@_out("Agenda file (.md, .html, .pdf, .json); repeatable. Default: Markdown on stdout.")
@click.pass_obj
def agenda_command(
    ctx: Context,
    since: datetime,
    until: datetime | None,
    lang: str,
    outputs: tuple[Path, ...],
) -> None:
    """The agenda of the improvement meeting: new and rising themes, golden complaints,
    overdue actions and quotes. Record the decisions with `learn action add`."""
    from feedbackkit.learning.agenda import agenda

    last = (until or datetime.now()).date()
    if last < since.date():
        raise click.BadParameter("lies before --since", param_hint="--until")
    period = Period(
        f"{since.date()}/{last + timedelta(days=1)}", since.date(), last + timedelta(days=1)
    )
    with _kit(ctx) as kit:
        report = agenda(kit.learning, period, lang=lang)
        write_report(ctx.plugins, report, outputs)


@learn_command.command("spotlight")
@click.option("--week", "week_text", required=True, metavar="YYYY-Www", help="e.g. 2026-W14.")
@_LANG
@_out("Output file (.md, .html, .pdf, .json); repeatable. Default: Markdown on stdout.")
@click.pass_obj
def spotlight_command(ctx: Context, week_text: str, lang: str, outputs: tuple[Path, ...]) -> None:
    """Feedback Friday: exemplary handled cases of the week and their handlers."""
    from feedbackkit.learning.spotlight import spotlight

    week = _period(week_text)
    if week.kind != "week":
        raise click.BadParameter(f"{week_text!r} is no ISO week such as 2026-W14")
    with _kit(ctx) as kit:
        write_report(ctx.plugins, spotlight(kit.learning, week, lang=lang), outputs)


@learn_command.command("report")
@click.option(
    "--period", "period_text", required=True, metavar="PERIOD", help="2026-Q3, 2026-03, 2026..."
)
@click.option("--public", is_flag=True, help="Personal data removed, no case numbers or staff.")
@_LANG
@_out("Report file (.html, .pdf, .md, .json); repeatable.")
@click.pass_obj
def report_command(
    ctx: Context, period_text: str, public: bool, lang: str, outputs: tuple[Path, ...]
) -> None:
    """The learning report: anecdotes and quotes first, emotions, themes, actions and their
    effect, the relationship outcome; counts as context only."""
    from feedbackkit.learning.report import learning_report

    period = _period(period_text)
    with _kit(ctx) as kit:
        report = learning_report(kit.learning, period, lang=lang, public=public)
        write_report(ctx.plugins, report, outputs)


COMMANDS = (learn_command,)

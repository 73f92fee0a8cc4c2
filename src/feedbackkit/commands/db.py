"""``feedbackkit db``: the schema revision of an SQL database (SQLite, PostgreSQL).

``db upgrade [REV]``, ``db downgrade REV``, ``db current`` and ``db history`` take
the database of ``--db`` through the Alembic revisions shipped in the package
(:mod:`feedbackkit.migrations`); opening a store upgrades it to head anyway, so
these are for looking, for upgrading ahead of a deployment and for going back.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click
import sqlalchemy as sa
from alembic.script import Script, ScriptDirectory
from alembic.util import CommandError

from feedbackkit import migrations
from feedbackkit.service import resolve_url
from feedbackkit.storage.engine import POSTGRES_SCHEMES

if TYPE_CHECKING:
    from feedbackkit.cli import Context

__all__ = ["COMMANDS", "db_group"]


def _database(ctx: Context, *, create: bool = False) -> str:
    """The SQL URL of ``--db``; a missing SQLite file is an error unless ``create``."""
    url = sa.make_url(resolve_url(ctx.db))
    backend = url.drivername.partition("+")[0]
    if backend not in ("sqlite", *POSTGRES_SCHEMES):
        raise click.UsageError(
            f"--db {ctx.db}: migrations apply to SQLite and PostgreSQL databases, not {backend}"
        )
    if backend == "sqlite" and not create and not Path(url.database or "").is_file():
        raise click.UsageError(f"--db {ctx.db}: no such SQLite database file")
    return url.render_as_string(hide_password=False)


def _shown(url: str) -> str:
    return sa.make_url(url).render_as_string(hide_password=True)


def _moved(url: str, before: str | None) -> None:
    after = migrations.current(url)
    click.echo(f"{_shown(url)}: {before or 'base'} -> {after or 'base'}", err=True)


def _revisions() -> list[Script]:
    """Every revision, oldest first."""
    script = ScriptDirectory.from_config(migrations.config(""))
    return list(reversed(list(script.walk_revisions())))


def _title(script: Script) -> str:
    """The revision's docstring up to its first colon or full stop, on one line."""
    text = " ".join(script.doc.split())
    return re.split(r"[:.](?:\s|$)", text, maxsplit=1)[0]


@contextmanager
def _alembic_errors() -> Iterator[None]:
    """Alembic's complaints (an unknown revision, a downgrade target above the current
    one...) as a one-line CLI error."""
    try:
        yield
    except CommandError as exc:
        raise click.ClickException(str(exc)) from None


@click.group("db")
def db_group() -> None:
    """Show or change the schema revision of the --db database (SQLite or PostgreSQL)."""


@db_group.command("current")
@click.pass_obj
def current_command(ctx: Context) -> None:
    """Print the revision the database is at, and whether it is the newest."""
    at = migrations.current(_database(ctx))
    titles = {script.revision: _title(script) for script in _revisions()}
    head = migrations.head()
    if at is None:
        click.echo(f"base (no tables): the newest revision is {head}")
    elif at not in titles:
        click.echo(f"{at}: unknown to this feedbackkit (migrated by a newer version?)")
    else:
        status = "up to date" if at == head else f"behind, the newest revision is {head}"
        click.echo(f"{at} ({titles[at]}): {status}")


@db_group.command("history")
@click.pass_obj
def history_command(ctx: Context) -> None:
    """List every revision, oldest first; * marks the database's."""
    at = migrations.current(_database(ctx))
    for script in _revisions():
        mark = "*" if script.revision == at else " "
        head = " (head)" if script.is_head else ""
        click.echo(f"{mark} {script.revision:<10} {_title(script)}{head}")


@db_group.command("upgrade")
@click.argument("revision", default="head")
@click.pass_obj
def upgrade_command(ctx: Context, revision: str) -> None:
    """Migrate the database up to REVISION (default: head); creates a new SQLite file."""
    url = _database(ctx, create=True)
    before = migrations.current(url)
    with _alembic_errors():
        migrations.upgrade(url, revision)
    _moved(url, before)


@db_group.command("downgrade")
@click.argument("revision")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_obj
def downgrade_command(ctx: Context, revision: str, yes: bool) -> None:
    """Migrate the database down to REVISION (``base``: drop every table).

    Tables and columns added after REVISION are dropped with their data.
    """
    url = _database(ctx)
    before = migrations.current(url)
    if not yes:
        click.confirm(
            f"Downgrade {_shown(url)} from {before or 'base'} to {revision}, dropping the "
            "tables and columns added since, with their data?",
            abort=True,
        )
    with _alembic_errors():
        migrations.downgrade(url, revision)
    _moved(url, before)


COMMANDS = (db_group,)

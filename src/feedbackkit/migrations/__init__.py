"""feedbackkit's database migrations: Alembic, shipped in the package.

One history serves SQLite and PostgreSQL (batch mode on SQLite). Opening a SQL
store brings its schema to head (:func:`ensure_head`); :func:`upgrade` and
:func:`downgrade` move a database explicitly (``feedbackkit db upgrade/downgrade``).
Revision files are named ``revNNNN_slug.py`` in ``feedbackkit/migrations/versions``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError

from feedbackkit.errors import FeedbackkitError
from feedbackkit.storage.engine import WRITE, make_engine

__all__ = ["config", "connect", "current", "downgrade", "ensure_head", "head", "upgrade"]

SCRIPT_LOCATION = "feedbackkit:migrations"


def config(url: str | sa.URL) -> Config:
    """The Alembic configuration for the database at ``url``."""
    text = url.render_as_string(hide_password=False) if isinstance(url, sa.URL) else url
    cfg = Config()
    cfg.set_main_option("script_location", SCRIPT_LOCATION)
    cfg.set_main_option("file_template", "rev%%(rev)s_%%(slug)s")
    cfg.set_main_option("path_separator", "os")
    cfg.set_main_option("sqlalchemy.url", text.replace("%", "%%"))
    return cfg


def upgrade(url: str | sa.URL, revision: str = "head") -> None:
    """Migrate the database at ``url`` up to ``revision``."""
    command.upgrade(config(url), revision)


def downgrade(url: str | sa.URL, revision: str) -> None:
    """Migrate the database at ``url`` down to ``revision`` (``base`` removes every table)."""
    command.downgrade(config(url), revision)


def head() -> str:
    """The newest revision this version of feedbackkit knows."""
    return ScriptDirectory.from_config(config("")).get_current_head() or ""


def current(url: str | sa.URL) -> str | None:
    """The revision the database at ``url`` is at (``None`` when it has none)."""
    engine = make_engine(url)
    try:
        return _current(engine)
    finally:
        engine.dispose()


def ensure_head(engine: sa.Engine) -> None:
    """Upgrade the database behind ``engine`` to head unless it is there already.

    Raises :class:`FeedbackkitError` when the database is at a revision this
    version of feedbackkit does not know (it was migrated by a newer one).
    """
    cfg = config(engine.url)
    script = ScriptDirectory.from_config(cfg)
    at = _current(engine)
    if at == script.get_current_head():
        return
    if at is not None:
        try:
            script.get_revision(at)
        except CommandError:
            raise FeedbackkitError(
                f"{engine.url!r}: schema revision {at!r} is unknown to this feedbackkit "
                "(migrated by a newer version?)"
            ) from None
    with connect(engine) as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")


def _current(engine: sa.Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


@contextmanager
def connect(engine: sa.Engine) -> Iterator[sa.Connection]:
    """A connection to migrate on; on SQLite foreign keys are not enforced while it is out,
    so rebuilding a table in batch mode cannot cascade deletes to its children."""
    with engine.connect() as connection:
        if connection.dialect.name != "sqlite":
            yield connection
            return
        connection.execution_options(**{WRITE: True})  # BEGIN IMMEDIATE: one migrator at a time
        _foreign_keys(connection, on=False)
        try:
            yield connection
        finally:
            connection.rollback()
            _foreign_keys(connection, on=True)


def _foreign_keys(connection: sa.Connection, *, on: bool) -> None:
    cursor = connection.connection.cursor()  # the driver's own: outside any transaction
    cursor.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")
    cursor.close()

"""Alembic environment: runs feedbackkit's migrations in one transaction.

It uses the connection handed in ``config.attributes["connection"]`` (the store
does that), else opens one for the ``sqlalchemy.url`` option. Either way the
connection comes from :func:`feedbackkit.migrations.connect`: foreign keys off on
SQLite, so batch-mode table rebuilds cannot cascade; they are checked before commit.
Concurrent migrators (processes opening a new database at once) take turns: SQLite's
write lock (``BEGIN IMMEDIATE``), or an advisory lock on PostgreSQL; each reads the
revision after it has the lock, so the later one finds nothing left to do.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context

from feedbackkit.errors import FeedbackkitError
from feedbackkit.migrations import connect
from feedbackkit.storage.engine import make_engine
from feedbackkit.storage.schema import metadata

_LOCK = 0x6665_6564_6B69_74  # "feedkit": the advisory lock migrations hold on PostgreSQL


def _migrate(connection: sa.Connection) -> None:
    sqlite = connection.dialect.name == "sqlite"
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=sqlite)
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":  # one migrator at a time, e.g. on start-up
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_LOCK})")
        context.run_migrations()
        if sqlite:
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
            if broken:
                raise FeedbackkitError(f"migration left dangling foreign keys: {broken[:5]}")


def _run() -> None:
    given = context.config.attributes.get("connection")
    if given is not None:
        _migrate(given)
        return
    engine = make_engine(context.config.get_main_option("sqlalchemy.url") or "")
    try:
        with connect(engine) as connection:
            _migrate(connection)
    finally:
        engine.dispose()


_run()

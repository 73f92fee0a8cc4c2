"""SQLAlchemy engines for the SQL store, with the per-dialect settings in one place.

SQLite gets WAL journaling, foreign keys, a 30 s busy timeout and SQLAlchemy-emitted
``BEGIN``: write transactions (marked with the :data:`WRITE` execution option) take
the write lock at once with ``BEGIN IMMEDIATE``, so concurrent writers queue
instead of failing halfway. PostgreSQL URLs run on psycopg 3 (:func:`normalise_url`).
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event

from feedbackkit.errors import FeedbackkitError

__all__ = ["CACHE_KIB", "POSTGRES_SCHEMES", "WRITE", "make_engine", "normalise_url"]

WRITE = "feedbackkit_write"
"""Execution option marking a connection whose transaction will write."""

_SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA temp_store=MEMORY",
)

CACHE_KIB = 65_536
"""SQLite's page cache per connection, in KiB (64 MiB)."""


POSTGRES_SCHEMES = ("postgresql", "postgres")
"""URL schemes of PostgreSQL databases; every one runs on psycopg 3."""


def normalise_url(url: str | sa.URL) -> sa.URL:
    """``url`` with a PostgreSQL URL (``postgres://``, ``postgresql://``) set to the
    psycopg 3 driver; :class:`FeedbackkitError` if it names another driver or psycopg
    is not installed."""
    parsed = sa.make_url(url)
    backend, _, driver = parsed.drivername.partition("+")
    if backend not in POSTGRES_SCHEMES:
        return parsed
    if driver not in ("", "psycopg"):
        raise FeedbackkitError(
            f"{parsed}: feedbackkit talks to PostgreSQL through psycopg 3 "
            f"(postgresql+psycopg://), not {driver}"
        )
    try:
        import psycopg  # noqa: F401
    except ImportError:
        raise FeedbackkitError(
            "PostgreSQL needs psycopg 3: pip install 'feedbackkit[postgresql]'"
        ) from None
    return parsed.set(drivername="postgresql+psycopg")


def make_engine(url: str | sa.URL, *, cache_kib: int = CACHE_KIB) -> sa.Engine:
    """An engine for ``url``; a SQLite URL must name a file (use ``memory://`` otherwise).

    ``cache_kib``: SQLite's page cache per connection.
    """
    parsed = normalise_url(url)
    if parsed.get_backend_name() != "sqlite":
        return sa.create_engine(parsed)
    if parsed.database in (None, "", ":memory:"):
        raise FeedbackkitError(
            f"{parsed}: an SQLite store needs a database file; use memory:// for an in-memory store"
        )
    folder = Path(parsed.database).parent
    if not folder.is_dir():
        raise FeedbackkitError(f"{parsed}: the folder {folder} does not exist")
    engine = sa.create_engine(parsed, connect_args={"timeout": 30})
    event.listen(engine, "connect", functools.partial(_sqlite_connect, cache_kib=cache_kib))
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_connect(dbapi_connection: Any, connection_record: Any, *, cache_kib: int) -> None:
    dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself (_sqlite_begin)
    cursor = dbapi_connection.cursor()
    for pragma in (*_SQLITE_PRAGMAS, f"PRAGMA cache_size=-{int(cache_kib)}"):
        cursor.execute(pragma)
    cursor.close()


def _sqlite_begin(connection: sa.Connection) -> None:
    write = connection.get_execution_options().get(WRITE, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

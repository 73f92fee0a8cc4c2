"""The built-in stores: ``memory`` (``memory://``), ``sqlite`` (``sqlite:///PATH``) and
``postgresql`` (``postgresql://USER@HOST:PORT/DB``; needs the ``postgresql`` extra)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

from feedbackkit.hookspecs import hookimpl
from feedbackkit.storage.memory import MemoryStore
from feedbackkit.storage.protocol import Store

__all__ = ["MemoryStoreFactory", "SqlStoreFactory"]


class MemoryStoreFactory:
    """Opens a new, empty in-memory store for every ``memory://`` URL."""

    name = "memory"
    schemes = ("memory",)

    def open(self, url: str) -> Store:
        return MemoryStore()


@attrs.frozen
class SqlStoreFactory:
    """Opens an SQL database with :class:`~feedbackkit.storage.sql.SqlStore`, upgrading
    its schema to the newest first (an SQLite file is created when missing)."""

    name: str
    schemes: tuple[str, ...]

    def open(self, url: str) -> Store:
        from feedbackkit.storage.sql import SqlStore  # SQLAlchemy loads only when needed

        return SqlStore.open(url)


@hookimpl(trylast=True)
def feedbackkit_register_stores(register: Callable[[Any], None]) -> None:
    register(MemoryStoreFactory())
    register(SqlStoreFactory("sqlite", ("sqlite",)))
    # postgres://, postgresql:// and postgresql+psycopg:// all run on psycopg 3
    # (feedbackkit.storage.engine.normalise_url names the extra when it is missing).
    register(SqlStoreFactory("postgresql", ("postgresql", "postgres")))

"""Executemany at driver speed, for the ingest hot path.

An INSERT is compiled once for the engine's dialect; each row's values are
converted by the column types' own bind processors and the rows go to the
driver's ``executemany`` in one call. This skips SQLAlchemy's per-row parameter
bookkeeping, which otherwise takes about as long as SQLite's own work.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs
import sqlalchemy as sa

__all__ = ["BulkInsert"]


@attrs.frozen
class BulkInsert:
    """One compiled INSERT (into every column of its table) and how to bind a row to it."""

    sql: str
    keys: tuple[str, ...]
    """Column names in the order the statement takes its parameters."""
    processors: tuple[tuple[int, Callable[[Any], Any]], ...]
    """``(position, bind processor)`` for the columns whose type converts values."""
    positional: bool

    @classmethod
    def compile(cls, stmt: sa.Insert, dialect: sa.Dialect) -> BulkInsert:
        """Prepare ``stmt`` (e.g. ``table.insert()``, with ``ON CONFLICT``...) for ``dialect``."""
        table = stmt.table
        assert isinstance(table, sa.Table)
        names = [c.name for c in table.columns]
        compiled = stmt.compile(dialect=dialect, column_keys=names)
        keys = tuple(compiled.positiontup or names) if compiled.positional else tuple(names)
        processors = []
        for position, key in enumerate(keys):
            processor = table.c[key].type.dialect_impl(dialect).bind_processor(dialect)
            if processor is not None:
                processors.append((position, processor))
        return cls(str(compiled), keys, tuple(processors), compiled.positional)

    def execute(self, conn: sa.Connection, rows: Sequence[Mapping[str, Any]]) -> int:
        """Insert ``rows`` (mappings holding every column) with one executemany; rows written."""
        get = operator.itemgetter(*self.keys)
        params: list[Any] = []
        for row in rows:
            values = list(get(row))
            for position, processor in self.processors:
                values[position] = processor(values[position])
            params.append(
                tuple(values) if self.positional else dict(zip(self.keys, values, strict=True))
            )
        return conn.exec_driver_sql(self.sql, params).rowcount

"""Models to rows and back, through the one converter: no field is mapped by hand.

A :class:`RowMap` pairs a model with a table whose column names are the model's
attribute names. Unstructured fields without a column go to the table's JSON
``extra`` column (if it has one); fields stored in child tables are passed apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Generic, TypeVar, cast

import attrs
import sqlalchemy as sa

from feedbackkit.converter import structure, unstructure

__all__ = ["RowMap"]

T = TypeVar("T")

EXTRA = "extra"


@attrs.frozen
class RowMap(Generic[T]):
    """How instances of ``model`` are stored in ``table``."""

    model: type[T]
    table: sa.Table
    children: frozenset[str] = frozenset()
    """Model fields stored in child tables: left out of the row, supplied on load."""
    keys: tuple[str, ...] = attrs.field(init=False)
    """The model fields stored in columns (all columns except ``extra``)."""
    exact: bool = attrs.field(init=False)
    """True when the unstructured model is the row as it is (no extra, no children)."""

    @keys.default
    def _keys(self) -> tuple[str, ...]:
        fields = {f.name for f in attrs.fields(cast(Any, self.model))}
        names = tuple(c.name for c in self.table.columns if c.name != EXTRA)
        unknown = set(names) - fields
        if unknown:
            raise TypeError(f"{self.table.name}: columns {sorted(unknown)} are no model fields")
        homeless = fields - set(names) - self.children
        if homeless and EXTRA not in self.table.c:
            raise TypeError(f"{self.table.name}: no column for {sorted(homeless)}")
        return names

    @exact.default
    def _exact(self) -> bool:
        return not self.children and EXTRA not in self.table.c

    @property
    def columns(self) -> list[sa.Column[Any]]:
        """The columns to select for :meth:`load`."""
        return [self.table.c[k] for k in self.keys] + (
            [self.table.c[EXTRA]] if EXTRA in self.table.c else []
        )

    def row(self, obj: T) -> dict[str, Any]:
        """The row for ``obj`` (child fields left out)."""
        data: dict[str, Any] = unstructure(obj)
        return data if self.exact else self.split(data)

    def split(self, data: dict[str, Any]) -> dict[str, Any]:
        """A row from unstructured ``data`` (consumed): columns, and the rest as ``extra``."""
        for name in self.children:
            del data[name]
        row = {k: data.pop(k) for k in self.keys}
        if EXTRA in self.table.c:
            row[EXTRA] = data
        return row

    def load(self, row: Mapping[Any, Any], **children: Any) -> T:
        """The model from a row selected with :attr:`columns` plus its child fields."""
        data = dict(row)
        data.update(data.pop(EXTRA, None) or {})
        data.update(children)
        return structure(data, self.model)

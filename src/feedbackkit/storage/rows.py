"""Models to rows and back, through the one converter: no field is mapped by hand.

A :class:`RowMap` pairs a model with a table whose column names are the model's
attribute names. Unstructured fields without a column go to the table's JSON
``extra`` column (if it has one); fields stored in child tables are passed apart;
``owner`` columns (a child row's case id and position) are given by the caller.

:meth:`RowMap.row` is the reference: the converter's dict, bound to a statement
through the columns' types. :meth:`RowMap.encoder` is the bulk path: per column
the converter's own unstructure hook for the field's type composed with the
column type's bind processor, applied to the attribute directly (no dict per
row), with a few shortcuts that give equal values faster. Both give the same
driver values (``tests/test_store_bulk_rows.py`` checks it).
"""

from __future__ import annotations

import operator
import types
import typing
import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from typing import Any, Generic, TypeVar, cast

import attrs
import sqlalchemy as sa
from cattrs.fns import identity

from feedbackkit.converter import converter, structure, unstructure
from feedbackkit.storage.schema import UtcDateTime, sqlite_moment

__all__ = ["DEFERRABLE", "RowMap", "Step", "apply_steps", "value_encoder"]

T = TypeVar("T")

EXTRA = "extra"

Encode = Callable[[Any], Any]
Step = tuple[int, Encode]
"""A value's position in a row and the function making its driver value."""


@attrs.frozen
class RowMap(Generic[T]):
    """How instances of ``model`` are stored in ``table``."""

    model: type[T]
    table: sa.Table
    children: frozenset[str] = frozenset()
    """Model fields stored in child tables: left out of the row, supplied on load."""
    owner: tuple[str, ...] = ()
    """Leading columns that are no model field (a child row's case id and position)."""
    keys: tuple[str, ...] = attrs.field(init=False)
    """The model fields stored in columns (all columns except ``extra`` and ``owner``)."""
    exact: bool = attrs.field(init=False)
    """True when the unstructured model is the row as it is (no extra, no children)."""

    @keys.default
    def _keys(self) -> tuple[str, ...]:
        fields = {f.name for f in attrs.fields(cast(Any, self.model))}
        names = tuple(c.name for c in self.table.columns if c.name not in (EXTRA, *self.owner))
        unknown = set(names) - fields
        if unknown:
            raise TypeError(f"{self.table.name}: columns {sorted(unknown)} are no model fields")
        homeless = fields - set(names) - self.children
        if homeless and EXTRA not in self.table.c:
            raise TypeError(f"{self.table.name}: no column for {sorted(homeless)}")
        return names

    @exact.default
    def _exact(self) -> bool:
        return not self.children and not self.owner and EXTRA not in self.table.c

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

    def encoder(
        self, dialect: sa.Dialect, order: Sequence[str], *, defer: bool = False
    ) -> Callable[[T], tuple[Any, ...]]:
        """A function giving the driver values of ``obj``'s row, columns in ``order``
        (``owner`` columns left out): what binding :meth:`row` to ``dialect`` gives.

        ``defer``: leave the values of :data:`DEFERRABLE` columns as they are, for
        :meth:`deferred` to bind later (in another process).
        """
        hints = typing.get_type_hints(self.model)
        columns = [k for k in order if k not in self.owner]
        fields = [k for k in columns if k != EXTRA]
        get = operator.attrgetter(*fields)
        steps = tuple(
            (position, step)
            for position, key in enumerate(fields)
            if (step := value_encoder(hints[key], self.table.c[key], dialect)) is not None
            and not (defer and _deferrable(self.table.c[key]))
        )
        extra = self._extra(dialect, hints, bind=not defer) if EXTRA in columns else None
        at = columns.index(EXTRA) if extra is not None else -1
        single = len(fields) == 1

        def encode(obj: T) -> tuple[Any, ...]:
            values = [get(obj)] if single else list(get(obj))
            apply_steps(values, steps)
            if extra is not None:
                values.insert(at, extra(obj))
            return tuple(values)

        return encode

    def deferred(self, dialect: sa.Dialect, order: Sequence[str]) -> tuple[Step, ...]:
        """What an encoder made with ``defer`` left to do: ``(position, step)`` for each
        :data:`DEFERRABLE` column, positions in its tuples."""
        hints = typing.get_type_hints(self.model)
        columns = [k for k in order if k not in self.owner]
        found: list[Step] = []
        for position, key in enumerate(columns):
            column = self.table.c[key]
            if not _deferrable(column):
                continue
            if key == EXTRA:
                step: Encode | None = _processor(column, dialect)
            else:
                step = value_encoder(hints[key], column, dialect)
            if step is not None:
                found.append((position, step))
        return tuple(found)

    def _extra(
        self, dialect: sa.Dialect, hints: dict[str, Any], *, bind: bool = True
    ) -> Callable[[T], Any]:
        """The driver value of the ``extra`` column: the fields without a column,
        unstructured (``bind=False``: the unstructured dict)."""
        stored = {*self.keys, *self.children}
        hooks = tuple(
            (f.name, converter.get_unstructure_hook(hints[f.name]))
            for f in attrs.fields(cast(Any, self.model))
            if f.name not in stored
        )
        processor = (_processor(self.table.c[EXTRA], dialect) if bind else None) or identity

        def extra(obj: T) -> Any:
            return processor({name: hook(getattr(obj, name)) for name, hook in hooks})

        return extra


def value_encoder(kind: Any, column: sa.Column[Any], dialect: sa.Dialect) -> Encode | None:
    """The driver value of an attribute of type ``kind`` stored in ``column``: the
    converter's unstructure hook, then the column's bind processor (``None``: as it is)."""
    inner = _optional(kind)
    if inner is not None:
        encode = value_encoder(inner, column, dialect)
        return None if encode is None else _none_passes(encode)
    processor = _processor(column, dialect)
    column_type = column.type
    if (
        kind is uuid.UUID
        and isinstance(column_type, sa.Uuid)
        and not (column_type.as_uuid or dialect.supports_native_uuid)
        and processor is not None
    ):
        return _HEX  # str(value) without dashes, as the processor makes it
    if kind is datetime and isinstance(column_type, UtcDateTime):
        # aware datetimes as they are (not the converter's ISO text)
        return sqlite_moment if dialect.name == "sqlite" else processor
    if kind is date and isinstance(column_type, sa.Date):
        # dates as they are (not the converter's ISO text); SQLite's processor writes ISO
        return _ISO_DATE if processor is not None and dialect.name == "sqlite" else processor
    if typing.get_origin(kind) in (Mapping, dict) and isinstance(column_type, sa.JSON):
        assert processor is not None
        return _json(converter.get_unstructure_hook(kind), processor)
    hook = converter.get_unstructure_hook(kind)
    if hook is identity:
        return processor
    if processor is None:
        return hook
    return lambda value: processor(hook(value))


def apply_steps(values: list[Any], steps: Sequence[Step]) -> None:
    """Replace, in place, the value at each step's position by what its function makes."""
    for position, step in steps:
        values[position] = step(values[position])


DEFERRABLE = (UtcDateTime, sa.JSON)
"""Column types whose values an encoder can leave for later (:meth:`RowMap.deferred`):
rendering moments and JSON documents is much of the work, and their values pickle."""


def _deferrable(column: sa.Column[Any]) -> bool:
    return isinstance(column.type, DEFERRABLE)


_HEX = operator.attrgetter("hex")
_ISO_DATE = date.isoformat


def _processor(column: sa.Column[Any], dialect: sa.Dialect) -> Encode | None:
    return column.type.dialect_impl(dialect).bind_processor(dialect)


def _optional(kind: Any) -> Any:
    """``X`` for ``X | None`` (or ``Optional[X]``), else ``None``."""
    if typing.get_origin(kind) not in (typing.Union, types.UnionType):
        return None
    args = [a for a in typing.get_args(kind) if a is not type(None)]
    return args[0] if len(args) == 1 and len(typing.get_args(kind)) == 2 else None


def _none_passes(encode: Encode) -> Encode:
    return lambda value: None if value is None else encode(value)


def _json(hook: Encode, bind: Encode) -> Encode:
    """A JSON mapping: plain JSON values are bound as they are (the converter would copy
    them unchanged); anything else (a UUID, a date...) goes through the converter."""
    empty = bind(hook({}))

    def encode(value: Mapping[str, Any]) -> Any:
        if not value:
            return empty
        try:
            return bind(value)
        except TypeError:
            return bind(hook(value))

    return encode

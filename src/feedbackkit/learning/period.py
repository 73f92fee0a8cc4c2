"""Periods the learning loop reports on: a year, quarter, month, ISO week or one day.

``parse_period("2026-Q3")`` gives the days 1 July to 30 September 2026;
:meth:`Period.previous` the period of the same kind before it (the trend's baseline).
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

import attrs

from feedbackkit.clock import AMSTERDAM
from feedbackkit.errors import ValidationError
from feedbackkit.storage.protocol import Query

__all__ = ["Period", "parse_period"]

_FORMS = (
    (re.compile(r"^(\d{4})$"), "year"),
    (re.compile(r"^(\d{4})-Q([1-4])$"), "quarter"),
    (re.compile(r"^(\d{4})-W(\d{2})$"), "week"),
    (re.compile(r"^(\d{4})-(\d{2})$"), "month"),
    (re.compile(r"^(\d{4})-(\d{2})-(\d{2})$"), "day"),
)


@attrs.frozen
class Period:
    """The days ``start`` up to (not including) ``end``, named ``label``."""

    label: str
    start: date
    end: date
    kind: str = "days"
    """``year``, ``quarter``, ``month``, ``week``, ``day`` or ``days`` (any span)."""

    def __attrs_post_init__(self) -> None:
        if self.end <= self.start:
            raise ValidationError("period", f"{self.label}: ends before it starts")

    @property
    def last(self) -> date:
        """The last day in the period."""
        return self.end - timedelta(days=1)

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    @property
    def starts(self) -> datetime:
        """Midnight at the start of the period (Amsterdam)."""
        return _midnight(self.start)

    @property
    def ends(self) -> datetime:
        """Midnight after the period's last day."""
        return _midnight(self.end)

    def contains(self, day: date) -> bool:
        return self.start <= day < self.end

    def query(self, **filters: object) -> Query:
        """The cases received in the period (plus any other :class:`Query` filters)."""
        return Query(
            received_from=self.starts,
            received_until=self.ends,
            **filters,  # type: ignore[arg-type]
        )

    def previous(self) -> Period:
        """The period of the same kind just before this one."""
        if self.kind in ("year", "quarter", "month"):
            step = {"year": 12, "quarter": 3, "month": 1}[self.kind]
            months = self.start.year * 12 + self.start.month - 1 - step
            start = date(months // 12, months % 12 + 1, 1)
            return _named(self.kind, start)
        return _named(self.kind, self.start - timedelta(days=self.days), self.days)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), AMSTERDAM)


def _named(kind: str, start: date, days: int = 1) -> Period:
    """The period of ``kind`` starting on ``start`` (``days`` long for ``days``)."""
    if kind == "year":
        return Period(f"{start.year}", start, date(start.year + 1, 1, 1), kind)
    if kind in ("quarter", "month"):
        step = 3 if kind == "quarter" else 1
        months = start.year * 12 + start.month - 1 + step
        end = date(months // 12, months % 12 + 1, 1)
        label = (
            f"{start.year}-Q{(start.month - 1) // 3 + 1}"
            if kind == "quarter"
            else f"{start.year}-{start.month:02d}"
        )
        return Period(label, start, end, kind)
    if kind == "week":
        year, week, _ = start.isocalendar()
        return Period(f"{year}-W{week:02d}", start, start + timedelta(days=7), kind)
    if kind == "day":
        return Period(start.isoformat(), start, start + timedelta(days=1), kind)
    end = start + timedelta(days=days)
    return Period(f"{start.isoformat()}/{end.isoformat()}", start, end, kind)


def parse_period(text: str) -> Period:
    """``2026``, ``2026-Q3``, ``2026-03``, ``2026-W14``, ``2026-03-02`` or
    ``2026-03-02/2026-04-01`` (end excluded); anything else raises :class:`ValidationError`."""
    value = text.strip()
    if "/" in value:
        first, _, last = value.partition("/")
        start, end = _day(first), _day(last)
        if end <= start:
            raise ValidationError("period", f"{value!r}: the end must lie after the start")
        return Period(value, start, end, "days")
    for pattern, kind in _FORMS:
        found = pattern.match(value)
        if found is None:
            continue
        numbers = [int(g) for g in found.groups()]
        try:
            if kind == "year":
                return _named(kind, date(numbers[0], 1, 1))
            if kind == "quarter":
                return _named(kind, date(numbers[0], 3 * numbers[1] - 2, 1))
            if kind == "month":
                return _named(kind, date(numbers[0], numbers[1], 1))
            if kind == "week":
                return _named(kind, date.fromisocalendar(numbers[0], numbers[1], 1))
            return _named(kind, date(numbers[0], numbers[1], numbers[2]))
        except ValueError as exc:
            raise ValidationError("period", f"{value!r}: {exc}") from None
    raise ValidationError(
        "period",
        f"{value!r} is no period; use 2026, 2026-Q3, 2026-03, 2026-W14, 2026-03-02 "
        "or 2026-03-02/2026-04-01",
    )


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError("period", f"{text!r} is no date (YYYY-MM-DD)") from None

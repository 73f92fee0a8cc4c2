"""The demo year: which day each item arrives on, working days (Atw calendar), office hours.

Items are spread over the year by a fixed weight per day (working days are
busiest, weekends and holidays quiet, the summer holidays a little quieter), so
slot ``i`` of ``size`` always falls on the same day: follow-ups can be planned
into later slots without holding the stream in memory.
"""

from __future__ import annotations

from bisect import bisect
from datetime import date, datetime, timedelta
from itertools import accumulate

from feedbackkit.clock import AMSTERDAM
from feedbackkit.deadlines import AtwCalendar

__all__ = ["CLOSE_MINUTE", "OPEN_MINUTE", "Period"]

_WORKING, _SATURDAY, _REST = 1.0, 0.35, 0.25
_MONTH_FACTOR = (1.05, 1.0, 1.1, 1.0, 1.0, 1.0, 0.8, 0.75, 1.0, 1.05, 1.05, 0.9)
_HORIZON_DAYS = 400
"""Days after the year that handling may reach (it is cut off at the year's end)."""

OPEN_MINUTE, CLOSE_MINUTE = 8 * 60 + 30, 17 * 60
"""Office hours, as minutes after midnight."""


class Period:
    """One calendar year of ``size`` items, with a working-day table for handling."""

    def __init__(self, year: int, size: int) -> None:
        calendar = AtwCalendar()
        self.year = year
        self.size = size
        self.first = date(year, 1, 1)
        self.length = (date(year + 1, 1, 1) - self.first).days
        self.end = datetime(year, 12, 31, 23, 59, 59, tzinfo=AMSTERDAM)
        """Reference "now" of the demo: nothing happens after it."""
        self.dates = tuple(
            self.first + timedelta(days=n) for n in range(self.length + _HORIZON_DAYS)
        )
        self.working = tuple(calendar.is_working_day(d) for d in self.dates)
        self._working_days = [n for n, w in enumerate(self.working) if w]
        rank, position = [], len(self._working_days)
        for n in reversed(range(len(self.dates))):
            if self.working[n]:
                position -= 1
            rank.append(position)
        self._rank = rank[::-1]
        """Day -> position in ``_working_days`` of the first working day on or after it."""
        self._cumulative = tuple(accumulate(self._weight(n) for n in range(self.length)))
        self._scale = self._cumulative[-1] / size if size else 0.0

    def _weight(self, day: int) -> float:
        when = self.dates[day]
        rest = _SATURDAY if when.weekday() == 5 else _REST
        return (_WORKING if self.working[day] else rest) * _MONTH_FACTOR[when.month - 1]

    # -- slots --------------------------------------------------------------------

    def day_of(self, slot: int) -> int:
        """The day (index from 1 January) on which item ``slot`` arrives."""
        return min(bisect(self._cumulative, (slot + 0.5) * self._scale), self.length - 1)

    def first_slot(self, day: int) -> int:
        """The first slot arriving on ``day`` or later (``size`` if none)."""
        if day <= 0:
            return 0
        if day >= self.length:
            return self.size
        slot = max(0, int(self._cumulative[day - 1] / self._scale - 0.5) - 1)
        while slot < self.size and self.day_of(slot) < day:
            slot += 1
        return slot

    # -- days ---------------------------------------------------------------------

    def index(self, when: date) -> int:
        return (when - self.first).days

    def working_day(self, day: int) -> int:
        """``day`` itself if it is a working day, else the next working day."""
        return self.add_working_days(day, 0)

    def add_working_days(self, day: int, count: int) -> int:
        """The ``count``-th working day after ``day`` (0: ``day`` or the next working day)."""
        try:
            return self._working_days[self._rank[day] + count]
        except IndexError:  # beyond the horizon: long after the period, never recorded
            return len(self.dates) - 1

    def working_day_within_year(self, day: int) -> int:
        """The nearest working day on or after ``day`` in the year, else the one before it."""
        later = self.working_day(day)
        if later < self.length:
            return later
        while not self.working[day]:
            day -= 1
        return day

    def moment(self, day: int, minute: int) -> datetime:
        """``minute`` after midnight on ``day``, in Europe/Amsterdam."""
        when = self.dates[day]
        return datetime(
            when.year, when.month, when.day, minute // 60, minute % 60, tzinfo=AMSTERDAM
        )

"""The Algemene termijnenwet applied to the end of a term (articles 1, 2 and 4).

- art. 1: a term ending on a Saturday, Sunday or holiday runs on to the next day
  that is none of those (not for terms counted backwards; feedbackkit has none);
- art. 2: a term of three days or more is extended so that it contains at least
  two days that are not a Saturday, Sunday or holiday (the first day, the day the
  term counts from, does not count);
- art. 4: the Atw does not apply to terms in hours or longer than three months
  (tested here as more than 90 days, so 12 weeks is covered and 13 is not).
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

from feedbackkit.deadlines.calendar import Calendar, Unit, weekday_name

__all__ = ["AtwArticle", "apply_atw", "atw_exclusion"]

_LONGEST = 90


class AtwArticle(StrEnum):
    """The Atw articles a term can switch on."""

    ROLL_FORWARD = "art1"
    TWO_DAYS = "art2"


def _day(day: date) -> str:
    return f"{weekday_name(day)} {day.isoformat()}"


def atw_exclusion(start: date, end: date, unit: Unit) -> str | None:
    """Why Atw art. 4 keeps the Atw from a term from ``start`` to ``end``, or ``None``."""
    if unit is Unit.HOURS:
        return "Atw art. 4: not applied to a term in hours"
    length = (end - start).days
    if length > _LONGEST:
        return f"Atw art. 4: not applied, the term ({length} days) is longer than three months"
    return None


def apply_atw(
    calendar: Calendar,
    start: date,
    end: date,
    articles: frozenset[AtwArticle],
    *,
    explain: bool = True,
) -> tuple[date, tuple[str, ...]]:
    """The end of a term from ``start`` to ``end`` under the Atw ``articles``; the rules applied.

    ``explain=False``: the same end, without the rules (an empty tuple).
    """
    if not articles:
        return end, ()
    rules: list[str] = []
    long_enough = (end - start).days >= 3
    if AtwArticle.ROLL_FORWARD in articles and calendar.atw_rest_day(end):
        moved = end
        named: list[str] = []
        while (reason := calendar.atw_rest_day(moved)) is not None:
            if explain and moved.weekday() < 5:
                named.append(f"{reason} {moved.isoformat()}")
            moved += timedelta(days=1)
        if explain:
            why = f" ({', '.join(named)})" if named else ""
            rules.append(f"Atw art. 1: moved from {_day(end)} to {_day(moved)}{why}")
        end = moved
    if AtwArticle.TWO_DAYS in articles and long_enough:
        day, counted = start, 0
        while day < end and counted < 2:  # two such days are enough
            day += timedelta(days=1)
            counted += calendar.atw_rest_day(day) is None
        extended = end
        while counted < 2:
            extended += timedelta(days=1)
            counted += calendar.atw_rest_day(extended) is None
        if extended != end:
            if explain:
                rules.append(
                    f"Atw art. 2: extended from {_day(end)} to {_day(extended)} so that the "
                    "term contains two days that are not a Saturday, Sunday or holiday"
                )
            end = extended
    return end, tuple(rules)

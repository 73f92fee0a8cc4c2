"""Working days and the Algemene termijnenwet (Atw) holidays.

Atw art. 3 holidays come from the ``holidays`` library (``holidays.NL``, Dutch
names, categories public and optional: depending on the library's version Goede
Vrijdag is in one or the other) with 5 May guaranteed for *every* year (the
library makes it public only in lustrum years). Bridge days equated with a
holiday by royal decree (art. 3 lid 3) are yearly data:
``feedbackkit/data/deadlines/bridge_days.toml`` plus whatever an organisation adds.
An organisation's own closing days are not Atw days: they only make a day a
non-working day.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from types import MappingProxyType
from typing import Any, Protocol

import attrs
import holidays

from feedbackkit.errors import DeadlinePolicyError

__all__ = [
    "AtwCalendar",
    "Calendar",
    "Unit",
    "atw_holidays",
    "load_day_list",
    "shipped_bridge_days",
    "weekday_name",
]

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def weekday_name(day: date) -> str:
    """The English weekday name of ``day`` (independent of the locale)."""
    return _WEEKDAYS[day.weekday()]


class Unit(StrEnum):
    """What a term's amount counts."""

    DAYS = "days"
    WEEKS = "weeks"
    WORKING_DAYS = "working_days"
    HOURS = "hours"

    def describe(self, amount: int) -> str:
        """``amount`` in this unit as text: ``6 weeks``, ``1 working day``."""
        text = self.value.replace("_", " ")
        return f"{amount} {text.removesuffix('s') if amount == 1 else text}"


class Calendar(Protocol):
    """Which days count: Atw rest days and an organisation's working days."""

    def atw_rest_day(self, day: date) -> str | None:
        """Why ``day`` is a Saturday, Sunday or Atw holiday (its name), or ``None``."""
        ...

    def closed(self, day: date) -> str | None:
        """Why ``day`` is not a working day (an Atw rest day or a closing day), or ``None``."""
        ...

    def is_working_day(self, day: date) -> bool: ...

    def add_working_days(self, day: date, count: int) -> date:
        """The ``count``-th working day after ``day``."""
        ...

    def add(self, start: date, amount: int, unit: Unit) -> date:
        """The day a term of ``amount`` ``unit`` counted from ``start`` ends (no Atw applied)."""
        ...


@cache
def atw_holidays(year: int) -> Mapping[date, str]:
    """The Atw art. 3 holidays of ``year``: ``holidays.NL`` in Dutch plus 5 May."""
    found = dict(
        holidays.country_holidays(
            "NL", years=year, language="nl", categories=("public", "optional")
        ).items()
    )
    found.setdefault(date(year, 5, 5), "Bevrijdingsdag")
    return MappingProxyType(found)


def load_day_list(data: Any, where: str, *, source_required: bool) -> dict[date, str]:
    """Days from a list of ``{date, name[, source]}`` tables (bridge days, closing days).

    Raises :class:`DeadlinePolicyError` naming ``where``, the entry and the field.
    """
    if not isinstance(data, list):
        raise DeadlinePolicyError(f"{where}: expected a list of tables, got {data!r}")
    days: dict[date, str] = {}
    required = ("date", "name", "source") if source_required else ("date", "name")
    for index, entry in enumerate(data):
        at = f"{where}[{index}]"
        if not isinstance(entry, dict):
            raise DeadlinePolicyError(f"{at}: expected a table, got {entry!r}")
        unknown = sorted(set(entry) - {"date", "name", "source"})
        if unknown:
            raise DeadlinePolicyError(f"{at}: unknown field {unknown[0]!r}")
        for key in required:
            if key not in entry:
                raise DeadlinePolicyError(f"{at}: field {key!r} is required")
        day = entry["date"]
        if isinstance(day, str):
            try:
                day = date.fromisoformat(day)
            except ValueError:
                raise DeadlinePolicyError(f"{at}: field 'date': not a date: {day!r}") from None
        if not isinstance(day, date) or isinstance(day, datetime):
            raise DeadlinePolicyError(f"{at}: field 'date': expected a date, got {day!r}")
        for key in ("name", "source"):
            if key in entry and not (isinstance(entry[key], str) and entry[key].strip()):
                raise DeadlinePolicyError(f"{at}: field {key!r}: expected non-blank text")
        days[day] = entry["name"]
    return days


def _load_bridge_file(path: Traversable, where: str) -> dict[date, str]:
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise DeadlinePolicyError(f"{where}: invalid TOML: {exc}") from exc
    unknown = sorted(set(data) - {"bridge_days"})
    if unknown:
        raise DeadlinePolicyError(f"{where}: unknown key {unknown[0]!r}")
    return load_day_list(data.get("bridge_days", []), f"{where}: bridge_days", source_required=True)


@cache
def shipped_bridge_days() -> Mapping[date, str]:
    """The bridge days shipped in ``feedbackkit/data/deadlines/bridge_days.toml``."""
    path = files("feedbackkit") / "data" / "deadlines" / "bridge_days.toml"
    return MappingProxyType(_load_bridge_file(path, "bridge_days.toml"))


def _frozen_days(value: Mapping[date, str]) -> Mapping[date, str]:
    return MappingProxyType(dict(value))


@attrs.frozen
class AtwCalendar:
    """The Algemene termijnenwet calendar, with an organisation's bridge and closing days."""

    bridge_days: Mapping[date, str] = attrs.field(
        factory=shipped_bridge_days, converter=_frozen_days, hash=False
    )
    """Days equated with an Atw holiday by royal decree (art. 3 lid 3)."""
    closing_days: Mapping[date, str] = attrs.field(factory=dict, converter=_frozen_days, hash=False)
    """The organisation's own closing days: not working days, but not Atw days either."""

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> AtwCalendar:
        """The calendar for the ``[calendar]`` settings section.

        Keys: ``bridge_days`` (``{date, name, source}`` tables, added to the shipped
        ones), ``bridge_days_file`` (a TOML file in the shipped format) and
        ``closing_days`` (``{date, name}`` tables).
        """
        unknown = sorted(set(settings) - {"bridge_days", "bridge_days_file", "closing_days"})
        if unknown:
            raise DeadlinePolicyError(f"calendar: unknown setting {unknown[0]!r}")
        bridge = dict(shipped_bridge_days())
        if "bridge_days_file" in settings:
            path = Path(settings["bridge_days_file"])
            bridge.update(_load_bridge_file(path, str(path)))
        bridge.update(
            load_day_list(
                settings.get("bridge_days", []), "calendar.bridge_days", source_required=True
            )
        )
        closing = load_day_list(
            settings.get("closing_days", []), "calendar.closing_days", source_required=False
        )
        return cls(bridge_days=bridge, closing_days=closing)

    def holiday(self, day: date) -> str | None:
        """The name of the Atw holiday or bridge day on ``day``, or ``None``."""
        return atw_holidays(day.year).get(day) or self.bridge_days.get(day)

    def atw_rest_day(self, day: date) -> str | None:
        holiday = self.holiday(day)
        if holiday is not None:
            return holiday
        return weekday_name(day) if day.weekday() >= 5 else None

    def closed(self, day: date) -> str | None:
        return self.atw_rest_day(day) or self.closing_days.get(day)

    def is_working_day(self, day: date) -> bool:
        return self.closed(day) is None

    def add_working_days(self, day: date, count: int) -> date:
        if count < 0:
            raise ValueError(f"count must not be negative, got {count}")
        while count:
            day += timedelta(days=1)
            if self.is_working_day(day):
                count -= 1
        return day

    def add(self, start: date, amount: int, unit: Unit) -> date:
        if unit is Unit.DAYS:
            return start + timedelta(days=amount)
        if unit is Unit.WEEKS:
            return start + timedelta(weeks=amount)
        if unit is Unit.WORKING_DAYS:
            return self.add_working_days(start, amount)
        raise ValueError("a term in hours counts from a moment, not from a day")

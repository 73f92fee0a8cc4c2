"""The Algemene termijnenwet calendar: holidays, bridge days, articles 1, 2 and 4, working days."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import holidays
import pytest

from feedbackkit.deadlines import (
    AtwArticle,
    AtwCalendar,
    DeadlinePolicyError,
    Unit,
    apply_atw,
    atw_exclusion,
    atw_holidays,
    shipped_bridge_days,
)

CAL = AtwCalendar()
ART1 = frozenset({AtwArticle.ROLL_FORWARD})
ART2 = frozenset({AtwArticle.TWO_DAYS})
BOTH = frozenset(AtwArticle)


def roll(end: date, calendar: AtwCalendar = CAL) -> tuple[date, tuple[str, ...]]:
    """Atw art. 1 applied to a six-week term ending on ``end``."""
    return apply_atw(calendar, end - timedelta(weeks=6), end, ART1)


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (date(2026, 1, 1), "Nieuwjaarsdag"),
        (date(2026, 4, 3), "Goede vrijdag"),
        (date(2026, 4, 6), "Tweede paasdag"),
        (date(2026, 4, 27), "Koningsdag"),
        (date(2026, 5, 5), "Bevrijdingsdag"),
        (date(2027, 5, 5), "Bevrijdingsdag"),
        (date(2026, 5, 14), "Hemelvaartsdag"),
        (date(2026, 5, 25), "Tweede pinksterdag"),
        (date(2026, 12, 25), "Eerste kerstdag"),
        (date(2026, 12, 26), "Tweede kerstdag"),
    ],
)
def test_atw_holidays_in_dutch(day: date, name: str) -> None:
    assert atw_holidays(day.year)[day] == name
    assert CAL.atw_rest_day(day) == name
    assert not CAL.is_working_day(day)


@pytest.mark.parametrize("year", [2025, 2026])
def test_exactly_the_atw_holidays(year: int) -> None:
    """Article 3 and nothing else (Eerste Paas- and Pinksterdag are Sundays anyway)."""
    not_sundays = {day for day in atw_holidays(year) if day.weekday() < 6}
    easter_monday = next(d for d, n in atw_holidays(year).items() if n == "Tweede paasdag")
    assert not_sundays == {
        date(year, 1, 1),
        easter_monday - timedelta(days=3),
        easter_monday,
        date(year, 4, 27) if date(year, 4, 27).weekday() < 6 else date(year, 4, 26),
        date(year, 5, 5),
        easter_monday + timedelta(days=38),
        easter_monday + timedelta(days=49),
        date(year, 12, 25),
        date(year, 12, 26),
    } - {d for d in (date(year, 12, 25), date(year, 12, 26)) if d.weekday() == 6}


@pytest.mark.parametrize("year", [2014, 2025])
def test_koningsdag_moves_to_26_april_when_27_april_is_a_sunday(year: int) -> None:
    assert date(year, 4, 27).weekday() == 6
    assert CAL.holiday(date(year, 4, 26)) == "Koningsdag"
    assert CAL.holiday(date(year, 4, 27)) is None
    assert CAL.is_working_day(date(year, 4, 28))


def test_plain_days() -> None:
    assert CAL.atw_rest_day(date(2026, 3, 10)) is None
    assert CAL.atw_rest_day(date(2026, 3, 14)) == "Saturday"
    assert CAL.atw_rest_day(date(2026, 3, 15)) == "Sunday"
    assert CAL.is_working_day(date(2026, 3, 10))


def test_art1_term_ending_on_saturday_before_koningsdag() -> None:
    assert roll(date(2026, 4, 25)) == (
        date(2026, 4, 28),
        (
            "Atw art. 1: moved from Saturday 2026-04-25 to Tuesday 2026-04-28 "
            "(Koningsdag 2026-04-27)",
        ),
    )


def test_art1_term_ending_on_koningsdag() -> None:
    end, rules = roll(date(2026, 4, 27))
    assert end == date(2026, 4, 28)
    assert "Koningsdag 2026-04-27" in rules[0]


def test_art1_sunday_27_april_is_no_koningsdag() -> None:
    end, rules = roll(date(2025, 4, 27))
    assert end == date(2025, 4, 28)
    assert rules == ("Atw art. 1: moved from Sunday 2025-04-27 to Monday 2025-04-28",)


def test_art1_term_ending_on_tweede_paasdag() -> None:
    end, rules = roll(date(2026, 4, 6))
    assert end == date(2026, 4, 7)
    assert "(Tweede paasdag 2026-04-06)" in rules[0]


def test_art1_term_ending_on_goede_vrijdag() -> None:
    end, rules = roll(date(2026, 4, 3))
    assert end == date(2026, 4, 7)
    assert "(Goede vrijdag 2026-04-03, Tweede paasdag 2026-04-06)" in rules[0]


@pytest.mark.parametrize(
    ("end", "moved"),
    [
        (date(2025, 12, 25), date(2025, 12, 29)),  # Thursday, Friday, weekend
        (date(2025, 12, 26), date(2025, 12, 29)),
        (date(2026, 12, 25), date(2026, 12, 28)),  # Friday; 26 December is a Saturday
    ],
)
def test_art1_christmas(end: date, moved: date) -> None:
    assert roll(end)[0] == moved


def test_art1_5_may_in_a_non_lustrum_year() -> None:
    assert date(2026, 5, 5) not in holidays.country_holidays("NL", years=2026)  # added by us
    end, rules = roll(date(2026, 5, 5))
    assert end == date(2026, 5, 6)
    assert "Bevrijdingsdag 2026-05-05" in rules[0]


def test_art1_across_a_bridge_day() -> None:
    end, rules = roll(date(2026, 5, 14))
    assert end == date(2026, 5, 18)
    assert "Hemelvaartsdag 2026-05-14" in rules[0]
    assert "brugdag (Hemelvaartsdag) 2026-05-15" in rules[0]
    without = AtwCalendar(bridge_days={})
    assert roll(date(2026, 5, 14), without)[0] == date(2026, 5, 15)


def test_art1_leaves_a_working_day_alone() -> None:
    assert roll(date(2026, 3, 10)) == (date(2026, 3, 10), ())


def test_art1_ignores_closing_days() -> None:
    closed = AtwCalendar(closing_days={date(2026, 3, 10): "gemeentehuis dicht"})
    assert not closed.is_working_day(date(2026, 3, 10))
    assert roll(date(2026, 3, 10), closed)[0] == date(2026, 3, 10)


def test_art2_three_day_term_over_easter() -> None:
    """Thursday + 3 days = Sunday; Friday to Monday hold no day that counts."""
    start, end = date(2026, 4, 2), date(2026, 4, 5)
    assert apply_atw(CAL, start, end, ART1)[0] == date(2026, 4, 7)
    both, rules = apply_atw(CAL, start, end, BOTH)
    assert both == date(2026, 4, 8)
    assert rules[-1].startswith(
        "Atw art. 2: extended from Tuesday 2026-04-07 to Wednesday 2026-04-08"
    )
    assert apply_atw(CAL, start, end, ART2)[0] == date(2026, 4, 8)


def test_art2_extends_a_term_ending_on_a_working_day() -> None:
    """Christmas Friday + 3 days = Monday 28 December: one day that counts, so Tuesday."""
    start, end = date(2026, 12, 25), date(2026, 12, 28)
    assert apply_atw(CAL, start, end, ART1) == (end, ())
    assert apply_atw(CAL, start, end, ART2)[0] == date(2026, 12, 29)


def test_art2_not_for_terms_shorter_than_three_days() -> None:
    start, end = date(2026, 4, 2), date(2026, 4, 4)
    assert apply_atw(CAL, start, end, ART2) == (end, ())


def test_art2_satisfied_by_an_ordinary_week() -> None:
    assert apply_atw(CAL, date(2026, 3, 9), date(2026, 3, 16), ART2) == (date(2026, 3, 16), ())


def test_art4_excludes_hours_and_terms_over_three_months() -> None:
    start = date(2026, 1, 5)
    assert atw_exclusion(start, start + timedelta(weeks=12), Unit.WEEKS) is None
    assert "longer than three months" in (
        atw_exclusion(start, start + timedelta(weeks=13), Unit.WEEKS) or ""
    )
    assert "hours" in (atw_exclusion(start, start, Unit.HOURS) or "")


def test_add_working_days_over_easter_and_closing_days() -> None:
    assert CAL.add_working_days(date(2026, 4, 2), 3) == date(2026, 4, 9)
    closed = AtwCalendar(closing_days={date(2026, 4, 8): "heidag"})
    assert closed.add_working_days(date(2026, 4, 2), 3) == date(2026, 4, 10)
    assert CAL.add_working_days(date(2026, 4, 2), 0) == date(2026, 4, 2)
    with pytest.raises(ValueError, match="negative"):
        CAL.add_working_days(date(2026, 4, 2), -1)


def test_add_units() -> None:
    start = date(2026, 3, 2)
    assert CAL.add(start, 6, Unit.WEEKS) == date(2026, 4, 13)
    assert CAL.add(start, 10, Unit.DAYS) == date(2026, 3, 12)
    assert CAL.add(start, 5, Unit.WORKING_DAYS) == date(2026, 3, 9)
    with pytest.raises(ValueError, match="hours"):
        CAL.add(start, 24, Unit.HOURS)


def test_unit_describe() -> None:
    assert Unit.WEEKS.describe(6) == "6 weeks"
    assert Unit.WORKING_DAYS.describe(1) == "1 working day"


def test_shipped_bridge_days_are_weekdays_that_are_no_holiday() -> None:
    days = shipped_bridge_days()
    assert days
    for day in days:
        assert day.weekday() < 5, day
        assert day not in atw_holidays(day.year), day


def test_settings_add_bridge_and_closing_days(tmp_path: Path) -> None:
    extra = tmp_path / "bridge.toml"
    extra.write_text(
        '[[bridge_days]]\ndate = 2029-05-11\nname = "brugdag"\nsource = "Besluit X"\n', "utf-8"
    )
    calendar = AtwCalendar.from_settings(
        {
            "bridge_days_file": str(extra),
            "bridge_days": [{"date": "2029-12-24", "name": "brugdag", "source": "Besluit Y"}],
            "closing_days": [{"date": date(2026, 3, 10), "name": "verhuizing"}],
        }
    )
    assert calendar.holiday(date(2029, 5, 11)) == "brugdag"
    assert calendar.holiday(date(2029, 12, 24)) == "brugdag"
    assert calendar.holiday(date(2026, 5, 15)) == "brugdag (Hemelvaartsdag)"  # shipped kept
    assert calendar.closed(date(2026, 3, 10)) == "verhuizing"
    assert calendar.atw_rest_day(date(2026, 3, 10)) is None


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"holidays": []}, "calendar: unknown setting 'holidays'"),
        ({"closing_days": {"date": "2026-03-10"}}, "calendar.closing_days: expected a list"),
        (
            {"closing_days": [{"date": "10-03-2026", "name": "x"}]},
            "calendar.closing_days[0]: field 'date': not a date",
        ),
        (
            {"bridge_days": [{"date": "2029-05-11", "name": "x"}]},
            "calendar.bridge_days[0]: field 'source' is required",
        ),
        (
            {"closing_days": [{"date": "2026-03-10", "name": " "}]},
            "calendar.closing_days[0]: field 'name'",
        ),
        (
            {"closing_days": [{"date": "2026-03-10", "name": "x", "why": "y"}]},
            "calendar.closing_days[0]: unknown field 'why'",
        ),
    ],
)
def test_invalid_settings_name_the_entry_and_field(
    settings: dict[str, object], message: str
) -> None:
    with pytest.raises(DeadlinePolicyError) as info:
        AtwCalendar.from_settings(settings)
    assert message in str(info.value)

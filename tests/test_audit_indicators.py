"""Indicators from the case store, on hand-built registers with known answers."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta

import pytest

from feedbackkit import Feedback, FeedbackKit
from feedbackkit.audit import CriterionRef, Evidence, registered_framework, registered_scorer, run
from feedbackkit.audit.indicators import (
    BY_CHANNEL,
    EXAMPLE_CASES,
    ChannelsInUse,
    ShareIndicator,
    gather_indicators,
    is_informal,
    is_internal,
    is_proactive,
    received_span,
    store_indicators,
)
from feedbackkit.clock import AMSTERDAM
from feedbackkit.errors import ValidationError
from feedbackkit.plugins import load_plugins

PLUGINS = load_plugins(entry_point_plugins=False)
GOUDEN_OOR = registered_framework(PLUGINS, "gouden-oor")
START, END = date(2024, 3, 1), date(2024, 4, 1)
REF = (CriterionRef("x", "y"),)


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=AMSTERDAM)


@pytest.fixture
def kit() -> Iterator[FeedbackKit]:
    """Eight cases in March 2024 and one on each side of it.

    ============  ==========  ========  ==========  ========  ===================
    case          channel     form      initiative  origin    counts as
    ============  ==========  ========  ==========  ========  ===================
    m1            email       written   reactive    external  –
    m2            web_form    oral      reactive    external  informal (oral)
    m3            phone       written   reactive    external  informal (channel)
    m4            counter     oral      reactive    external  informal
    m5            survey      written   proactive   external  proactive
    m6            email       written   proactive   internal  proactive, internal
    m7            internal    written   reactive    internal  internal
    m8            letter      written   reactive    external  –
    before        phone       oral      proactive   internal  (outside the period)
    after         counter     oral      proactive   internal  (outside: 1 April 00:00)
    ============  ==========  ========  ==========  ========  ===================
    """
    rows = [
        ("m1", "email", "written", "reactive", "external", at(START, 0)),
        ("m2", "web_form", "oral", "reactive", "external", at(date(2024, 3, 4))),
        ("m3", "phone", "written", "reactive", "external", at(date(2024, 3, 5))),
        ("m4", "counter", "oral", "reactive", "external", at(date(2024, 3, 6))),
        ("m5", "survey", "written", "proactive", "external", at(date(2024, 3, 7))),
        ("m6", "email", "written", "proactive", "internal", at(date(2024, 3, 8))),
        ("m7", "internal", "written", "reactive", "internal", at(date(2024, 3, 11))),
        ("m8", "letter", "written", "reactive", "external", at(date(2024, 3, 31), 23)),
        ("before", "phone", "oral", "proactive", "internal", at(date(2024, 2, 29), 23)),
        ("after", "counter", "oral", "proactive", "internal", at(END, 0)),
    ]
    with FeedbackKit.open(":memory:", plugins=PLUGINS) as opened:
        for ref, channel, form, initiative, origin, received in rows:
            opened.register(
                Feedback(
                    "remark",
                    channel,
                    received,
                    f"Opmerking {ref}",
                    reference=ref,
                    form=form,
                    initiative=initiative,
                    origin=origin,
                )
            )
        yield opened


def references(kit: FeedbackKit, ids: tuple[object, ...]) -> set[str | None]:
    return {kit.store.feedback(case_id).reference for case_id in ids}  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("matches", "share", "expected"),
    [
        (is_informal, 3 / 8, {"m2", "m3", "m4"}),
        (is_proactive, 2 / 8, {"m5", "m6"}),
        (is_internal, 2 / 8, {"m6", "m7"}),
    ],
    ids=["informal", "proactive", "internal"],
)
def test_shares_count_the_cases_received_in_the_period(
    kit: FeedbackKit, matches: object, share: float, expected: set[str]
) -> None:
    indicator = ShareIndicator("feedback.test", REF, matches)  # type: ignore[arg-type]
    value = indicator.compute(kit.store, START, END)
    assert value.value == pytest.approx(share)
    assert value.unit == "share"
    assert value.attainment is None  # no norm: reported, never scored
    assert references(kit, value.cases) == expected
    assert (value.period_start, value.period_end) == (START, END)
    assert value.criteria == REF


def test_channels_in_use_counts_distinct_channels_with_an_example_each(kit: FeedbackKit) -> None:
    value = ChannelsInUse(REF).compute(kit.store, START, END)
    assert value.value == 7  # email, web_form, phone, counter, survey, internal, letter
    assert value.unit == "channels"
    assert len(value.cases) == 7
    channels = {kit.store.feedback(case).channel for case in value.cases}
    assert len(channels) == 7


def test_a_period_without_cases_is_an_error_and_gathers_nothing(kit: FeedbackKit) -> None:
    empty = (date(2023, 1, 1), date(2023, 2, 1))
    with pytest.raises(
        ValidationError, match="no cases were received from 2023-01-01 to 2023-02-01"
    ):
        ShareIndicator("feedback.test", REF, is_internal).compute(kit.store, *empty)
    assert gather_indicators(kit.store, store_indicators([GOUDEN_OOR]), *empty) == ()
    with pytest.raises(ValidationError, match="must end after it starts"):
        ChannelsInUse(REF).compute(kit.store, END, START)


def test_example_cases_are_capped() -> None:
    with FeedbackKit.open(":memory:", plugins=PLUGINS) as kit:
        for n in range(EXAMPLE_CASES + 5):
            kit.register(Feedback("tip", "phone", at(START) + timedelta(minutes=n), f"Tip {n}"))
        value = ShareIndicator("feedback.test", REF, is_informal).compute(kit.store, START, END)
    assert value.value == 1.0
    assert len(value.cases) == EXAMPLE_CASES


def test_indicators_link_to_the_criteria_whose_hints_name_them() -> None:
    found = {indicator.id: indicator for indicator in store_indicators([GOUDEN_OOR])}
    assert set(found) == {
        "feedback.informal_share",
        "feedback.proactive_share",
        "feedback.internal_share",
        BY_CHANNEL,
    }
    for name, indicator in found.items():
        hinted = {c.id for c in GOUDEN_OOR.criteria if any(h.indicator == name for h in c.evidence)}
        assert {r.criterion for r in indicator.criteria} == hinted
    assert (
        CriterionRef("gouden-oor", "svk-alle-feedback") in found["feedback.informal_share"].criteria
    )
    awb = registered_framework(PLUGINS, "awb-compliance")
    assert store_indicators([awb]) == ()  # it names none of these indicators


def test_gathered_values_are_reported_as_evidence_but_not_scored(kit: FeedbackKit) -> None:
    values = gather_indicators(kit.store, store_indicators([GOUDEN_OOR]), START, END)
    assert {v.indicator for v in values} == {i.id for i in store_indicators([GOUDEN_OOR])}
    result = run(GOUDEN_OOR, Evidence(indicators=values), registered_scorer(PLUGINS))
    assert len(result.missing) == len(GOUDEN_OOR.criteria)


def test_the_received_span_runs_from_the_first_to_the_day_after_the_last(kit: FeedbackKit) -> None:
    assert received_span(kit.store) == (date(2024, 2, 29), date(2024, 4, 2))
    with FeedbackKit.open(":memory:", plugins=PLUGINS) as empty:
        assert received_span(empty.store) is None

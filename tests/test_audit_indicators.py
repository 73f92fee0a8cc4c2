"""Audit indicators from the register, computed with the in-database metrics, on the
hand-built register of ``metrics_data`` (known answers), in memory and on SQLite."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from feedbackkit import FeedbackKit
from feedbackkit.audit import (
    CriterionRef,
    Evidence,
    IndicatorPart,
    IndicatorValue,
    MissingIndicator,
    registered_framework,
    registered_scorer,
    run,
)
from feedbackkit.audit.indicators import (
    MEASURES,
    Missing,
    Reading,
    StoreIndicator,
    gather_indicators,
    received_span,
    store_indicators,
)
from feedbackkit.clock import FixedClock
from feedbackkit.errors import ValidationError
from feedbackkit.learning.models import GoldenFlag, ImprovementAction, Notice
from feedbackkit.plugins import load_plugins
from metrics_data import at, register

PLUGINS = load_plugins(entry_point_plugins=False)
GOUDEN_OOR = registered_framework(PLUGINS, "gouden-oor")
AWB = registered_framework(PLUGINS, "awb-compliance")
START, END = date(2026, 3, 1), date(2026, 4, 1)
REF = (CriterionRef("x", "y"),)


@pytest.fixture(params=["memory", "sqlite"])
def kit(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[FeedbackKit]:
    db = ":memory:" if request.param == "memory" else tmp_path / "audit.sqlite"
    with FeedbackKit.open(db, plugins=PLUGINS, clock=FixedClock(at(5, 1))) as opened:
        opened.ingest(register().values())
        yield opened


def measure(kit: FeedbackKit, name: str) -> Reading | Missing:
    return MEASURES[name](kit.metrics, START, END)


def reading(kit: FeedbackKit, name: str) -> Reading:
    found = measure(kit, name)
    assert isinstance(found, Reading), found
    return found


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("feedback.informal_share", 3 / 7),  # B and F by phone, E at the counter
        ("feedback.proactive_share", 1 / 7),  # G, a survey
        ("feedback.internal_share", 1 / 7),  # E, from staff
        ("feedback.repeat_rate", 2 / 7),  # E and F repeat D
        ("handling.informal_resolution_share", 1 / 2),  # A informally, B by findings
        ("outcome.relationship", 2 / 3),  # A stronger, D unchanged, B weaker
        ("outcome.satisfaction", 3.5),  # A 5, B 2 (A's earlier 1 is not its latest)
        ("outcome.fair_treatment", 1 / 2),
        ("handling.backlog", 8.0),  # C 2, E 2, F 2, G 2 terms overdue on 31 March
    ],
)
def test_reported_indicators_have_known_values_and_no_norm(
    kit: FeedbackKit, name: str, value: float
) -> None:
    found = reading(kit, name)
    assert found.value == pytest.approx(value)
    assert found.attainment is None


@pytest.mark.parametrize(
    ("name", "attainment"),
    [
        # acknowledgement and personal contact of complaints (A met, B late, C and F
        # overdue: 2 of 8), melding D met and E overdue, compliment G overdue: 3 of 11
        ("handling.within_norm", 3 / 11),
        ("awb.acknowledgement", 1 / 4),
        ("awb.handled_in_time", 1 / 2),  # A in time, B late; C and F still open
    ],
)
def test_deadline_indicators_are_scored_on_the_share_met_in_time(
    kit: FeedbackKit, name: str, attainment: float
) -> None:
    found = reading(kit, name)
    assert found.value == found.attainment == pytest.approx(attainment)


def test_a_term_that_never_fell_due_is_missing_evidence(kit: FeedbackKit) -> None:
    # F's Awb 9:8 notice is still running; C's lapsed unneeded; nobody objected.
    for name in ("awb.non_handling_notice_in_time", "objection.decided_in_time"):
        found = measure(kit, name)
        assert isinstance(found, Missing)
        assert "no term of this kind fell due" in found.reason.en


def test_breakdowns_and_trends_are_parts(kit: FeedbackKit) -> None:
    relationship = reading(kit, "outcome.relationship")
    assert relationship.parts == (
        IndicatorPart("stronger", 1 / 3, "share"),
        IndicatorPart("unchanged", 1 / 3, "share"),
        IndicatorPart("weaker", 1 / 3, "share"),
        IndicatorPart("2026-03", 2 / 3, "share"),
    )
    repeats = reading(kit, "feedback.repeat_rate")
    assert repeats.parts == (IndicatorPart("escalated", 1.0, "cases"),)
    handled = reading(kit, "awb.handled_in_time")
    assert IndicatorPart("awb_complaint:handling:late", 1.0, "terms") in handled.parts


def test_channels_in_use_with_an_example_each(kit: FeedbackKit) -> None:
    found = reading(kit, "feedback.by_channel")
    assert found.value == 6
    channels = {kit.store.feedback(case).channel.value for case in found.cases}
    assert channels == {"app", "counter", "email", "phone", "survey", "web_form"}
    assert IndicatorPart("phone", 2 / 7, "share") in found.parts


def test_learning_indicators_are_missing_until_the_register_holds_the_data(
    kit: FeedbackKit,
) -> None:
    assert isinstance(measure(kit, "learning.golden_flagged"), Missing)
    assert isinstance(measure(kit, "learning.improvements_realised"), Missing)
    case = {r.feedback.reference: r.feedback.id for r in kit.store.records()}
    kit.store.put_golden(GoldenFlag(case["C"], "anna", at(4, 2), "Vroeg signaal."))
    kit.store.put_action(
        ImprovementAction(
            title="Terugbelbelofte",
            owner="KCC",
            target_group="balie",
            created_at=at(3, 20),
            created_by="anna",
            status="done",
            change_made="Terugbellen binnen een dag",
            done_at=at(3, 27),
            cases=(case["C"],),
            notices=(Notice(case["C"], "e-mail", at(3, 28)),),
        )
    )
    assert reading(kit, "learning.golden_flagged").value == 1
    improvements = reading(kit, "learning.improvements_realised")
    assert improvements.value == 1
    assert improvements.parts == (
        IndicatorPart("reported_back", 1.0, "actions"),
        IndicatorPart("all", 1.0, "actions"),
    )


def test_a_period_without_cases_gives_missing_evidence_and_gathers_nothing(
    kit: FeedbackKit,
) -> None:
    empty = (date(2025, 1, 1), date(2025, 2, 1))
    found = MEASURES["feedback.informal_share"](kit.metrics, *empty)
    assert isinstance(found, Missing)
    assert found.reason.nl == "geen zaken ontvangen van 2025-01-01 tot en met 2025-01-31"
    assert gather_indicators(kit.metrics, store_indicators([GOUDEN_OOR]), *empty) == Evidence()
    indicator = StoreIndicator("feedback.test", REF, MEASURES["feedback.internal_share"])
    with pytest.raises(ValidationError, match="must end after it starts"):
        indicator.compute(kit.metrics, END, START)


def test_gathered_evidence_holds_values_and_gaps_linked_to_criteria(kit: FeedbackKit) -> None:
    indicators = store_indicators([GOUDEN_OOR, AWB])
    evidence = gather_indicators(kit.metrics, indicators, START, END)
    values = {v.indicator: v for v in evidence.indicators}
    gaps = {g.indicator: g for g in evidence.gaps}
    assert set(values) | set(gaps) == {i.id for i in indicators}
    assert {"learning.golden_flagged", "learning.improvements_realised"} <= set(gaps)
    handled = values["awb.handled_in_time"]
    assert isinstance(handled, IndicatorValue)
    assert (handled.period_start, handled.period_end) == (START, END)
    assert CriterionRef("gouden-oor", "stu-regeling") in values["handling.within_norm"].criteria
    golden = gaps["learning.golden_flagged"]
    assert isinstance(golden, MissingIndicator)
    assert golden.criteria == (CriterionRef("gouden-oor", "mid-analyse"),)


def test_only_deadline_indicators_score_and_gaps_never_do(kit: FeedbackKit) -> None:
    evidence = gather_indicators(kit.metrics, store_indicators([GOUDEN_OOR]), START, END)
    result = run(GOUDEN_OOR, evidence, registered_scorer(PLUGINS))
    scored = {c.criterion for c in result.scoring.criteria if c.score is not None}
    assert scored == {"stu-regeling"}  # handling.within_norm: 3 of 11 in time
    assert result.scoring.criterion("stu-regeling").score == pytest.approx(3 / 11)
    assert "mid-analyse" in result.missing  # a golden-complaints gap is no evidence


def test_indicators_link_to_the_criteria_whose_hints_name_them() -> None:
    for indicator in store_indicators([GOUDEN_OOR]):
        hinted = {
            c.id
            for c in GOUDEN_OOR.criteria
            if any(h.indicator == indicator.id for h in c.evidence)
        }
        assert {r.criterion for r in indicator.criteria} == hinted
    awb = {i.id for i in store_indicators([AWB])}
    assert awb == {
        "awb.acknowledgement",
        "awb.handled_in_time",
        "awb.non_handling_notice_in_time",
        "objection.decided_in_time",
    }


def test_the_received_span_runs_from_the_first_to_the_day_after_the_last(
    kit: FeedbackKit,
) -> None:
    assert received_span(kit.metrics) == (date(2026, 3, 2), date(2026, 4, 3))
    with FeedbackKit.open(":memory:", plugins=PLUGINS) as empty:
        assert received_span(empty.metrics) is None

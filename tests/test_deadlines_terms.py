"""Statutory terms and service norms computed from case histories."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from feedbackkit.clock import AMSTERDAM
from feedbackkit.converter import structure, unstructure
from feedbackkit.deadlines import (
    AtwArticle,
    AtwCalendar,
    Deadline,
    DeadlinePolicy,
    DeadlineStatus,
    Term,
    builtin_policies,
    compute_deadlines,
)
from feedbackkit.models import Event, Feedback

CAL = AtwCalendar()
POLICIES = {p.name: p for p in builtin_policies()}
KINDS = {"awb_complaint": "complaint", "objection": "objection", "melding": "melding"}
KINDS["generic"] = "remark"

OPEN, MET, MISSED = DeadlineStatus.OPEN, DeadlineStatus.MET, DeadlineStatus.MISSED
NOT_APPLICABLE = DeadlineStatus.NOT_APPLICABLE

Step = tuple[Any, ...]
"""``(action, day)``, ``(action, day, payload)`` or ``(action, datetime, payload)``."""


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=AMSTERDAM)


def case(
    procedure: str, received: date | datetime, steps: tuple[Step, ...], **fields: Any
) -> tuple[Feedback, list[Event]]:
    moment = received if isinstance(received, datetime) else at(received)
    feedback = Feedback(
        kind=KINDS[procedure], channel="email", received_at=moment, text="tekst", **fields
    )
    events = []
    for seq, (action, when, *payload) in enumerate(steps, start=1):
        moment = when if isinstance(when, datetime) else at(when)
        data: Mapping[str, Any] = payload[0] if payload else {}
        events.append(Event(feedback.id, seq, action, "behandelaar", moment, payload=data))
    return feedback, events


def run(
    procedure: str,
    received: date | datetime,
    *steps: Step,
    today: date,
    policy: DeadlinePolicy | None = None,
    **fields: Any,
) -> dict[str, Deadline]:
    """The deadlines by term id (``id#2`` for a second round)."""
    feedback, events = case(procedure, received, steps, **fields)
    found = compute_deadlines(feedback, events, policy or POLICIES[procedure], CAL, today)
    return {d.term + (f"#{d.round}" if d.round > 1 else ""): d for d in found}


# -- Awb 9:11: handling a complaint ------------------------------------------------


def test_handling_met_within_six_weeks() -> None:
    d = run(
        "awb_complaint",
        date(2026, 3, 2),
        ("send_findings", date(2026, 4, 10)),
        today=date(2026, 5, 1),
    )
    handling = d["handling"]
    assert (handling.due, handling.status, handling.met_on) == (
        date(2026, 4, 13),
        MET,
        date(2026, 4, 10),
    )
    assert handling.statutory
    assert handling.basis == "Awb 9:11 lid 1"
    assert handling.rules[0] == "Awb 9:11 lid 1: 6 weeks after receipt on 2026-03-02"
    assert handling.starts == date(2026, 3, 2)
    assert handling.label() == "Klacht afhandelen"
    assert handling.label("en") == "Handle the complaint"


def test_handling_met_late_is_missed_with_the_date() -> None:
    d = run(
        "awb_complaint",
        date(2026, 3, 2),
        ("send_findings", date(2026, 4, 14)),
        today=date(2026, 5, 1),
    )
    assert (d["handling"].status, d["handling"].met_on) == (MISSED, date(2026, 4, 14))
    assert any(r.startswith("met late") for r in d["handling"].rules)


@pytest.mark.parametrize(
    ("today", "status"), [(date(2026, 4, 13), OPEN), (date(2026, 4, 14), MISSED)]
)
def test_handling_open_until_the_due_date(today: date, status: DeadlineStatus) -> None:
    assert run("awb_complaint", date(2026, 3, 2), today=today)["handling"].status is status


def test_handling_rolls_past_koningsdag() -> None:
    handling = run("awb_complaint", date(2026, 3, 14), today=date(2026, 3, 20))["handling"]
    assert handling.due == date(2026, 4, 28)
    assert (
        "Atw art. 1: moved from Saturday 2026-04-25 to Tuesday 2026-04-28 (Koningsdag 2026-04-27)"
        in handling.rules
    )


def test_handling_ten_weeks_with_committee() -> None:
    handling = run(
        "awb_complaint",
        date(2026, 3, 2),
        ("engage_committee", date(2026, 3, 5)),
        today=date(2026, 3, 6),
    )["handling"]
    assert handling.due == date(2026, 5, 11)
    assert "10 weeks instead of 6 (engage_committee on 2026-03-05)" in handling.rules[1]


def test_handling_postponed_four_weeks() -> None:
    handling = run(
        "awb_complaint",
        date(2026, 3, 2),
        ("postpone", date(2026, 3, 20), {"weeks": 4}),
        today=date(2026, 3, 21),
    )["handling"]
    assert handling.due == date(2026, 5, 11)
    assert "postponed 4 weeks on 2026-03-20 (Awb 9:11 lid 2)" in handling.rules


def test_handling_postponement_capped_without_consent() -> None:
    steps: list[Step] = [
        ("postpone", date(2026, 3, 20), {"weeks": 3}),
        ("postpone", date(2026, 3, 25), {"weeks": 3}),
    ]
    handling = run("awb_complaint", date(2026, 3, 2), *steps, today=date(2026, 3, 26))["handling"]
    assert handling.due == date(2026, 5, 11)
    assert handling.rules[-1] == (
        "postponed 1 week on 2026-03-25 (Awb 9:11 lid 2): 3 weeks asked, "
        "at most 4 weeks in total without written consent"
    )
    single = run(
        "awb_complaint",
        date(2026, 3, 2),
        ("postpone", date(2026, 3, 20), {"weeks": 6}),
        today=date(2026, 3, 21),
    )["handling"]
    assert single.due == date(2026, 5, 11)


def test_handling_postponed_longer_with_written_consent() -> None:
    handling = run(
        "awb_complaint",
        date(2026, 3, 2),
        ("postpone", date(2026, 3, 20), {"weeks": 6, "consent": True}),
        today=date(2026, 3, 21),
    )["handling"]
    # 13 April + 6 weeks = Tweede Pinksterdag 25 May
    assert handling.due == date(2026, 5, 26)
    assert any("with written consent" in r for r in handling.rules)
    assert handling.rules[-1].startswith("Atw art. 1: moved from Monday 2026-05-25")


def test_postponement_after_the_term_ended_is_not_counted() -> None:
    late = ("postpone", date(2026, 4, 14), {"weeks": 2})
    handling = run("awb_complaint", date(2026, 3, 2), late, today=date(2026, 4, 15))["handling"]
    assert handling.due == date(2026, 4, 13)
    assert any("not counted: the term had already ended on 2026-04-13" in r for r in handling.rules)


def test_postponement_with_an_invalid_payload_is_not_counted() -> None:
    bad = ("postpone", date(2026, 3, 20), {"weeks": "four"})
    handling = run("awb_complaint", date(2026, 3, 2), bad, today=date(2026, 3, 21))["handling"]
    assert handling.due == date(2026, 4, 13)
    assert "payload 'weeks' must be a whole number" in handling.rules[-1]


@pytest.mark.parametrize(
    ("day", "status"), [(date(2026, 3, 20), NOT_APPLICABLE), (date(2026, 4, 20), MISSED)]
)
def test_withdrawal_ends_the_handling_term(day: date, status: DeadlineStatus) -> None:
    handling = run("awb_complaint", date(2026, 3, 2), ("withdraw", day), today=date(2026, 5, 1))[
        "handling"
    ]
    assert (handling.status, handling.met_on) == (status, None)


# -- Awb 9:8 lid 3: notice of not handling ------------------------------------------


@pytest.mark.parametrize(("day", "status"), [(date(2026, 3, 20), MET), (date(2026, 4, 2), MISSED)])
def test_not_handled_notice_within_four_weeks(day: date, status: DeadlineStatus) -> None:
    d = run(
        "awb_complaint",
        date(2026, 3, 2),
        ("decline", day, {"ground": "already_handled"}),
        today=date(2026, 5, 1),
    )
    notice = d["not_handled_notice"]
    assert (notice.due, notice.status, notice.met_on) == (date(2026, 3, 30), status, day)
    assert d["handling"].status is NOT_APPLICABLE  # declined before the handling term ended


def test_not_handled_notice_applies_only_when_declined() -> None:
    handled = run(
        "awb_complaint",
        date(2026, 3, 2),
        ("send_findings", date(2026, 3, 20)),
        today=date(2026, 3, 21),
    )
    assert handled["not_handled_notice"].status is NOT_APPLICABLE
    assert "applies only if decline is recorded" in handled["not_handled_notice"].rules
    assert (
        run("awb_complaint", date(2026, 3, 2), today=date(2026, 3, 20))["not_handled_notice"].status
        is OPEN
    )
    undecided = run("awb_complaint", date(2026, 3, 2), today=date(2026, 4, 1))
    assert undecided["not_handled_notice"].status is NOT_APPLICABLE


# -- Awb 7:10: deciding on an objection ------------------------------------------------


def objection(*steps: Step, today: date, **fields: Any) -> Deadline:
    fields.setdefault("decision_date", date(2026, 1, 9))
    return run("objection", date(2026, 2, 1), *steps, today=today, **fields)["decision"]


def test_decision_counted_from_the_end_of_the_objection_term() -> None:
    decision = objection(today=date(2026, 3, 1))
    # objection term 10 January - 20 February; + 6 weeks = Goede Vrijdag 3 April
    assert decision.due == date(2026, 4, 7)
    assert decision.starts == date(2026, 2, 20)
    assert decision.rules[:2] == (
        "Awb 6:7, 6:8: the objection term ran from 2026-01-10 to 2026-02-20 "
        "(decision made known on 2026-01-09)",
        "Awb 7:10 lid 1: 6 weeks after the objection term ended on 2026-02-20",
    )
    assert "Goede vrijdag 2026-04-03" in decision.rules[2]


def test_decision_falls_back_to_receipt_without_a_decision_date() -> None:
    decision = objection(today=date(2026, 3, 1), decision_date=None)
    assert decision.due == date(2026, 3, 16)  # 2 February + 6 weeks
    assert decision.rules[0].startswith("Awb 6:7, 6:8: decision date unknown; counted from receipt")


def test_late_objection_is_counted_from_receipt() -> None:
    decision = objection(today=date(2026, 3, 1), decision_date=date(2025, 6, 2))
    assert decision.due == date(2026, 3, 16)
    assert any("after the objection term ended: counted from receipt" in r for r in decision.rules)


def test_decision_twelve_weeks_with_committee_across_a_bridge_day() -> None:
    decision = objection(("refer_to_committee", date(2026, 2, 25)), today=date(2026, 3, 1))
    # 20 February + 12 weeks = Friday 15 May 2026, the bridge day after Hemelvaartsdag
    assert decision.due == date(2026, 5, 18)
    assert any("brugdag (Hemelvaartsdag) 2026-05-15" in r for r in decision.rules)


def test_decision_suspended_for_repair() -> None:
    steps = (
        ("request_repair", date(2026, 3, 2), {"defect": "geen handtekening"}),
        ("repair_received", date(2026, 3, 12)),
    )
    decision = objection(*steps, today=date(2026, 3, 13))
    assert any(
        r.startswith("suspended 9 days for repair") and r.endswith("(Awb 7:10 lid 2, 6:6)")
        for r in decision.rules
    )
    assert decision.due == date(2026, 4, 13)  # 3 April + 9 days = Sunday 12 April
    assert decision.status is OPEN


def test_repair_before_the_decision_term_runs_suspends_nothing() -> None:
    steps = (
        ("request_repair", date(2026, 2, 3), {"defect": "x"}),
        ("repair_received", date(2026, 2, 10)),
    )
    assert objection(*steps, today=date(2026, 3, 1)).due == date(2026, 4, 7)


def test_decision_suspended_while_repair_is_awaited() -> None:
    request = ("request_repair", date(2026, 3, 2), {"defect": "x"})
    first = objection(request, today=date(2026, 3, 13))
    later = objection(request, today=date(2026, 3, 16))
    assert first.status is later.status is DeadlineStatus.SUSPENDED
    assert (first.due, later.due) == (date(2026, 4, 14), date(2026, 4, 17))


def test_decision_postponement_capped_at_six_weeks_unless_consent() -> None:
    capped = objection(("postpone", date(2026, 3, 10), {"weeks": 8}), today=date(2026, 3, 11))
    assert capped.due == date(2026, 5, 18)  # 3 April + 6 weeks = bridge day 15 May
    consent = objection(
        ("postpone", date(2026, 3, 10), {"weeks": 8, "consent": True}), today=date(2026, 3, 11)
    )
    assert consent.due == date(2026, 5, 29)
    assert any("(Awb 7:10 lid 4 (instemming indiener))" in r for r in consent.rules)


def test_decision_met_by_inadmissibility_while_awaiting_repair() -> None:
    steps = (
        ("request_repair", date(2026, 3, 2), {"defect": "x"}),
        ("declare_inadmissible", date(2026, 3, 30), {"ground": "not repaired"}),
    )
    decision = objection(*steps, today=date(2026, 5, 1))
    assert (decision.status, decision.met_on) == (MET, date(2026, 3, 30))


def test_dwangsom_term_starts_with_the_notice_of_default() -> None:
    before = run(
        "objection", date(2026, 2, 1), today=date(2026, 3, 1), decision_date=date(2026, 1, 9)
    )
    assert (before["dwangsom"].status, before["dwangsom"].due) == (DeadlineStatus.NOT_STARTED, None)
    after = run(
        "objection",
        date(2026, 2, 1),
        ("notice_of_default", date(2026, 4, 20)),
        ("decide", date(2026, 5, 5), {"outcome": "ongegrond"}),
        today=date(2026, 5, 6),
        decision_date=date(2026, 1, 9),
    )["dwangsom"]
    assert (after.due, after.status, after.met_on) == (date(2026, 5, 4), MISSED, date(2026, 5, 5))


# -- service norms in working days -------------------------------------------------------


def test_personal_contact_in_working_days_across_easter() -> None:
    received = date(2026, 4, 2)  # Thursday before Goede Vrijdag
    d = run("awb_complaint", received, ("contact_made", date(2026, 4, 9)), today=date(2026, 4, 10))
    contact = d["personal_contact"]
    assert (contact.due, contact.status, contact.statutory) == (date(2026, 4, 9), MET, False)
    assert contact.rules == ("Servicenorm: 3 working days after receipt on 2026-04-02",)
    assert d["acknowledge"].due == date(2026, 4, 13)
    late = run(
        "awb_complaint", received, ("contact_made", date(2026, 4, 10)), today=date(2026, 4, 10)
    )
    assert (late["personal_contact"].status, late["personal_contact"].met_on) == (
        MISSED,
        date(2026, 4, 10),
    )


def test_melding_norms_across_hemelvaart_bridge_day_and_pinksteren() -> None:
    received = date(2026, 5, 13)
    before = run("melding", received, today=date(2026, 5, 20))
    assert before["handling"].due == date(2026, 6, 1)
    assert before["inform_reporter"].status is DeadlineStatus.NOT_STARTED
    done = run(
        "melding",
        received,
        ("start_work", date(2026, 5, 18)),
        ("complete", date(2026, 5, 29), {"resolution": "tegel vastgezet"}),
        ("inform_reporter", date(2026, 6, 2)),
        today=date(2026, 6, 3),
    )
    assert (done["handling"].status, done["handling"].met_on) == (MET, date(2026, 5, 29))
    inform = done["inform_reporter"]
    assert (inform.starts, inform.due, inform.status) == (date(2026, 5, 29), date(2026, 6, 2), MET)


def test_rejected_melding_never_starts_informing() -> None:
    d = run(
        "melding",
        date(2026, 5, 13),
        ("reject", date(2026, 5, 14), {"ground": "x"}),
        today=date(2026, 6, 1),
    )
    assert (d["inform_reporter"].status, d["inform_reporter"].due) == (NOT_APPLICABLE, None)
    assert d["inform_reporter"].rules[-1] == "did not start: reject on 2026-05-14"


# -- reopening -----------------------------------------------------------------------------


def test_reopening_starts_a_new_non_statutory_round_of_handling() -> None:
    steps: list[Step] = [
        ("start_formal", date(2026, 3, 3)),
        ("waive_hearing", date(2026, 3, 10), {"ground": "declined"}),
        (
            "send_findings",
            date(2026, 3, 20),
            {"judgement": "ongegrond", "ombudsman": "Nationale ombudsman"},
        ),
        ("close", date(2026, 3, 25), {"accepted": True}),
        ("reopen", date(2026, 6, 1), {"reason": "nieuwe feiten"}),
    ]
    d = run("awb_complaint", date(2026, 3, 2), *steps, today=date(2026, 6, 10))
    assert (d["handling"].status, d["handling"].round) == (MET, 1)
    second = d["handling#2"]
    assert (second.round, second.starts, second.due, second.status) == (
        2,
        date(2026, 6, 1),
        date(2026, 7, 13),
        OPEN,
    )
    assert not second.statutory
    assert second.rules[0].startswith("round 2: counted from the reopening on 2026-06-01")
    assert "acknowledge#2" not in d  # kept terms are computed once
    findings = ("send_findings", date(2026, 7, 1), {"judgement": "gegrond", "ombudsman": "x"})
    again = run("awb_complaint", date(2026, 3, 2), *steps, findings, today=date(2026, 7, 2))
    assert (again["handling#2"].status, again["handling#2"].met_on) == (MET, date(2026, 7, 1))


def test_generic_response_restarts_after_reopening() -> None:
    steps: list[Step] = [
        ("respond", date(2026, 3, 3), {"response": "dank"}),
        ("close", date(2026, 3, 4)),
        ("reopen", date(2026, 3, 9), {"reason": "vervolgvraag"}),
    ]
    d = run("generic", date(2026, 3, 2), *steps, today=date(2026, 3, 10))
    assert d["respond"].status is MET
    assert (d["respond#2"].due, d["respond#2"].status) == (date(2026, 3, 23), OPEN)
    assert d["acknowledge"].status is MET


# -- terms in hours, statuses, serialisation -------------------------------------------------


URGENT = DeadlinePolicy(
    "melding",
    (
        Term(
            id="urgent",
            nl="Gevaarlijke situatie",
            en="Dangerous situation",
            basis="Servicenorm",
            amount=24,
            unit="hours",
            met_by=("start_work",),
            atw=frozenset(AtwArticle),
        ),
    ),
)


@pytest.mark.parametrize(("hour", "status"), [(15, MET), (17, MISSED)])
def test_term_in_hours(hour: int, status: DeadlineStatus) -> None:
    received = at(date(2026, 3, 6), 16)  # Friday afternoon
    work = ("start_work", at(date(2026, 3, 7), hour))
    urgent = run("melding", received, work, today=date(2026, 3, 8), policy=URGENT)["urgent"]
    assert urgent.due_at == at(date(2026, 3, 7), 16)
    assert (urgent.due, urgent.status) == (date(2026, 3, 7), status)
    assert "Atw art. 4: not applied to a term in hours" in urgent.rules


def test_status_labels() -> None:
    assert MISSED.label() == "niet gehaald"
    assert MISSED.label("en") == "missed"
    assert {s.label() for s in DeadlineStatus} >= {"lopend", "gehaald", "niet van toepassing"}


def test_deadline_round_trips_through_the_converter() -> None:
    deadlines = run(
        "awb_complaint",
        date(2026, 3, 14),
        ("postpone", date(2026, 3, 20), {"weeks": 2}),
        today=date(2026, 3, 21),
    )
    for deadline in deadlines.values():
        assert structure(unstructure(deadline), Deadline) == deadline


# -- properties ------------------------------------------------------------------------------


ACTIONS = {
    name: sorted(
        {a for t in p.terms for _, names in t.action_fields() for a in names}
        | set(p.reopen_actions)
    )
    for name, p in POLICIES.items()
}


@st.composite
def histories(draw: st.DrawFn) -> tuple[str, Feedback, list[Event], date]:
    procedure = draw(st.sampled_from(sorted(POLICIES)))
    received = at(draw(st.dates(date(2024, 1, 1), date(2028, 12, 31))), draw(st.integers(0, 23)))
    fields: dict[str, Any] = {}
    if procedure == "objection":
        fields["decision_date"] = draw(
            st.none()
            | st.dates(received.date() - timedelta(days=120), received.date() + timedelta(days=10))
        )
    steps: list[Step] = []
    moment = received
    for _ in range(draw(st.integers(0, 6))):
        moment += timedelta(hours=draw(st.integers(0, 24 * 40)))
        action = draw(st.sampled_from(ACTIONS[procedure]))
        payload = (
            {"weeks": draw(st.integers(1, 8)), "consent": draw(st.booleans())}
            if action == "postpone"
            else {}
        )
        steps.append((action, moment, payload))
    feedback, events = case(procedure, received, tuple(steps), **fields)
    today = received.date() + timedelta(days=draw(st.integers(0, 400)))
    return procedure, feedback, events, today


def _by_key(deadlines: tuple[Deadline, ...]) -> dict[tuple[str, int], Deadline]:
    return {(d.term, d.round): d for d in deadlines}


@settings(max_examples=80, deadline=None)
@given(histories())
def test_due_dates_never_before_receipt_and_never_on_an_atw_rest_day(
    history: tuple[str, Feedback, list[Event], date],
) -> None:
    procedure, feedback, events, today = history
    policy = POLICIES[procedure]
    for deadline in compute_deadlines(feedback, events, policy, CAL, today):
        assert deadline.rules
        if deadline.due is None:
            assert deadline.status in (DeadlineStatus.NOT_STARTED, NOT_APPLICABLE)
            continue
        assert deadline.due >= feedback.received_at.date()
        assert deadline.starts is not None
        assert deadline.starts >= feedback.received_at.date()
        if AtwArticle.ROLL_FORWARD in policy.term(deadline.term).atw and not any(
            r.startswith("Atw art. 4") for r in deadline.rules
        ):
            assert CAL.atw_rest_day(deadline.due) is None, deadline
        if deadline.status is MET:
            assert deadline.met_on is not None
            assert deadline.met_on <= deadline.due


@settings(max_examples=80, deadline=None)
@given(histories(), st.data())
def test_a_postponement_never_moves_a_due_date_earlier(
    history: tuple[str, Feedback, list[Event], date], data: st.DataObject
) -> None:
    procedure, feedback, events, today = history
    policy = POLICIES[procedure]
    index = data.draw(st.integers(0, len(events)), label="index")
    moment = events[index - 1].at if index else feedback.received_at
    payload = {"weeks": data.draw(st.integers(1, 8)), "consent": data.draw(st.booleans())}
    postponement = Event(feedback.id, index + 1, "postpone", "behandelaar", moment, payload=payload)
    later = [attrs.evolve(e, seq=e.seq + 1) for e in events[index:]]
    longer = [*events[:index], postponement, *later]
    before = _by_key(compute_deadlines(feedback, events, policy, CAL, today))
    after = _by_key(compute_deadlines(feedback, longer, policy, CAL, today))
    assert before.keys() == after.keys()
    for key, deadline in before.items():
        if deadline.due is not None and after[key].due is not None:
            assert after[key].due >= deadline.due, (key, deadline.rules, after[key].rules)

"""A hand-built register with known metrics, shared by the metrics and audit indicator tests."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from feedbackkit.clock import AMSTERDAM
from feedbackkit.models import CaseRecord, Event, Feedback, Link, RelationshipOutcome


def at(month: int, day: int, hour: int = 10, minute: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=AMSTERDAM)


def case(
    ref: str,
    kind: str,
    channel: str,
    received: datetime,
    steps: Sequence[tuple[str, datetime]] = (),
    *,
    links: Sequence[Link] = (),
    outcomes: Sequence[dict[str, Any]] = (),
    **fields: Any,
) -> CaseRecord:
    feedback = Feedback(
        kind, channel, received, f"Zaak {ref}", reference=ref, links=links, **fields
    )
    payloads: dict[str, dict[str, Any]] = {
        "contact_made": {"medium": "phone"},
        "close": {"accepted": True},
        "waive_hearing": {"ground": "declined"},
        "send_findings": {"judgement": "gegrond", "ombudsman": "Nationale ombudsman"},
        "complete": {"resolution": "Tegel teruggelegd"},
        "respond": {"response": "Dank voor uw opmerking"},
    }
    events = [
        Event(feedback.id, seq, action, "anna", moment, payload=payloads.get(action, {}))
        for seq, (action, moment) in enumerate(steps, 1)
    ]
    found = [RelationshipOutcome(feedback.id, **outcome) for outcome in outcomes]
    return CaseRecord(feedback=feedback, events=events, outcomes=found)


def register() -> dict[str, CaseRecord]:
    """Seven cases received in March 2026 and one in April.

    ===  ==========  ==========  =========================================================
    A    complaint   email       contact, acknowledged, resolved informally in 4 days;
                                 outcomes weaker (7 Mar) then stronger (10 Mar, latest)
    B    complaint   phone/oral  acknowledged and contacted late, findings after the
                                 6 weeks (49 days less the DST hour); outcome weaker
    C    complaint   web_form    nothing done: contact and acknowledgement overdue on
                                 31 March, handling open, Awb 9:8 notice no longer due
    D    melding     app         acknowledged, completed, closed in 2 days 5 hours;
                                 outcome unchanged, no scores
    E    melding     counter     oral, internal; repeat of D; nothing done: overdue
    F    complaint   phone       repeat of D that became a complaint; overdue contact
                                 and acknowledgement, handling and 9:8 notice open
    G    compliment  survey      proactive, received on a Sunday, nothing done: overdue
    H    remark      letter      2 April: acknowledged, answered and closed next day
    ===  ==========  ==========  =========================================================
    """
    a = case(
        "A",
        "complaint",
        "email",
        at(3, 2),
        [
            ("contact_made", at(3, 3, 9)),
            ("acknowledge", at(3, 4)),
            ("start_informal", at(3, 4, 11)),
            ("resolve_informally", at(3, 5)),
            ("close", at(3, 6)),
        ],
        outcomes=[
            {"recorded_at": at(3, 7), "relationship": "weaker", "satisfaction_handling": 1},
            {
                "recorded_at": at(3, 10),
                "relationship": "stronger",
                "satisfaction_handling": 5,
                "satisfaction_solution": 4,
                "fairly_treated": True,
                "would_recommend": 9,
                "expectations_exceeded": True,
            },
        ],
    )
    b = case(
        "B",
        "complaint",
        "phone",
        at(3, 2, 11),
        [
            ("acknowledge", at(3, 16)),
            ("contact_made", at(3, 16, 11)),
            ("start_formal", at(3, 16, 12)),
            ("waive_hearing", at(3, 17)),
            ("send_findings", at(4, 20)),
            ("close", at(4, 20, 11)),
        ],
        form="oral",
        outcomes=[
            {
                "recorded_at": at(4, 25),
                "relationship": "weaker",
                "satisfaction_handling": 2,
                "satisfaction_solution": 1,
                "fairly_treated": False,
                "would_recommend": 3,
                "expectations_exceeded": False,
            }
        ],
    )
    c = case("C", "complaint", "web_form", at(3, 2, 12))
    d = case(
        "D",
        "melding",
        "app",
        at(3, 10),
        [
            ("acknowledge", at(3, 10, 11)),
            ("start_work", at(3, 11)),
            ("complete", at(3, 12)),
            ("close", at(3, 12, 15)),
        ],
        outcomes=[{"recorded_at": at(3, 13), "relationship": "unchanged"}],
    )
    repeat = Link("repeat_of", d.feedback.id)
    e = case("E", "melding", "counter", at(3, 11), links=[repeat], form="oral", origin="internal")
    f = case(
        "F",
        "complaint",
        "phone",
        at(3, 12),
        links=[repeat, Link("escalated_from", d.feedback.id)],
    )
    g = case("G", "compliment", "survey", at(3, 15), initiative="proactive")
    h = case(
        "H",
        "remark",
        "letter",
        at(4, 2),
        [("acknowledge", at(4, 2, 11)), ("respond", at(4, 3)), ("close", at(4, 3, 10))],
    )
    return {r.feedback.reference or "": r for r in (a, b, c, d, e, f, g, h)}

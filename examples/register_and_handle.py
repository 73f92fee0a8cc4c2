"""Embed feedbackkit in a case system: register a phone complaint, handle it under Awb
chapter 9 and read its statutory deadlines.

Run: ``python examples/register_and_handle.py [DATABASE]`` (default: an in-memory store).
"""

from __future__ import annotations

import sys
from datetime import date, datetime, timedelta

from feedbackkit import Channel, Feedback, FeedbackKit, Form, Kind, Party, PartyRef, PartyRole
from feedbackkit.clock import AMSTERDAM, FixedClock
from feedbackkit.errors import IllegalActionError


def main(db: str) -> None:
    # A fixed clock replays the story on its own dates; leave it out in production.
    clock = FixedClock(datetime(2026, 4, 24, 9, 30, tzinfo=AMSTERDAM))
    with FeedbackKit.open(db, clock=clock) as kit:
        customer = Party(name="J. de Vries", email="j.devries@example.org")
        case = kit.register(
            Feedback(
                kind=Kind.COMPLAINT,
                channel=Channel.PHONE,
                form=Form.ORAL,
                received_at=clock.now(),
                text="Ik ben al drie keer niet teruggebeld over mijn aanvraag.",
                parties=[PartyRef(customer.id, PartyRole.COMPLAINANT)],
                received_by="balie-medewerker A. Jansen",
            ),
            [customer],
        )
        kit.act(case.id, "assign_ambassador", actor="kcc", payload={"ambassador": "M. Bakker"})
        clock.advance(timedelta(days=3))
        kit.act(case.id, "acknowledge", actor="M. Bakker")
        view = kit.view(case.id, today=date(2026, 5, 1))
        print(f"{view.feedback.kind.value} in state {view.state.state!r}")
        print("allowed next:", ", ".join(view.allowed_actions))
        for deadline in view.deadlines:
            rules = "; ".join(deadline.rules)
            print(f"  {deadline.label()}: {deadline.due} ({deadline.status.label()}) [{rules}]")
        try:
            kit.act(case.id, "close", actor="M. Bakker", reason="opgelost")
        except IllegalActionError as error:
            print("refused:", error)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ":memory:")

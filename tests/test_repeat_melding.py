"""The repeat rule (Schagen practice, domain.md §1): reporting an unresolved melding
again is a complaint about the service; a repeat after resolution is a new melding."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from feedbackkit import FeedbackKit, Query
from feedbackkit.builtin.procedures import builtin_procedures
from feedbackkit.clock import AMSTERDAM, FixedClock
from feedbackkit.errors import NotFoundError
from feedbackkit.models import CaseRecord, Feedback, Link, Party, PartyRef
from feedbackkit.plugins import load_plugins
from feedbackkit.testing import strategies as fst
from feedbackkit.vocabulary import Kind, LinkType, PartyRole

MELDING = next(p for p in builtin_procedures() if p.name == "melding")
UNRESOLVED = {"received", "routed", "in_progress"}
PLUGINS = load_plugins(entry_point_plugins=False)
MONDAY = datetime(2024, 9, 2, 8, 30, tzinfo=AMSTERDAM)

PATHS: dict[str, list[tuple[str, dict[str, object]]]] = {
    "received": [],
    "routed": [("route", {"department": "Openbare Ruimte"})],
    "in_progress": [("start_work", {})],
    "actioned": [("start_work", {}), ("complete", {"resolution": "Tegel teruggelegd"})],
    "reporter_informed": [
        ("start_work", {}),
        ("complete", {"resolution": "Tegel teruggelegd"}),
        ("inform_reporter", {}),
    ],
    "closed": [
        ("start_work", {}),
        ("complete", {"resolution": "Tegel teruggelegd"}),
        ("close", {}),
    ],
    "rejected": [("reject", {"ground": "Particulier terrein"})],
}


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(MONDAY)


@pytest.fixture
def kit(clock: FixedClock) -> Iterator[FeedbackKit]:
    with FeedbackKit.open(":memory:", plugins=PLUGINS, clock=clock) as kit:
        yield kit


def melding(at: datetime, text: str = "Losliggende stoeptegel voor Molenweg 12.") -> Feedback:
    return Feedback(kind=Kind.MELDING, channel="app", received_at=at, text=text)


def original_in(kit: FeedbackKit, clock: FixedClock, state: str) -> uuid.UUID:
    """A melding registered now and brought to ``state``, a day per step."""
    view = kit.register(melding(clock.now()))
    for action, payload in PATHS[state]:
        clock.advance(timedelta(days=1))
        view = kit.act(view.id, action, actor="Daan Bakker", payload=payload)
    assert view.state.state == state
    return view.id


def test_paths_cover_every_state_of_the_melding_procedure() -> None:
    assert set(PATHS) == set(MELDING.states)
    assert {s for s in MELDING.states if "repeat_reported" in MELDING.allowed(s)} == UNRESOLVED


@pytest.mark.parametrize("state", sorted(UNRESOLVED))
def test_repeat_about_an_unresolved_melding_opens_a_linked_complaint(
    kit: FeedbackKit, clock: FixedClock, state: str
) -> None:
    original = original_in(kit, clock, state)
    before = kit.view(original)
    clock.advance(timedelta(days=3))
    reporter = Party(name="Anouk Smit", email="anouk@example.nl")
    again = attrs.evolve(
        melding(clock.now(), "Die tegel ligt er nog steeds!"),
        parties=(PartyRef(reporter.id, PartyRole.REPORTER),),
    )

    view = kit.report_repeat(original, again, [reporter], actor="KCC Noor")

    assert view.id == again.id
    assert view.feedback.kind is Kind.COMPLAINT
    assert view.procedure.name == "awb_complaint"
    assert view.state.state == "received"
    assert set(view.feedback.links) == {
        Link(LinkType.REPEAT_OF, original),
        Link(LinkType.ESCALATED_FROM, original),
    }
    assert view.feedback.text == again.text
    assert view.record.parties == (reporter,)

    after = kit.view(original)
    assert after.events[: before.state.version] == before.events  # history untouched
    (recorded,) = after.events[before.state.version :]
    assert (recorded.action, recorded.actor, recorded.at) == (
        "repeat_reported",
        "KCC Noor",
        clock.now(),
    )
    assert recorded.payload["repeat"] == str(again.id)
    assert after.state.state == state  # recording the repeat does not move the melding


@pytest.mark.parametrize("state", sorted(set(PATHS) - UNRESOLVED))
def test_repeat_about_a_resolved_melding_registers_a_new_melding(
    kit: FeedbackKit, clock: FixedClock, state: str
) -> None:
    original = original_in(kit, clock, state)
    before = kit.view(original)
    clock.advance(timedelta(days=10))
    again = melding(clock.now(), "De tegel ligt weer los.")

    view = kit.report_repeat(original, again, actor="KCC Noor")

    assert view.feedback.kind is Kind.MELDING
    assert view.procedure.name == "melding"
    assert view.feedback.links == (Link(LinkType.REPEAT_OF, original),)
    assert kit.view(original).events == before.events


def test_each_repeat_opens_its_own_complaint(kit: FeedbackKit, clock: FixedClock) -> None:
    original = original_in(kit, clock, "routed")
    complaints = []
    for day in (2, 5):
        clock.advance(timedelta(days=day))
        complaints.append(kit.report_repeat(original, melding(clock.now()), actor="KCC").id)
    repeats = [e for e in kit.view(original).events if e.action == "repeat_reported"]
    assert [e.payload["repeat"] for e in repeats] == [str(c) for c in complaints]
    found = {s.case_id for s in kit.cases(Query(procedures=("awb_complaint",)))}
    assert found == set(complaints)


def test_the_complaint_runs_the_awb_terms_from_its_own_receipt(
    kit: FeedbackKit, clock: FixedClock
) -> None:
    original = original_in(kit, clock, "in_progress")
    clock.advance(timedelta(days=1))
    view = kit.report_repeat(original, melding(clock.now()), actor="KCC")
    handling = next(d for d in view.deadlines if d.term == "handling")
    assert handling.statutory
    assert handling.starts == clock.now().date()
    assert handling.due is not None
    assert handling.due >= clock.now().date() + timedelta(weeks=6)
    complaint = kit.act(view.id, "start_formal", actor="Pieter Bakker")
    assert complaint.state.state == "investigation"


def test_repeat_about_an_unknown_case_registers_nothing(kit: FeedbackKit) -> None:
    with pytest.raises(NotFoundError):
        kit.report_repeat(uuid.uuid4(), melding(MONDAY), actor="KCC")
    assert kit.count() == 0


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fst.case_records([MELDING], max_events=6), st.data())
def test_a_repeat_is_a_complaint_exactly_while_the_melding_is_unresolved(
    record: CaseRecord, data: st.DataObject
) -> None:
    last = max([record.feedback.received_at, *(e.at for e in record.events)])
    clock = FixedClock(last + timedelta(hours=1))
    repeat = data.draw(fst.feedback([Kind.MELDING, Kind.SIGNAL], received=st.just(clock.now())))
    with FeedbackKit.open(":memory:", plugins=PLUGINS, clock=clock) as kit:
        kit.ingest([record])
        original = record.feedback.id
        state = kit.view(original).state.state
        view = kit.report_repeat(original, repeat, actor="KCC")
        escalated = Link(LinkType.ESCALATED_FROM, original) in view.feedback.links
        assert Link(LinkType.REPEAT_OF, original) in view.feedback.links
        assert set(repeat.links) <= set(view.feedback.links)
        assert escalated is (state in UNRESOLVED)
        assert view.procedure.name == ("awb_complaint" if escalated else "melding")
        assert kit.view(original).state.version == record.version + escalated
        assert kit.view(original).state.state == state

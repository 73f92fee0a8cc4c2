"""Signalen signals as meldingen: the public sample payloads, the status mapping onto the
melding procedure, satisfaction answers, status updates, and fuzzing."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from feedbackkit.channels.ids import case_id
from feedbackkit.channels.signalen import SignalenChannel, apply_update
from feedbackkit.channels.signalen_states import default_mapping
from feedbackkit.clock import AMSTERDAM, FixedClock
from feedbackkit.errors import ValidationError
from feedbackkit.models import CaseRecord
from feedbackkit.ports import Rejected, Skipped
from feedbackkit.service import FeedbackKit
from feedbackkit.vocabulary import Channel, Form, Initiative, Kind, LinkType, PartyRole

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "signalen"
DOCS = Path(__file__).resolve().parents[1] / "docs" / "channels.md"
NOW = datetime(2026, 3, 2, 12, 0, tzinfo=AMSTERDAM)

needs_data = pytest.mark.skipif(
    not DATA.is_dir(), reason=f"the Signalen sample payloads are not at {DATA} (shared/data)"
)


@pytest.fixture
def kit() -> Iterator[FeedbackKit]:
    with FeedbackKit.open(":memory:", clock=FixedClock(NOW)) as kit:
        yield kit


def channel(**options: str) -> SignalenChannel:
    return SignalenChannel(clock=FixedClock(NOW)).configure(options)


def signal(**changes: Any) -> dict[str, Any]:
    """A signal as the Signalen list endpoint gives it (shaped like incidents.json)."""
    data: dict[str, Any] = {
        "id": 6254,
        "signal_id": "7d5a4a5e-0c3a-4b7b-9a55-3c1ab1d0e001",
        "text": "Container bij de Dorpsstraat is vol.",
        "text_extra": "",
        "created_at": "2021-03-30T10:30:11+02:00",
        "source": "online",
        "reporter": {"email": "melder@example.nl", "phone": "", "sharing_allowed": True},
        "category": {"main": "Afval", "sub": "Container is vol", "departments": "ASC, STW"},
        "location": {"address_text": "Dorpsstraat 1, 1011AA Amsterdam"},
        "status": {"state": "m", "text": None, "created_at": "2021-03-30T10:30:11+02:00"},
    }
    data.update(changes)
    return data


def read(data: Any, **options: str) -> list[CaseRecord | Rejected | Skipped]:
    raw = json.dumps(data).encode()
    return list(channel(**options).read_raw(raw, "signal.json", 1))


def melding(data: Any) -> CaseRecord:
    first = read(data)[0]
    assert isinstance(first, CaseRecord), first
    return first


def status(state: str, when: str, text: str | None = None) -> dict[str, Any]:
    """A history entry as the /history endpoint gives it."""
    label = default_mapping().states[state].nl
    return {
        "identifier": f"UPDATE_STATUS_{when}",
        "when": when,
        "what": "UPDATE_STATUS",
        "action": f"Status gewijzigd naar: {label}",
        "description": text,
        "who": "behandelaar@gemeente.example",
    }


def actions(record: CaseRecord) -> list[str]:
    return [e.action for e in record.events]


# -- the public sample payloads ------------------------------------------------------


@needs_data
@pytest.mark.parametrize(
    "name",
    ["create_initial.json", "create_initial_public.json", "signal_post.json", "incidents.json"],
)
def test_every_sample_signal_imports(name: str, kit: FeedbackKit) -> None:
    items = list(channel(categories=str(DATA / "categories.json")).read(DATA / name))
    assert items
    for item in items:
        assert isinstance(item, CaseRecord), item
        assert item.feedback.kind is Kind.MELDING
        kit.prepare(item)
    report = kit.ingest(r for r in items if isinstance(r, CaseRecord))
    assert report.inserted == len({r.feedback.id for r in items if isinstance(r, CaseRecord)})


@needs_data
def test_the_incident_list_maps_channel_category_location_and_the_handled_status(
    kit: FeedbackKit,
) -> None:
    items = list(channel().read(DATA / "incidents.json"))
    handled, dead_animal, duplicate = (i for i in items if isinstance(i, CaseRecord))
    feedback = handled.feedback
    assert (feedback.channel, feedback.form) == (Channel.PHONE, Form.ORAL)  # "Telefoon – ASC"
    assert feedback.subject == "Overlast in de openbare ruimte: Wegsleep"
    assert feedback.location == "Staalstraat 3B, 1011JJ Amsterdam"
    assert feedback.org_unit == "ASC, CCA, THO"
    assert feedback.external_case is not None
    assert feedback.external_case.identifier == "1668"
    assert feedback.id == case_id("signalen", "signal_id:84c8125c-6162-4504-9932-d2eec88d4053")
    assert actions(handled) == ["note", "start_work", "complete", "close"]
    assert handled.events[2].payload["resolution"] == ",m,"  # the status text, as given
    assert [e.payload["signalen"].get("implied", False) for e in handled.events[1:]] == [
        False,
        True,
        True,
    ]
    assert kit.prepare(handled)[1].state == "closed"
    assert duplicate.feedback.id == dead_animal.feedback.id  # listed twice: stored once
    assert kit.ingest([dead_animal, duplicate]).inserted == 1


@needs_data
def test_categories_given_by_url_are_named_from_the_category_tree() -> None:
    (item,) = channel(categories=str(DATA / "categories.json")).read(DATA / "create_initial.json")
    assert isinstance(item, CaseRecord)
    assert item.feedback.subject == "Overig: Overig"
    (bare,) = channel().read(DATA / "create_initial.json")
    assert isinstance(bare, CaseRecord)
    assert bare.feedback.subject == "overig: overig"


@needs_data
def test_the_history_sample_applies_to_its_signal(kit: FeedbackKit) -> None:
    """incidentHistory.json: Gemeld, Geannuleerd, a satisfied answer, Heropend."""
    history = json.loads((DATA / "incidentHistory.json").read_text("utf-8"))
    alone = list(channel().read(DATA / "incidentHistory.json"))
    assert len(alone) == 1
    assert isinstance(alone[0], Rejected)
    assert "under the signal's 'history' key" in alone[0].reason
    items = read(signal(history=history))
    assert len(items) == 2
    meld, answer = items
    assert isinstance(meld, CaseRecord)
    assert isinstance(answer, CaseRecord)
    texts = [str(e.payload.get("text", "")) for e in meld.events]
    assert actions(meld)[-1] == "start_work"  # Heropend: the work goes on
    assert any(t.startswith("Signalen-status Geannuleerd (a): Hoofdmelding") for t in texts)
    assert "Signalen: Categorie gewijzigd naar: Container is vol" in texts
    assert kit.prepare(meld)[1].state == "in_progress"
    assert answer.feedback.kind is Kind.SATISFACTION
    assert (answer.feedback.channel, answer.feedback.initiative) == (
        Channel.SURVEY,
        Initiative.PROACTIVE,
    )
    assert answer.feedback.text.startswith("Ja, de melder is tevreden\nWaarom: Ik vond het")
    assert answer.feedback.links[0].type is LinkType.ESCALATED_FROM
    assert answer.feedback.links[0].target == meld.feedback.id
    assert answer.outcomes == ()  # Signalen asks no relationship question: none is invented
    assert answer.parties == meld.parties
    kit.prepare(answer)


@needs_data
def test_standard_satisfaction_answers_are_reference_data_not_signals() -> None:
    skipped: list[Skipped] = []
    reader = SignalenChannel().configure({}, on_skip=skipped.append)
    assert list(reader.read(DATA / "kto.json")) == []
    assert len(skipped) == 11
    assert "standard satisfaction answer" in skipped[0].reason


@needs_data
def test_a_status_update_applies_to_the_stored_melding(kit: FeedbackKit) -> None:
    (item,) = channel().read(DATA / "signal_post.json")
    assert isinstance(item, CaseRecord)
    kit.ingest([item])
    update = json.loads((DATA / "update_status.json").read_text("utf-8"))
    alone = list(channel().read(DATA / "update_status.json"))
    assert len(alone) == 1
    assert isinstance(alone[0], Rejected)
    assert "apply_update" in alone[0].reason
    view = apply_update(kit, item.feedback.id, update, at=NOW, actor="behandelaar")
    assert view.state.state == "in_progress"
    assert view.events[-1].payload["signalen"] == {
        "state": "b",
        "label": "In behandeling",
        "text": "Test status update",
    }
    done = apply_update(
        kit, item.feedback.id, {"status": {"state": "o", "text": "Geleegd"}}, at=NOW
    )
    assert (done.state.state, done.events[-2].payload["resolution"]) == ("closed", "Geleegd")
    with pytest.raises(ValidationError, match="cannot record"):
        apply_update(kit, item.feedback.id, {"status": {"state": "h"}}, at=NOW)
    with pytest.raises(ValidationError, match="unknown Signalen state 'x'"):
        apply_update(kit, item.feedback.id, {"status": {"state": "x"}}, at=NOW)


# -- the status mapping ----------------------------------------------------------------


@pytest.mark.parametrize("code", list(default_mapping().states))
@pytest.mark.parametrize("before", [[], ["b"], ["o"]], ids=["new", "in-progress", "closed"])
def test_every_status_gives_a_history_the_melding_procedure_allows(
    code: str, before: list[str], kit: FeedbackKit
) -> None:
    codes = ["m", *before, code]
    history = [status(c, f"2021-04-0{day}T10:00:00+02:00") for day, c in enumerate(codes, 1)]
    item = melding(signal(history=list(reversed(history))))
    state = kit.prepare(item)[1].state  # a valid history: every event allowed, none before receipt
    spec = default_mapping().states[code]
    if spec.targets and not before:
        assert state == spec.targets[0]
    recorded = [e for e in item.events if e.payload.get("signalen", {}).get("state") == code]
    listed = [n for n in item.events[0].payload["intake"]["not_recorded"] if spec.nl in n]
    assert recorded or listed or codes == ["m", "m"]  # the first Gemeld is the receipt itself


def test_the_docs_table_matches_the_mapping() -> None:
    table = DOCS.read_text("utf-8").split("### Status mapping", 1)[1]
    for spec in default_mapping().states.values():
        row = re.search(
            rf"^\| `{re.escape(spec.code)}` \| {re.escape(spec.nl)} \| ([^|]+) \|", table, re.M
        )
        assert row, f"docs/channels.md lacks the status {spec.code!r}"
        shown = row.group(1).strip()
        assert shown == (", else ".join(spec.targets) or "–"), spec.code


def test_a_cancellation_before_work_rejects_the_melding(kit: FeedbackKit) -> None:
    item = melding(
        signal(
            status={
                "state": "a",
                "text": "Dubbele melding",
                "created_at": "2021-03-31T09:00:00+02:00",
            }
        )
    )
    assert actions(item) == ["note", "reject"]
    assert item.events[1].payload["ground"] == "Dubbele melding"
    assert kit.prepare(item)[1].state == "rejected"


def test_a_cancellation_after_work_started_closes_it(kit: FeedbackKit) -> None:
    history = [status("m", "2021-03-30T10:30:11+02:00"), status("b", "2021-03-31T09:00:00+02:00"),
               status("a", "2021-04-01T09:00:00+02:00", "Niet te vinden")]  # fmt: skip
    item = melding(signal(history=list(reversed(history))))
    assert actions(item) == ["note", "start_work", "complete", "close"]
    assert kit.prepare(item)[1].state == "closed"


def test_a_routed_signal_names_its_department(kit: FeedbackKit) -> None:
    item = melding(signal(status={"state": "i", "created_at": "2021-03-31T09:00:00+02:00"}))
    assert actions(item) == ["note", "route"]
    assert item.events[1].payload["department"] == "ASC, STW"
    no_department = signal(status={"state": "i"}, category={"main": "Afval", "sub": "Overig"})
    assert actions(melding(no_department)) == ["note", "note"]  # kept as a note


def test_statuses_after_closing_that_a_closed_melding_cannot_take_are_listed(
    kit: FeedbackKit,
) -> None:
    history = [status("o", "2021-03-31T09:00:00+02:00", "Geleegd"),
               status("reopen requested", "2021-04-02T09:00:00+02:00"),
               status("reopened", "2021-04-03T09:00:00+02:00", "Toch niet geleegd")]  # fmt: skip
    item = melding(signal(history=list(reversed(history))))
    assert actions(item) == ["note", "start_work", "complete", "close", "reopen"]
    (listed,) = item.events[0].payload["intake"]["not_recorded"]
    assert "Verzoek tot heropenen" in listed
    assert kit.prepare(item)[1].state == "in_progress"


def test_history_before_receipt_is_recorded_at_receipt(kit: FeedbackKit) -> None:
    item = melding(signal(history=[status("b", "2021-03-29T10:00:00+02:00")]))
    assert item.events[1].at == item.feedback.received_at
    assert any("lies before receipt" in w for w in item.events[0].payload["intake"]["warnings"])
    kit.prepare(item)


def test_form_answers_become_dissatisfaction_cases(kit: FeedbackKit) -> None:
    answer = {
        "is_satisfied": False,
        "allows_contact": True,
        "text_list": ["De behandeling duurde te lang"],
        "text_extra": "Drie weken!",
        "submitted_at": "2021-04-05T10:00:00+02:00",
    }
    meld, case = read(
        signal(status={"state": "o", "created_at": "2021-04-01T09:00:00+02:00"}, feedback=[answer])
    )
    assert isinstance(meld, CaseRecord)
    assert isinstance(case, CaseRecord)
    assert case.feedback.kind is Kind.DISSATISFACTION
    assert (
        case.feedback.text
        == "Nee, ik ben niet tevreden\nDe behandeling duurde te lang\nDrie weken!"
    )
    assert case.feedback.parties[0].role is PartyRole.COMPLAINANT
    assert case.events[0].payload["intake"]["signalen"]["answer"] == {
        "from": "form",
        "allows_contact": True,
    }
    assert kit.prepare(case)[1].procedure == "awb_complaint"


@pytest.mark.parametrize(
    ("data", "field", "reason"),
    [
        (signal(status={"state": "z"}), "status.state", "unknown Signalen state 'z'"),
        (signal(history=[status("m", "2021-03-31T09:00:00+02:00") | {"action": "Status: Zoek"}]),
         "history[0].action", "unknown Signalen state 'Zoek'"),
        (signal(text="  "), "text", "required"),
        (signal(created_at="gisteren"), "created_at", "not an ISO 8601 moment"),
        (signal(reporter="melder@example.nl"), "reporter", "expected an object"),
        ([1, 2], "signal", "expected a Signalen signal"),
    ],
)  # fmt: skip
def test_bad_signals_are_rejected_with_the_field(data: Any, field: str, reason: str) -> None:
    (item,) = read(data)
    assert isinstance(item, Rejected)
    assert (item.field, item.position) == (field, 1)
    assert reason in item.reason


def test_a_file_that_is_not_json_is_one_rejection(tmp_path: Path) -> None:
    path = tmp_path / "kapot.signalen.json"
    path.write_bytes(b'{"text": "abc"')
    (item,) = channel().read(path)
    assert isinstance(item, Rejected)
    assert (item.field, item.position) == ("json", 1)


# -- fuzzing: any JSON gives a typed result --------------------------------------------

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=20,
)
STATES = st.sampled_from(list(default_mapping().states))
MOMENTS = st.sampled_from(
    ["2021-03-30T11:00:00+02:00", "2021-04-30T11:00:00", "0001-01-01T00:00:00+05:00", "x", ""]
)
FIELDS = st.fixed_dictionaries(
    {},
    optional={
        "text": st.text(max_size=40) | JSON,
        "created_at": MOMENTS | JSON,
        "status": st.fixed_dictionaries({}, optional={"state": STATES | JSON, "text": JSON}) | JSON,
        "history": st.lists(st.builds(status, STATES, MOMENTS, st.text(max_size=10)), max_size=6)
        | JSON,
        "feedback": st.lists(
            st.fixed_dictionaries(
                {"is_satisfied": st.booleans() | JSON},
                optional={"text_list": JSON, "submitted_at": MOMENTS | JSON},
            )
        )
        | JSON,
        **dict.fromkeys(
            ["reporter", "category", "location", "routing_departments", "signal_id", "_links"], JSON
        ),
    },
)


DAYS = st.integers(1, 28).map(lambda d: f"2021-04-{d:02}T10:00:00+02:00")
HISTORIES = st.builds(
    lambda history, answers: signal(history=history, feedback=answers),
    st.lists(st.builds(status, STATES, DAYS, st.none() | st.text(max_size=10)), max_size=8),
    st.lists(
        st.fixed_dictionaries({"is_satisfied": st.booleans(), "submitted_at": DAYS}), max_size=2
    ),
)
"""Well-formed signals with random histories: the mapping must cope with any order."""


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(HISTORIES, FIELDS, JSON))
def test_any_json_gives_cases_that_pass_their_procedure_or_a_typed_result(data: Any) -> None:
    items = read(data)
    assert items
    with FeedbackKit.open(":memory:") as kit:
        for item in items:
            assert isinstance(item, CaseRecord | Rejected | Skipped)
            if isinstance(item, CaseRecord):
                kit.prepare(item)

"""The one converter: every model survives unstructure/structure and JSON text; bad data
raises a ValidationError naming the field path."""

from __future__ import annotations

import copy
import json
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from feedbackkit.clock import AMSTERDAM
from feedbackkit.converter import structure, unstructure
from feedbackkit.errors import ValidationError
from feedbackkit.models import (
    CaseRecord,
    Event,
    ExternalCase,
    Feedback,
    Link,
    Party,
    PartyRef,
    RelationshipOutcome,
    Retention,
)
from feedbackkit.testing import strategies as fst
from feedbackkit.vocabulary import Kind

MODELS: list[tuple[type[Any], Callable[[], st.SearchStrategy[Any]]]] = [
    (Link, fst.links),
    (ExternalCase, fst.external_cases),
    (Retention, fst.retentions),
    (PartyRef, fst.party_refs),
    (Party, fst.parties),
    (Feedback, fst.feedback),
    (Event, fst.events),
    (RelationshipOutcome, fst.relationship_outcomes),
    (CaseRecord, fst.case_records),
]
ROUND_TRIP = settings(max_examples=40, deadline=None)


@pytest.mark.parametrize(("cls", "strategy"), MODELS, ids=[c.__name__ for c, _ in MODELS])
@ROUND_TRIP
@given(data=st.data())
def test_every_model_round_trips(
    cls: type[Any], strategy: Callable[[], st.SearchStrategy[Any]], data: st.DataObject
) -> None:
    value = data.draw(strategy())
    plain = unstructure(value)
    assert structure(plain, cls) == value
    assert unstructure(structure(plain, cls)) == plain


@pytest.mark.parametrize(("cls", "strategy"), MODELS, ids=[c.__name__ for c, _ in MODELS])
@ROUND_TRIP
@given(data=st.data())
def test_every_model_round_trips_through_json_text(
    cls: type[Any], strategy: Callable[[], st.SearchStrategy[Any]], data: st.DataObject
) -> None:
    value = data.draw(strategy())
    text = json.dumps(unstructure(value), ensure_ascii=False, allow_nan=False)
    back = structure(json.loads(text), cls)
    assert back == value
    assert json.dumps(unstructure(back), ensure_ascii=False) == text


@ROUND_TRIP
@given(fst.case_records())
def test_moments_come_back_in_amsterdam(record: CaseRecord) -> None:
    back = structure(json.loads(json.dumps(unstructure(record))), CaseRecord)
    assert all(m.tzinfo is AMSTERDAM for m in _moments(back))
    assert [m.isoformat() for m in _moments(back)] == [m.isoformat() for m in _moments(record)]


def _moments(record: CaseRecord) -> list[datetime]:
    return [
        record.feedback.received_at,
        *(e.at for e in record.events),
        *(o.recorded_at for o in record.outcomes),
    ]


def test_plain_form_uses_strings_for_ids_enums_and_moments() -> None:
    case = uuid.UUID("00000000-0000-4000-8000-000000000001")
    feedback = Feedback(
        id=case,
        kind=Kind.MELDING,
        channel="app",
        received_at=datetime(2024, 12, 24, 8, 15, tzinfo=UTC),
        text="Lantaarnpaal kapot bij de speeltuin.",
        decision_date=date(2024, 12, 1),
    )
    plain = unstructure(feedback)
    assert plain["id"] == "00000000-0000-4000-8000-000000000001"
    assert plain["kind"] == "melding"
    assert plain["received_at"] == "2024-12-24T09:15:00+01:00"
    assert plain["decision_date"] == "2024-12-01"
    assert (plain["links"], plain["tags"]) == ([], [])


def test_other_offsets_are_read_as_the_same_instant() -> None:
    plain = unstructure(
        Event(uuid.uuid4(), 1, "note", "a.visser", datetime(2024, 6, 1, 12, tzinfo=AMSTERDAM))
    )
    plain["at"] = "2024-06-01T10:00:00+00:00"
    event = structure(plain, Event)
    assert event.at == datetime(2024, 6, 1, 12, tzinfo=AMSTERDAM)
    assert event.at.tzinfo is AMSTERDAM


RECORD = CaseRecord(
    feedback=Feedback(
        kind="complaint",
        channel="letter",
        received_at=datetime(2024, 3, 4, 9, 30, tzinfo=AMSTERDAM),
        text="Ik ben onbeschoft te woord gestaan aan de balie.",
        parties=(PartyRef(uuid.UUID(int=7), "complainant"),),
    ),
    parties=(Party(id=uuid.UUID(int=7), name="Jan Jansen"),),
)
PLAIN = unstructure(
    CaseRecord(
        feedback=RECORD.feedback,
        parties=RECORD.parties,
        events=(Event(RECORD.feedback.id, 1, "acknowledge", "Noor", RECORD.feedback.received_at),),
        outcomes=(
            RelationshipOutcome(
                RECORD.feedback.id, RECORD.feedback.received_at, "unchanged", would_recommend=7
            ),
        ),
    )
)


def _with(data: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A copy of ``data`` with the item at ``path`` (``events.0.at``) set (deleted for ``...``)."""
    changed = copy.deepcopy(data)
    *parents, last = path.split(".")
    node: Any = changed
    for key in parents:
        node = node[int(key)] if isinstance(node, list) else node[key]
    key: Any = int(last) if isinstance(node, list) else last
    if value is ...:
        del node[key]
    else:
        node[key] = value
    return changed


BAD: list[tuple[str, Any, str]] = [
    ("feedback.kind", "klacht", "feedback.kind"),
    ("feedback.text", ..., "feedback.text"),
    ("feedback.kleur", "rood", "feedback.kleur"),
    ("feedback.received_at", "gisteren", "feedback.received_at"),
    ("feedback.received_at", "2024-03-04T09:30:00", "feedback.received_at"),
    ("feedback.conduct_date", "2099-01-01", "feedback.conduct_date"),
    ("feedback.tags", "parkeren", "feedback.tags"),
    ("feedback.retention.legal_hold", "false", "feedback.retention.legal_hold"),
    ("feedback.retention.period", "vijf jaar", "feedback.retention.period"),
    ("feedback.parties.0.role", "klager", "feedback.parties[0].role"),
    ("parties.0.email", "geen-adres", "parties[0].email"),
    ("events.0.seq", "1", "events[0].seq"),
    ("events.0.seq", True, "events[0].seq"),
    ("events.0.case_id", "geen-uuid", "events[0].case_id"),
    ("events.0.action", " ", "events[0].action"),
    ("events.0.at", "2024-03-04T10:00:00", "events[0].at"),
    ("outcomes.0.would_recommend", 11, "outcomes[0].would_recommend"),
    ("outcomes.0.relationship", "beter", "outcomes[0].relationship"),
    ("parties", [], "parties"),
    ("feedback", ..., "feedback"),
]


@pytest.mark.parametrize(("path", "value", "field"), BAD, ids=[f"{p}={v!r}" for p, v, _ in BAD])
def test_bad_data_names_the_field_path(path: str, value: Any, field: str) -> None:
    assert structure(PLAIN, CaseRecord).feedback == RECORD.feedback
    with pytest.raises(ValidationError) as caught:
        structure(_with(PLAIN, path, value), CaseRecord)
    assert caught.value.field == field
    assert str(caught.value).startswith(f"{field}: ")


def test_strict_scalars_show_the_value_given() -> None:
    with pytest.raises(ValidationError, match="expected int, got True"):
        structure(_with(PLAIN, "events.0.seq", True), CaseRecord)

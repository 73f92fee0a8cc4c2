"""The frozen models validate on construction; every ValidationError names its field."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import attrs
import pytest
from hypothesis import given, settings

from feedbackkit.clock import AMSTERDAM
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
from feedbackkit.vocabulary import ContactPreference, Kind, LinkType, PartyRole

RECEIVED = datetime(2024, 3, 4, 9, 30, tzinfo=AMSTERDAM)
CASE = uuid.UUID("00000000-0000-4000-8000-000000000001")
PARTY = Party(
    id=uuid.UUID("00000000-0000-4000-8000-000000000002"),
    name="Fatima El Amrani",
    email="f.elamrani@example.nl",
    phone="06-12345678",
    address="Kerkplein 3, 1741 BA Schagen",
)
FEEDBACK = Feedback(
    id=CASE,
    kind="complaint",
    channel="web_form",
    received_at=RECEIVED,
    text="De stoeptegel ligt al drie maanden los en niemand belt terug.",
    reference="KL-2024-00042",
    subject="Losse stoeptegel",
    org_unit="Openbare Ruimte",
    location="Molenweg 12, Schagen",
    conduct_date=date(2024, 2, 1),
    tags=("openbare ruimte",),
    parties=(PartyRef(PARTY.id, "complainant"),),
    received_by="Pieter Bakker",
)
EVENT = Event(case_id=CASE, seq=1, action="acknowledge", actor="Pieter Bakker", at=RECEIVED)
OUTCOME = RelationshipOutcome(case_id=CASE, recorded_at=RECEIVED, relationship="stronger")
RECORD = CaseRecord(feedback=FEEDBACK, parties=(PARTY,), events=(EVENT,), outcomes=(OUTCOME,))
LINK = Link(LinkType.REPEAT_OF, uuid.UUID("00000000-0000-4000-8000-000000000003"))

NAIVE = datetime(2024, 3, 4, 9, 30)
OTHER = uuid.UUID("00000000-0000-4000-8000-0000000000ff")

INVALID: list[tuple[object, dict[str, Any], str]] = [
    (LINK, {"type": "kopie_van"}, "type"),
    (ExternalCase("ZAAK-1"), {"identifier": "   "}, "identifier"),
    (Retention(), {"period": "5 jaar"}, "period"),
    (PartyRef(PARTY.id, "beklaagde"), {"role": "klager"}, "role"),
    (FEEDBACK, {"kind": "klacht"}, "kind"),
    (FEEDBACK, {"channel": "fax"}, "channel"),
    (FEEDBACK, {"initiative": "spontaan"}, "initiative"),
    (FEEDBACK, {"origin": "buitenland"}, "origin"),
    (FEEDBACK, {"form": "gezongen"}, "form"),
    (FEEDBACK, {"received_at": NAIVE}, "received_at"),
    (FEEDBACK, {"text": " \n\t"}, "text"),
    (FEEDBACK, {"reference": ""}, "reference"),
    (FEEDBACK, {"subject": "  "}, "subject"),
    (FEEDBACK, {"org_unit": " "}, "org_unit"),
    (FEEDBACK, {"location": "\n"}, "location"),
    (FEEDBACK, {"received_by": ""}, "received_by"),
    (FEEDBACK, {"conduct_date": date(2024, 3, 5)}, "conduct_date"),
    (FEEDBACK, {"language": "Nederlands"}, "language"),
    (FEEDBACK, {"tags": ["parkeren,afval"]}, "tags"),
    (FEEDBACK, {"tags": ["x" * 81]}, "tags"),
    (FEEDBACK, {"tags": "parkeren"}, "tags"),
    (FEEDBACK, {"links": [Link(LinkType.REPEAT_OF, CASE)]}, "links"),
    (PARTY, {"kind": "robot"}, "kind"),
    (PARTY, {"email": "geen adres"}, "email"),
    (PARTY, {"email": "a@b@c"}, "email"),
    (PARTY, {"contact_preference": "postduif"}, "contact_preference"),
    (PARTY, {"language": "NL"}, "language"),
    (EVENT, {"seq": 0}, "seq"),
    (EVENT, {"action": " "}, "action"),
    (EVENT, {"actor": ""}, "actor"),
    (EVENT, {"at": NAIVE}, "at"),
    (OUTCOME, {"recorded_at": NAIVE}, "recorded_at"),
    (OUTCOME, {"relationship": "beter"}, "relationship"),
    (OUTCOME, {"satisfaction_solution": 0}, "satisfaction_solution"),
    (OUTCOME, {"satisfaction_handling": 6}, "satisfaction_handling"),
    (OUTCOME, {"would_recommend": 11}, "would_recommend"),
    (OUTCOME, {"would_recommend": -1}, "would_recommend"),
    (RECORD, {"parties": ()}, "parties"),
    (RECORD, {"events": (attrs.evolve(EVENT, case_id=OTHER),)}, "events"),
    (RECORD, {"events": (attrs.evolve(EVENT, seq=2),)}, "events"),
    (RECORD, {"events": (EVENT, EVENT)}, "events"),
    (RECORD, {"outcomes": (attrs.evolve(OUTCOME, case_id=OTHER),)}, "outcomes"),
]


def _id(case: tuple[object, dict[str, Any], str]) -> str:
    value, changes, _ = case
    return f"{type(value).__name__}-{'-'.join(changes)}"


@pytest.mark.parametrize(("valid", "changes", "field"), INVALID, ids=[_id(c) for c in INVALID])
def test_invalid_value_raises_validation_error_naming_the_field(
    valid: object, changes: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        attrs.evolve(valid, **changes)
    assert caught.value.field == field
    assert str(caught.value).startswith(f"{field}: ")


@pytest.mark.parametrize(
    ("valid", "changes"),
    [
        (LINK, {"type": "same_problem_as"}),
        (Retention(), {"period": "P5Y"}),
        (FEEDBACK, {"conduct_date": RECEIVED.date(), "language": "en-GB"}),
        (PARTY, {"email": None, "language": "pap"}),
        (EVENT, {"seq": 7}),
        (OUTCOME, {"satisfaction_solution": 5, "would_recommend": 0}),
        (RECORD, {"events": (), "outcomes": ()}),
    ],
    ids=lambda v: type(v).__name__ if not isinstance(v, dict) else "-".join(v),
)
def test_boundary_values_are_accepted(valid: object, changes: dict[str, Any]) -> None:
    changed = attrs.evolve(valid, **changes)
    for name, value in changes.items():
        assert getattr(changed, name) == value


def test_enum_fields_accept_values_and_members() -> None:
    assert FEEDBACK.kind is Kind.COMPLAINT
    assert PartyRef(PARTY.id, PartyRole.REPORTER).role is PartyRole.REPORTER
    assert attrs.evolve(PARTY, contact_preference="letter").contact_preference is (
        ContactPreference.LETTER
    )


def test_moments_are_kept_as_instants_in_amsterdam() -> None:
    utc = datetime(2024, 7, 1, 8, 0, tzinfo=UTC)
    feedback = attrs.evolve(FEEDBACK, received_at=utc)
    assert feedback.received_at == utc
    assert feedback.received_at.tzinfo is AMSTERDAM
    assert feedback.received_at.hour == 10  # CEST


def test_tags_are_stripped_sorted_and_unique() -> None:
    feedback = attrs.evolve(FEEDBACK, tags=[" wachttijd", "bejegening", "wachttijd "])
    assert feedback.tags == ("bejegening", "wachttijd")


def test_conduct_date_is_checked_against_the_local_receipt_date() -> None:
    # 23:30 UTC on 3 March is 00:30 on 4 March in Amsterdam: conduct on 4 March is fine.
    late = datetime(2024, 3, 3, 23, 30, tzinfo=UTC)
    assert attrs.evolve(FEEDBACK, received_at=late).conduct_date == date(2024, 2, 1)
    attrs.evolve(FEEDBACK, received_at=late, conduct_date=date(2024, 3, 4))  # accepted
    with pytest.raises(ValidationError, match="conduct_date"):
        attrs.evolve(FEEDBACK, received_at=late, conduct_date=date(2024, 3, 5))


def test_party_ids_by_role() -> None:
    beklaagde = uuid.uuid4()
    feedback = attrs.evolve(
        FEEDBACK, parties=(*FEEDBACK.parties, PartyRef(beklaagde, PartyRole.BEKLAAGDE))
    )
    assert feedback.party_ids(PartyRole.BEKLAAGDE) == (beklaagde,)
    assert feedback.party_ids() == (PARTY.id, beklaagde)


def test_case_record_version_is_the_number_of_events() -> None:
    second = Event(CASE, 2, "note", "Noor Visser", RECEIVED + timedelta(hours=1))
    assert attrs.evolve(RECORD, events=(EVENT, second)).version == 2
    assert attrs.evolve(RECORD, events=()).version == 0


def test_models_are_frozen() -> None:
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        FEEDBACK.text = "iets anders"  # type: ignore[misc]


@settings(max_examples=60)
@given(fst.parties())
def test_pseudonymise_removes_every_personal_field(party: Party) -> None:
    hidden = party.pseudonymise()
    assert hidden.pseudonymised
    assert (hidden.name, hidden.email, hidden.phone, hidden.address) == (None,) * 4
    assert hidden.contact_preference is ContactPreference.NONE
    assert (hidden.id, hidden.kind, hidden.vulnerable) == (party.id, party.kind, party.vulnerable)


@settings(max_examples=60)
@given(fst.case_records())
def test_generated_cases_are_valid_and_ordered(record: CaseRecord) -> None:
    """The published strategies build what the models accept, in Amsterdam time."""
    received = record.feedback.received_at
    assert received.tzinfo is AMSTERDAM
    moments = [e.at for e in record.events]
    assert moments == sorted(moments)
    assert all(m >= received for m in moments)
    assert all(o.recorded_at >= received for o in record.outcomes)
    assert attrs.evolve(record) == record  # re-validates every field

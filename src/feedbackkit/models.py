"""The frozen domain model: feedback, parties, events, relationship outcomes.

Values are validated on construction and raise :class:`~feedbackkit.errors.ValidationError`
naming the field. Personal data lives only in :class:`Party`, stored apart from
the feedback content, so it can be pseudonymised or erased without touching the rest.
"""

from __future__ import annotations

import enum
import os
import re
import time
import uuid
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any, TypeVar

import attrs

from feedbackkit.clock import AMSTERDAM
from feedbackkit.errors import ValidationError
from feedbackkit.vocabulary import (
    Channel,
    ContactPreference,
    Form,
    Initiative,
    Kind,
    LinkType,
    Origin,
    PartyKind,
    PartyRole,
    Relationship,
)

__all__ = [
    "CaseRecord",
    "Event",
    "ExternalCase",
    "Feedback",
    "Link",
    "Party",
    "PartyRef",
    "RelationshipOutcome",
    "Retention",
    "enum_member",
    "new_id",
    "time_ordered_id",
]

JSON = Any
"""A JSON-compatible value (str, int, float, bool, None, list, dict)."""

_LANG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_LANGUAGE = "a language tag such as nl or en-GB"
_TAG = re.compile(r"^[^\s,][^,]{0,79}$")


def new_id() -> uuid.UUID:
    """A fresh identifier; ids are generated in the domain, never by the database.

    A UUIDv7 (:func:`time_ordered_id`): ids made later sort later, so a database
    index on them grows at its end instead of everywhere.
    """
    return time_ordered_id(time.time_ns() // 1_000_000, int.from_bytes(os.urandom(10)))


def time_ordered_id(unix_ms: int, bits: int) -> uuid.UUID:
    """The UUIDv7 (RFC 9562) of millisecond ``unix_ms`` (since 1970, UTC) whose other
    74 bits are the lowest 74 of ``bits`` (random bits, e.g. ``os.urandom``)."""
    rand_a, rand_b = (bits >> 62) & 0xFFF, bits & _RAND_B
    return uuid.UUID(int=(unix_ms & _MS) << 80 | 0x7 << 76 | rand_a << 64 | 0b10 << 62 | rand_b)


_MS = (1 << 48) - 1
_RAND_B = (1 << 62) - 1


def _fail(field: str, message: str) -> None:
    raise ValidationError(field, message)


def _aware(instance: object, attribute: attrs.Attribute[Any], value: datetime | None) -> None:
    if value is not None and (value.tzinfo is None or value.utcoffset() is None):
        _fail(attribute.name, f"must be timezone-aware, got naive {value.isoformat()}")


def _to_amsterdam(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        return value  # rejected by the validator with a clear message
    return value.astimezone(AMSTERDAM)


def _non_blank(instance: object, attribute: attrs.Attribute[Any], value: str | None) -> None:
    if value is not None and not value.strip():
        _fail(attribute.name, "must not be blank")


_E = TypeVar("_E", bound=enum.Enum)


def enum_member(kind: type[_E], value: object, field: str) -> _E:
    """``value`` as a member of ``kind``; an unknown value names ``field`` and what is allowed."""
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(str(m.value) for m in kind)
        raise ValidationError(field, f"unknown value {value!r}; allowed: {allowed}") from None


def _link_type(value: LinkType | str) -> LinkType:
    return enum_member(LinkType, value, "type")


def _party_role(value: PartyRole | str) -> PartyRole:
    return enum_member(PartyRole, value, "role")


def _kind(value: Kind | str) -> Kind:
    return enum_member(Kind, value, "kind")


def _channel(value: Channel | str) -> Channel:
    return enum_member(Channel, value, "channel")


def _initiative(value: Initiative | str) -> Initiative:
    return enum_member(Initiative, value, "initiative")


def _origin(value: Origin | str) -> Origin:
    return enum_member(Origin, value, "origin")


def _form(value: Form | str) -> Form:
    return enum_member(Form, value, "form")


def _party_kind(value: PartyKind | str) -> PartyKind:
    return enum_member(PartyKind, value, "kind")


def _contact_preference(value: ContactPreference | str) -> ContactPreference:
    return enum_member(ContactPreference, value, "contact_preference")


def _relationship(value: Relationship | str) -> Relationship:
    return enum_member(Relationship, value, "relationship")


def _tuple(value: Iterable[Any]) -> tuple[Any, ...]:
    """``tuple`` as a named converter, so mypy's attrs plugin types the argument as an iterable."""
    return tuple(value)


def _tags(value: Iterable[str]) -> tuple[str, ...]:
    if isinstance(value, str):
        raise ValidationError("tags", "must be a list of tags, not one string")
    return tuple(sorted({t.strip() for t in value}))


def _tag_validator(
    instance: object, attribute: attrs.Attribute[Any], value: tuple[str, ...]
) -> None:
    for tag in value:
        if not _TAG.match(tag):
            _fail("tags", f"invalid tag {tag!r} (1-80 characters, no commas)")


def _matches(pattern: str | re.Pattern[str], what: str) -> Any:
    """Validator: an optional string fully matching ``pattern``, described as ``what``."""
    regex = re.compile(pattern)

    def check(instance: object, attribute: attrs.Attribute[Any], value: str | None) -> None:
        if value is not None and not regex.fullmatch(value):
            _fail(attribute.name, f"{value!r} is not {what}")

    return check


def _score(low: int, high: int | None = None) -> Any:
    def check(instance: object, attribute: attrs.Attribute[Any], value: int | None) -> None:
        if value is not None and (value < low or (high is not None and value > high)):
            bound = f"between {low} and {high}" if high is not None else f"at least {low}"
            _fail(attribute.name, f"must be {bound}, got {value}")

    return check


@attrs.frozen
class Link:
    """A typed link from one feedback item to another."""

    type: LinkType = attrs.field(converter=_link_type)
    target: uuid.UUID


@attrs.frozen
class ExternalCase:
    """The case (zaak) in an external case system this feedback belongs to."""

    identifier: str = attrs.field(validator=_non_blank)
    url: str | None = None
    system: str | None = None


@attrs.frozen
class Retention:
    """Records-management metadata (Selectielijst gemeenten 2020, process type 13)."""

    selectielijst_resultaat: str | None = None
    period: str | None = attrs.field(
        default=None,
        validator=_matches(r"^P(\d+Y)?(\d+M)?(\d+D)?$", "an ISO 8601 period such as P5Y"),
    )
    destroy_after: date | None = None
    legal_hold: bool = False


@attrs.frozen
class PartyRef:
    """The role a stored :class:`Party` plays in one feedback item."""

    party_id: uuid.UUID
    role: PartyRole = attrs.field(converter=_party_role)


@attrs.frozen
class Feedback:
    """One expression of a customer aimed at the organisation, registered as it was received."""

    kind: Kind = attrs.field(converter=_kind)
    channel: Channel = attrs.field(converter=_channel)
    received_at: datetime = attrs.field(converter=_to_amsterdam, validator=_aware)
    text: str = attrs.field(validator=_non_blank)
    """The customer's own words, verbatim."""
    id: uuid.UUID = attrs.field(factory=new_id)
    initiative: Initiative = attrs.field(default=Initiative.REACTIVE, converter=_initiative)
    origin: Origin = attrs.field(default=Origin.EXTERNAL, converter=_origin)
    form: Form = attrs.field(default=Form.WRITTEN, converter=_form)
    reference: str | None = attrs.field(default=None, validator=_non_blank)
    """Human-readable case number, e.g. ``KL-2026-00042``."""
    subject: str | None = attrs.field(default=None, validator=_non_blank)
    org_unit: str | None = attrs.field(default=None, validator=_non_blank)
    location: str | None = attrs.field(default=None, validator=_non_blank)
    remedy_sought: str | None = None
    conduct_date: date | None = attrs.field(default=None)
    """When the conduct complained about took place (Awb 9:8: more than a year ago)."""
    decision_date: date | None = None
    """For objections: when the contested decision was made known (Awb 6:8)."""
    language: str = attrs.field(default="nl", validator=_matches(_LANG, _LANGUAGE))
    tags: tuple[str, ...] = attrs.field(default=(), converter=_tags, validator=_tag_validator)
    links: tuple[Link, ...] = attrs.field(default=(), converter=_tuple)
    external_case: ExternalCase | None = None
    parties: tuple[PartyRef, ...] = attrs.field(default=(), converter=_tuple)
    received_by: str | None = attrs.field(default=None, validator=_non_blank)
    """The employee who received and registered it (every employee is a sensor)."""
    procedure: str | None = None
    """The handling procedure; ``None`` picks the default for the kind."""
    retention: Retention = attrs.field(factory=Retention)

    @conduct_date.validator
    def _conduct_not_after_receipt(
        self, attribute: attrs.Attribute[Any], value: date | None
    ) -> None:
        if value is not None and value > self.received_at.date():
            _fail("conduct_date", f"{value} lies after receipt on {self.received_at.date()}")

    @links.validator
    def _no_self_link(self, attribute: attrs.Attribute[Any], value: tuple[Link, ...]) -> None:
        for link in value:
            if link.target == self.id:
                _fail("links", "feedback cannot link to itself")

    def party_ids(self, role: PartyRole | None = None) -> tuple[uuid.UUID, ...]:
        """The parties in ``role`` (all parties when ``role`` is None)."""
        return tuple(p.party_id for p in self.parties if role is None or p.role == role)


@attrs.frozen
class Party:
    """A person or organisation involved in feedback; the only holder of personal data."""

    id: uuid.UUID = attrs.field(factory=new_id)
    kind: PartyKind = attrs.field(default=PartyKind.PERSON, converter=_party_kind)
    name: str | None = None
    email: str | None = attrs.field(
        default=None,
        validator=_matches(r"^[^@\s]+@[^@\s]+$", "an e-mail address"),
    )
    phone: str | None = None
    address: str | None = None
    contact_preference: ContactPreference = attrs.field(
        default=ContactPreference.EMAIL, converter=_contact_preference
    )
    language: str = attrs.field(default="nl", validator=_matches(_LANG, _LANGUAGE))
    vulnerable: bool = False
    """Needs special care (Nationale ombudsman norm 'bijzondere zorg')."""
    pseudonymised: bool = False

    def pseudonymise(self) -> Party:
        """This party with every personal field removed and the pseudonymised flag set."""
        return attrs.evolve(
            self,
            name=None,
            email=None,
            phone=None,
            address=None,
            pseudonymised=True,
            contact_preference=ContactPreference.NONE,
        )


@attrs.frozen
class Event:
    """One recorded action on a case: who did what, when and why. Events are append-only."""

    case_id: uuid.UUID
    seq: int = attrs.field(validator=_score(1))
    """Position in the case's history, from 1; also the case version after this event."""
    action: str = attrs.field(validator=_non_blank)
    actor: str = attrs.field(validator=_non_blank)
    at: datetime = attrs.field(converter=_to_amsterdam, validator=_aware)
    reason: str | None = None
    payload: Mapping[str, JSON] = attrs.field(factory=dict, converter=dict, hash=False)
    id: uuid.UUID = attrs.field(factory=new_id)


@attrs.frozen
class RelationshipOutcome:
    """The customer's verdict after handling: did the relationship become stronger?"""

    case_id: uuid.UUID
    recorded_at: datetime = attrs.field(converter=_to_amsterdam, validator=_aware)
    relationship: Relationship = attrs.field(converter=_relationship)
    satisfaction_solution: int | None = attrs.field(default=None, validator=_score(1, 5))
    satisfaction_handling: int | None = attrs.field(default=None, validator=_score(1, 5))
    fairly_treated: bool | None = None
    would_recommend: int | None = attrs.field(default=None, validator=_score(0, 10))
    expectations_exceeded: bool | None = None
    may_contact: bool | None = None
    free_text: str | None = None
    id: uuid.UUID = attrs.field(factory=new_id)


@attrs.frozen
class CaseRecord:
    """Everything stored about one feedback item: the unit of ingest and interchange."""

    feedback: Feedback
    parties: tuple[Party, ...] = attrs.field(default=(), converter=_tuple)
    events: tuple[Event, ...] = attrs.field(default=(), converter=_tuple)
    outcomes: tuple[RelationshipOutcome, ...] = attrs.field(default=(), converter=_tuple)

    def __attrs_post_init__(self) -> None:
        fid = self.feedback.id
        known = {p.id for p in self.parties}
        for ref in self.feedback.parties:
            if ref.party_id not in known:
                _fail("parties", f"party {ref.party_id} is referenced but not included")
        for i, event in enumerate(self.events, start=1):
            if event.case_id != fid:
                _fail("events", f"event {i} belongs to case {event.case_id}, not {fid}")
            if event.seq != i:
                _fail("events", f"event {i} has seq {event.seq}; events must be numbered 1..n")
        for outcome in self.outcomes:
            if outcome.case_id != fid:
                _fail("outcomes", f"outcome belongs to case {outcome.case_id}, not {fid}")

    @property
    def version(self) -> int:
        return len(self.events)

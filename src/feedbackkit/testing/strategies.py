"""Hypothesis strategies for every model, valid by construction.

Datetimes are tz-aware instants in Europe/Amsterdam, texts are Dutch-ish (with an
occasional arbitrary Unicode string), and :func:`case_records` builds histories
that are legal under their procedure, so a generated case replays and ingests::

    from hypothesis import given
    from feedbackkit.testing import strategies as fst

    @given(fst.case_records())
    def test_round_trip(record): ...
"""

from __future__ import annotations

import string
import uuid
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta

from hypothesis import strategies as st

from feedbackkit.builtin.procedures import builtin_procedures
from feedbackkit.clock import AMSTERDAM
from feedbackkit.models import (
    JSON,
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
from feedbackkit.workflow.procedure import Action, Procedure

__all__ = [
    "EARLIEST",
    "LATEST",
    "actors",
    "amsterdam_datetimes",
    "case_records",
    "dutch_text",
    "events",
    "external_cases",
    "feedback",
    "histories",
    "json_values",
    "links",
    "parties",
    "party_refs",
    "payloads",
    "relationship_outcomes",
    "retentions",
    "tags",
]

EARLIEST = datetime(2020, 1, 1, tzinfo=AMSTERDAM)
"""Default lower bound of generated moments."""
LATEST = datetime(2030, 12, 31, 23, 59, tzinfo=AMSTERDAM)
"""Default upper bound of generated moments."""

_WORDS = (
    "de", "het", "een", "en", "niet", "al", "weer", "nog", "steeds", "geen", "heel", "erg",
    "gemeente", "loket", "balie", "wijkteam", "ambtenaar", "medewerker", "brief", "mail",
    "stoeptegel", "lantaarnpaal", "container", "afval", "fietspad", "speeltuin", "boom",
    "parkeervergunning", "paspoort", "uitkering", "bezwaar", "klacht", "melding", "beslissing",
    "wachttijd", "telefoon", "afspraak", "reactie", "antwoord", "excuses", "compliment",
    "losliggende", "kapotte", "vriendelijk", "onbeschoft", "geïrriteerd", "teleurgesteld",
    "tevreden", "ontevreden", "snel", "traag", "één", "café", "ruïne", "coördinatie",
    "zeeën", "geüpdatet", "privé", "reünie", "ĳsbaan", "€", "12", "2024", "week", "maanden",
    "al drie keer", "niemand belt terug", "ik wacht nog steeds", "dank u wel",
    "waarom duurt dit zo lang", "graag een reactie",
)  # fmt: skip
_FIRST = ("Jan", "Fatima", "Sanne", "Mohamed", "Anouk", "Pieter", "Noor", "Daan", "Ayşe", "Joëlle")
_LAST = ("de Vries", "Jansen", "El Amrani", "Bakker", "van den Berg", "Yılmaz", "Visser", "Smit")
_ORGS = ("Bakkerij Het Zoete Leven", "Stichting Buurtkracht", "VvE De Linde", "Woonzorg Schagen")
_STREETS = ("Hoofdstraat", "Laan 1945", "Kerkplein", "Molenweg", "Sluisdijk", "Nieuwstraat")
_PLACES = ("Schagen", "Amsterdam", "Den Helder", "Groningen", "'s-Hertogenbosch", "Zwolle")
_TAGS = (
    "openbare ruimte", "bejegening", "wachttijd", "informatievoorziening", "afvalinzameling",
    "parkeren", "bereikbaarheid", "privacy", "belastingen", "jeugdzorg", "wmo", "gouden klacht",
)  # fmt: skip
_LANGUAGES = ("nl", "en", "fy", "pap", "nl-NL", "en-GB", "tr", "ar")
_EXTRA_KEYS = ("opmerking", "kanaal", "bijlage", "medium")


def amsterdam_datetimes(
    start: datetime = EARLIEST, end: datetime = LATEST
) -> st.SearchStrategy[datetime]:
    """Real instants between ``start`` and ``end`` (aware), expressed in Europe/Amsterdam."""
    low, high = (d.astimezone(UTC).replace(tzinfo=None) for d in (start, end))
    return st.datetimes(min_value=low, max_value=high).map(
        lambda d: d.replace(tzinfo=UTC).astimezone(AMSTERDAM)
    )


def _sentence(words: Sequence[str]) -> str:
    text = " ".join(words)
    return text[:1].upper() + text[1:]


_UNICODE = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"), include_characters="\n\t"),
    min_size=1,
    max_size=200,
).filter(lambda s: bool(s.strip()))


def dutch_text(max_words: int = 40) -> st.SearchStrategy[str]:
    """Non-blank Dutch-ish text: sentences of Dutch words, sometimes arbitrary Unicode.

    Surrogates and control characters other than newline and tab are never
    generated (no store could keep them).
    """
    sentences = st.lists(st.sampled_from(_WORDS), min_size=1, max_size=max_words).map(_sentence)
    paragraphs = st.lists(sentences, min_size=1, max_size=3).map(". ".join)
    return st.one_of(paragraphs, paragraphs.map(lambda s: s + "."), _UNICODE)


def _short_text() -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(_WORDS), min_size=1, max_size=4).map(_sentence)


def actors() -> st.SearchStrategy[str]:
    """Who acts on a case: employee names or account names."""
    names = st.builds("{} {}".format, st.sampled_from(_FIRST), st.sampled_from(_LAST))
    accounts = st.text(string.ascii_lowercase + ".", min_size=2, max_size=12).filter(
        lambda s: s.strip(".") != ""
    )
    return st.one_of(names, accounts)


def tags() -> st.SearchStrategy[tuple[str, ...]]:
    """Tag lists as :class:`~feedbackkit.models.Feedback` keeps them (sorted, unique)."""
    tag = st.one_of(
        st.sampled_from(_TAGS),
        st.builds("{} {}".format, st.sampled_from(_TAGS), st.integers(1, 99)),
    )
    return st.lists(tag, max_size=4).map(lambda ts: tuple(sorted(set(ts))))


def json_values(max_leaves: int = 8) -> st.SearchStrategy[JSON]:
    """JSON values that survive ``json.dumps``/``json.loads`` unchanged (lists, no NaN)."""
    scalars = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(2**53), 2**53),
        st.floats(allow_nan=False, allow_infinity=False),
        _short_text(),
    )
    return st.recursive(
        scalars,
        lambda inner: st.one_of(
            st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(_EXTRA_KEYS), inner)
        ),
        max_leaves=max_leaves,
    )


def links(exclude: uuid.UUID | None = None) -> st.SearchStrategy[Link]:
    """Links to other feedback (never to ``exclude``, the item itself)."""
    return st.builds(
        Link, type=st.sampled_from(LinkType), target=st.uuids().filter(lambda u: u != exclude)
    )


def external_cases() -> st.SearchStrategy[ExternalCase]:
    """Zaken in an external case system."""
    number = st.integers(1, 999_999)
    return st.builds(
        ExternalCase,
        identifier=st.builds("ZAAK-{}-{:06d}".format, st.integers(2020, 2030), number),
        url=st.none() | st.uuids().map("https://openzaak.example.nl/zaken/api/v1/zaken/{}".format),
        system=st.none() | st.sampled_from(("Open Zaak", "Djuma", "Decos JOIN", "Mozard")),
    )


def retentions() -> st.SearchStrategy[Retention]:
    """Records-management metadata with ISO 8601 periods."""
    period = st.one_of(
        st.none(),
        st.sampled_from(("P1Y", "P5Y", "P10Y", "P6M")),
        st.builds("P{}Y{}M".format, st.integers(0, 20), st.integers(0, 11)),
    )
    return st.builds(
        Retention,
        selectielijst_resultaat=st.none() | st.sampled_from(("13.1", "13.2", "13.3", "13.4")),
        period=period,
        destroy_after=st.none() | st.dates(date(2025, 1, 1), date(2045, 12, 31)),
        legal_hold=st.booleans(),
    )


def party_refs(party_id: uuid.UUID | None = None) -> st.SearchStrategy[PartyRef]:
    """A role of a party (a fresh id unless ``party_id`` is given)."""
    ids = st.just(party_id) if party_id is not None else st.uuids()
    return st.builds(PartyRef, party_id=ids, role=st.sampled_from(PartyRole))


@st.composite
def _parties(draw: st.DrawFn) -> Party:
    kind = draw(st.sampled_from(PartyKind))
    if kind is PartyKind.ORGANISATION:
        name = draw(st.sampled_from(_ORGS))
    else:
        name = f"{draw(st.sampled_from(_FIRST))} {draw(st.sampled_from(_LAST))}"
    slug = "".join(c for c in name.lower() if c.isascii() and c.isalnum()) or "klant"
    party = Party(
        kind=kind,
        name=draw(st.none() | st.just(name)),
        email=draw(st.none() | st.just(f"{slug}@example.nl")),
        phone=draw(st.none() | st.integers(10_000_000, 99_999_999).map("06-{}".format)),
        address=draw(
            st.none()
            | st.builds(
                "{} {}, {} {}".format,
                st.sampled_from(_STREETS),
                st.integers(1, 250),
                st.integers(1000, 9999),
                st.sampled_from(_PLACES),
            )
        ),
        contact_preference=draw(st.sampled_from(ContactPreference)),
        language=draw(st.sampled_from(_LANGUAGES)),
        vulnerable=draw(st.booleans()),
    )
    return party.pseudonymise() if draw(st.booleans()) else party


def parties() -> st.SearchStrategy[Party]:
    """Persons, organisations and employees; some pseudonymised (personal data removed)."""
    return _parties()


@st.composite
def _feedback(
    draw: st.DrawFn,
    kinds: Sequence[Kind],
    received: st.SearchStrategy[datetime],
    refs: Sequence[Party],
    procedure: st.SearchStrategy[str | None],
) -> Feedback:
    fid = draw(st.uuids())
    received_at = draw(received)
    day = received_at.date()
    earlier = st.dates(day - timedelta(days=730), day)
    roles = st.sampled_from(PartyRole)
    reference = st.builds("KL-{}-{:05d}".format, st.just(day.year), st.integers(1, 99_999))
    units = st.sampled_from(("Publiekszaken", "Openbare Ruimte", "Sociaal Domein"))
    places = st.builds("{} {}".format, st.sampled_from(_STREETS), st.sampled_from(_PLACES))
    return Feedback(
        id=fid,
        kind=draw(st.sampled_from(kinds)),
        channel=draw(st.sampled_from(Channel)),
        received_at=received_at,
        text=draw(dutch_text()),
        initiative=draw(st.sampled_from(Initiative)),
        origin=draw(st.sampled_from(Origin)),
        form=draw(st.sampled_from(Form)),
        reference=draw(st.none() | reference),
        subject=draw(st.none() | _short_text()),
        org_unit=draw(st.none() | units),
        location=draw(st.none() | places),
        remedy_sought=draw(st.none() | _short_text()),
        conduct_date=draw(st.none() | earlier),
        decision_date=draw(st.none() | earlier),
        language=draw(st.sampled_from(_LANGUAGES)),
        tags=draw(tags()),
        links=draw(st.lists(links(exclude=fid), max_size=3)),
        external_case=draw(st.none() | external_cases()),
        parties=tuple(PartyRef(p.id, draw(roles)) for p in refs),
        received_by=draw(st.none() | actors()),
        procedure=draw(procedure),
        retention=draw(retentions()),
    )


def feedback(
    kinds: Iterable[Kind] = tuple(Kind),
    *,
    received: st.SearchStrategy[datetime] | None = None,
    parties: Sequence[Party] = (),
    procedure: str | None = None,
) -> st.SearchStrategy[Feedback]:
    """Feedback of one of ``kinds``, referring to ``parties`` (each in a random role).

    ``received`` draws the moment of receipt; conduct and decision dates never lie
    after it. ``procedure`` is set as given (``None``: the default for the kind).
    """
    return _feedback(
        tuple(kinds),
        amsterdam_datetimes() if received is None else received,
        tuple(parties),
        st.just(procedure),
    )


_PAYLOAD_BY_KEY: dict[str, st.SearchStrategy[JSON]] = {
    "accepted": st.booleans(),
    "handler": actors(),
    "ambassador": actors(),
    "repeat": st.uuids().map(str),
}
_PAYLOAD_BY_TYPE: dict[str, st.SearchStrategy[JSON]] = {
    "int": st.integers(1, 8),
    "bool": st.booleans(),
    "str": _short_text(),
    "date": st.dates(EARLIEST.date(), LATEST.date()).map(date.isoformat),
}


def payloads(action: Action) -> st.SearchStrategy[dict[str, JSON]]:
    """A payload ``action`` accepts: every required field, choices from their options,
    typed fields (``Action.types``) of their type, sometimes present when optional."""

    def value(key: str) -> st.SearchStrategy[JSON]:
        if key in action.choices:
            return st.sampled_from(action.choices[key])
        if key in action.types:
            return _PAYLOAD_BY_TYPE[action.types[key]]
        return _PAYLOAD_BY_KEY.get(key, _short_text())

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, JSON]:
        payload = {key: draw(value(key)) for key in action.requires}
        for key in (*action.choices, *action.types):
            if key not in payload and draw(st.booleans()):
                payload[key] = draw(value(key))
        return payload

    return build()


@st.composite
def _histories(
    draw: st.DrawFn, procedure: Procedure, feedback: Feedback, max_events: int
) -> tuple[Event, ...]:
    state, moment, history = procedure.initial, feedback.received_at, []
    for seq in range(1, draw(st.integers(0, max_events)) + 1):
        allowed = procedure.allowed(state)
        if not allowed:
            break
        action = procedure.actions[draw(st.sampled_from(allowed))]
        payload = draw(payloads(action))
        moment = moment + timedelta(seconds=draw(st.integers(0, 21 * 86_400)))
        state = procedure.step(state, action.name, payload)
        history.append(
            Event(
                case_id=feedback.id,
                seq=seq,
                action=action.name,
                actor=draw(actors()),
                at=moment,
                reason=draw(st.none() | _short_text()),
                payload=payload,
                id=draw(st.uuids()),
            )
        )
    return tuple(history)


def histories(
    procedure: Procedure, feedback: Feedback, max_events: int = 8
) -> st.SearchStrategy[tuple[Event, ...]]:
    """Event histories of ``feedback`` that are legal under ``procedure``, in time order."""
    return _histories(procedure, feedback, max_events)


def events(
    case_id: uuid.UUID | None = None, *, seq: int | None = None, after: datetime = EARLIEST
) -> st.SearchStrategy[Event]:
    """A single event with any action of the built-in procedures and an arbitrary payload."""
    names = sorted({a for p in builtin_procedures() for a in p.actions})
    return st.builds(
        Event,
        case_id=st.just(case_id) if case_id is not None else st.uuids(),
        seq=st.just(seq) if seq is not None else st.integers(1, 500),
        action=st.sampled_from(names),
        actor=actors(),
        at=amsterdam_datetimes(start=after),
        reason=st.none() | dutch_text(12),
        payload=st.dictionaries(st.sampled_from(_EXTRA_KEYS), json_values(), max_size=3),
        id=st.uuids(),
    )


def relationship_outcomes(
    case_id: uuid.UUID | None = None, *, after: datetime = EARLIEST
) -> st.SearchStrategy[RelationshipOutcome]:
    """Answers to the relationship question, with the Gouden Oor trust items."""
    maybe_bool = st.none() | st.booleans()
    return st.builds(
        RelationshipOutcome,
        case_id=st.just(case_id) if case_id is not None else st.uuids(),
        recorded_at=amsterdam_datetimes(start=after),
        relationship=st.sampled_from(Relationship),
        satisfaction_solution=st.none() | st.integers(1, 5),
        satisfaction_handling=st.none() | st.integers(1, 5),
        fairly_treated=maybe_bool,
        would_recommend=st.none() | st.integers(0, 10),
        expectations_exceeded=maybe_bool,
        may_contact=maybe_bool,
        free_text=st.none() | dutch_text(20),
        id=st.uuids(),
    )


@st.composite
def _case_records(draw: st.DrawFn, procedures: Sequence[Procedure], max_events: int) -> CaseRecord:
    procedure = draw(st.sampled_from(procedures))
    people = draw(st.lists(parties(), max_size=3, unique_by=lambda p: p.id))
    kinds = [Kind(k) for k in procedure.kinds] or list(Kind)
    item = draw(_feedback(kinds, amsterdam_datetimes(), people, st.just(procedure.name)))
    history = draw(histories(procedure, item, max_events))
    outcomes = draw(st.lists(relationship_outcomes(item.id, after=item.received_at), max_size=2))
    return CaseRecord(feedback=item, parties=people, events=history, outcomes=outcomes)


def case_records(
    procedures: Iterable[Procedure] | None = None, *, max_events: int = 8
) -> st.SearchStrategy[CaseRecord]:
    """Whole cases: feedback, its parties, a legal history and relationship outcomes.

    The feedback names its procedure (one of ``procedures``, default the built-in
    ones) and is of a kind that procedure handles; every event lies at or after receipt.
    """
    chosen = tuple(procedures) if procedures is not None else builtin_procedures()
    return _case_records(chosen, max_events)

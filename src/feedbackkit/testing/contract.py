"""The storage contract: the tests every :class:`~feedbackkit.storage.protocol.Store` passes.

Subclass :class:`StoreContract` in a test module and override its ``store``
fixture with a fresh, empty store; pytest then runs every contract test on it::

    import pytest
    from feedbackkit.testing import StoreContract

    class TestMyStore(StoreContract):
        @pytest.fixture
        def store(self, tmp_path):
            store = MyStore.open(f"mystore://{tmp_path}")
            yield store
            store.close()

:func:`make_case` builds the whole cases the tests use; it is handy in a store's
own tests too.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, assume, given, settings

from feedbackkit.builtin.procedures import builtin_procedures
from feedbackkit.clock import AMSTERDAM
from feedbackkit.errors import ConflictError, NotFoundError, ValidationError
from feedbackkit.learning.models import (
    ActionStatus,
    GoldenFlag,
    ImprovementAction,
    Notice,
    Recovery,
    RecoveryStatus,
    ThemeAssignment,
    ThemeSource,
)
from feedbackkit.models import (
    CaseRecord,
    Event,
    Feedback,
    Link,
    Party,
    PartyRef,
    RelationshipOutcome,
)
from feedbackkit.storage.checks import canonical_record
from feedbackkit.storage.protocol import Query, Store
from feedbackkit.testing.strategies import case_records
from feedbackkit.vocabulary import Channel, Kind, LinkType, PartyRole, Relationship
from feedbackkit.workflow.case import CaseState, derive
from feedbackkit.workflow.procedure import Procedure

__all__ = ["T0", "StoreContract", "make_case", "next_event", "procedure_for"]

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=AMSTERDAM)
"""The moment :func:`make_case` receives feedback unless told otherwise."""

Step = tuple[str, Mapping[str, Any]]


def procedure_for(kind: Kind) -> Procedure:
    """The built-in procedure that handles ``kind``."""
    return next(p for p in builtin_procedures() if kind.value in p.kinds)


def _label(value: object) -> str:
    """A test id: a query's fields that differ from the defaults (``Query()``: all)."""
    if not isinstance(value, Query):
        return repr(value)
    changed = [
        f"{field.name}={getattr(value, field.name)!r}"
        for field in attrs.fields(Query)
        if getattr(value, field.name) != field.default
    ]
    return ", ".join(changed) or "all"


def make_case(
    *,
    kind: Kind = Kind.COMPLAINT,
    channel: Channel = Channel.EMAIL,
    received_at: datetime = T0,
    steps: Sequence[Step] = (),
    tags: Sequence[str] = (),
    parties: Sequence[tuple[Party, PartyRole]] = (),
    links: Sequence[Link] = (),
    outcomes: Sequence[Relationship] = (),
    text: str = "De stoeptegel ligt er al weken los; niemand belt terug. Geïrriteerd! 😠",
    subject: str | None = None,
    org_unit: str | None = None,
    reference: str | None = None,
) -> tuple[CaseRecord, CaseState]:
    """A whole case and its derived state: the feedback, one event per ``(action,
    payload)`` step an hour apart (legal under the kind's built-in procedure), and
    a relationship outcome a day apart per entry of ``outcomes``."""
    procedure = procedure_for(kind)
    item = Feedback(
        kind=kind,
        channel=channel,
        received_at=received_at,
        text=text,
        tags=tuple(tags),
        links=tuple(links),
        parties=tuple(PartyRef(party.id, role) for party, role in parties),
        reference=reference or f"KL-{received_at.year}-{received_at.microsecond:05d}",
        subject=subject,
        org_unit=org_unit,
    )
    events = tuple(
        Event(
            case_id=item.id,
            seq=seq,
            action=action,
            actor="Sanne de Vries",
            at=received_at + timedelta(hours=seq),
            payload=dict(payload),
        )
        for seq, (action, payload) in enumerate(steps, start=1)
    )
    record = CaseRecord(
        feedback=item,
        parties=tuple(dict.fromkeys(party for party, _ in parties)),
        events=events,
        outcomes=tuple(
            RelationshipOutcome(
                case_id=item.id,
                recorded_at=received_at + timedelta(days=10 + i),
                relationship=relationship,
                satisfaction_handling=4,
                free_text="Fijn dat er gebeld werd.",
            )
            for i, relationship in enumerate(outcomes)
        ),
    )
    return record, derive(procedure, item.id, events)


def next_event(store: Store, case_id: uuid.UUID, action: str, **payload: Any) -> Event:
    """The event that would continue the stored history of ``case_id``."""
    history = store.events(case_id)
    at = history[-1].at if history else store.feedback(case_id).received_at
    return Event(
        case_id=case_id,
        seq=len(history) + 1,
        action=action,
        actor="Daan Bakker",
        at=at + timedelta(minutes=5),
        payload=payload,
    )


def append(store: Store, case_id: uuid.UUID, events: Sequence[Event]) -> CaseState:
    """Append ``events`` at the stored version with the re-derived state; that state."""
    record = store.record(case_id)
    state = derive(procedure_for(record.feedback.kind), case_id, (*record.events, *events))
    store.append(case_id, events, record.version, state)
    return state


ANNA = ("assign_handler", {"handler": "anna"})
BERT = ("assign_handler", {"handler": "bert"})
CLOSED_COMPLAINT: tuple[Step, ...] = (
    ("acknowledge", {}),
    BERT,
    ("start_informal", {}),
    ("resolve_informally", {}),
    ("close", {"accepted": True}),
)

_UNKNOWN = uuid.UUID(int=0xFEEDBAC)


def _stored(store: Store, case_id: uuid.UUID, *party_ids: uuid.UUID) -> bool:
    """Whether ``store`` holds the case or any of the parties."""
    lookups = [(store.case_state, case_id), *((store.party, p) for p in party_ids)]
    for lookup, key in lookups:
        try:
            lookup(key)
        except NotFoundError:
            continue
        return True
    return False


class StoreContract:
    """Tests every store must pass; subclasses override the ``store`` fixture."""

    @pytest.fixture
    def store(self) -> Iterator[Store]:
        pytest.fail("StoreContract subclasses must override the `store` fixture")

    # -- fixtures built on the store ---------------------------------------------------

    @pytest.fixture
    def people(self) -> dict[str, Party]:
        return {
            "klager": Party(name="Joëlle Jansen", email="joelle@example.nl", phone="0612345678"),
            "beklaagde": Party(name="P. Visser", address="Kerkplein 1, Schagen"),
            "melder": Party(name="Mohamed El Amrani", vulnerable=True),
        }

    @pytest.fixture
    def cases(
        self, store: Store, people: dict[str, Party]
    ) -> dict[str, tuple[CaseRecord, CaseState]]:
        """Seven stored cases (labels a-g) that differ in every field a query filters on.

        a and g share the moment of receipt, so their order rests on the id alone.
        """
        day = timedelta(days=1)
        klager, beklaagde, melder = people["klager"], people["beklaagde"], people["melder"]
        made = {
            "a": make_case(
                steps=[ANNA, ("start_informal", {})],
                tags=["wachttijd"],
                parties=[(klager, PartyRole.COMPLAINANT), (beklaagde, PartyRole.BEKLAAGDE)],
                outcomes=[Relationship.WEAKER],
                subject="Parkeervergunning",
                org_unit="Publiekszaken",
            ),
            "b": make_case(
                channel=Channel.PHONE,
                received_at=T0 + day,
                steps=CLOSED_COMPLAINT,
                tags=["bejegening", "wachttijd"],
                parties=[(klager, PartyRole.COMPLAINANT)],
                outcomes=[Relationship.STRONGER, Relationship.UNCHANGED],
                subject="Parkeervergunning",
                org_unit="Parkeren",
            ),
            "c": make_case(
                kind=Kind.MELDING,
                channel=Channel.WEB_FORM,
                received_at=T0 + 2 * day,
                steps=[("route", {"department": "Openbare Ruimte"})],
                tags=["openbare ruimte"],
                parties=[(melder, PartyRole.REPORTER)],
                org_unit="Publiekszaken",
                reference="ML-2026-00042",
            ),
            "d": make_case(kind=Kind.COMPLIMENT, channel=Channel.COUNTER, received_at=T0 + 3 * day),
            "e": make_case(
                kind=Kind.OBJECTION, channel=Channel.LETTER, received_at=T0 + 4 * day, steps=[ANNA]
            ),
            "f": make_case(
                kind=Kind.QUESTION,
                received_at=T0 + 5 * day,
                steps=[("respond", {"response": "Zie de website."}), ("close", {})],
            ),
            "g": make_case(
                channel=Channel.SOCIAL, steps=[BERT], parties=[(klager, PartyRole.COMPLAINANT)]
            ),
        }
        report = store.ingest(made.values())
        assert (report.inserted, report.skipped) == (len(made), 0)
        return made

    @staticmethod
    def ordered(cases: Mapping[str, tuple[CaseRecord, CaseState]], labels: str) -> list[uuid.UUID]:
        """The ids of the cases named by ``labels`` in query order (receipt, then id)."""
        feedback = [cases[label][0].feedback for label in labels]
        return [f.id for f in sorted(feedback, key=lambda f: (f.received_at.astimezone(UTC), f.id))]

    # -- ingest and read back -----------------------------------------------------------

    def test_ingested_cases_read_back_equal(
        self, store: Store, cases: dict[str, tuple[CaseRecord, CaseState]]
    ) -> None:
        for record, state in cases.values():
            case_id = record.feedback.id
            assert store.record(case_id) == record
            assert store.feedback(case_id) == record.feedback
            assert store.events(case_id) == record.events
            assert store.case_state(case_id) == state
            assert store.outcomes(case_id) == record.outcomes
            for party in record.parties:
                assert store.party(party.id) == party

    @settings(
        max_examples=25,
        deadline=None,
        # One store serves all examples; every store class runs this same inherited test.
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.differing_executors,
        ],
    )
    @given(record=case_records())
    def test_any_case_reads_back_in_canonical_form(self, store: Store, record: CaseRecord) -> None:
        # The store outlives the examples: skip ids an earlier example stored (shrinking).
        assume(not _stored(store, record.feedback.id, *(p.id for p in record.parties)))
        state = derive(
            next(p for p in builtin_procedures() if p.name == record.feedback.procedure),
            record.feedback.id,
            record.events,
        )
        assert store.ingest([(record, state)]).inserted == 1
        assert store.record(record.feedback.id) == canonical_record(record)
        assert store.case_state(record.feedback.id) == state

    def test_record_comes_back_in_canonical_form(
        self, store: Store, people: dict[str, Party]
    ) -> None:
        klager, beklaagde = people["klager"], people["beklaagde"]
        link = Link(LinkType.SAME_PROBLEM_AS, uuid.uuid4())
        record, state = make_case(
            parties=[(beklaagde, PartyRole.BEKLAAGDE), (klager, PartyRole.COMPLAINANT)],
            links=[link, Link(LinkType.REPEAT_OF, uuid.uuid4()), link],
            outcomes=[Relationship.STRONGER, Relationship.WEAKER],
        )
        messy = attrs.evolve(
            record, parties=(klager, beklaagde), outcomes=tuple(reversed(record.outcomes))
        )
        store.ingest([(messy, state)])
        stored = store.record(record.feedback.id)
        assert stored == canonical_record(messy)
        assert stored.parties == (beklaagde, klager)
        assert stored.feedback.links == record.feedback.links[:2]
        assert stored.outcomes == record.outcomes

    def test_ingest_is_idempotent(self, store: Store) -> None:
        items = [make_case(received_at=T0 + timedelta(minutes=i)) for i in range(5)]
        first = store.ingest(items)
        second = store.ingest(iter(items))
        assert (first.inserted, first.skipped) == (5, 0)
        assert (second.inserted, second.skipped) == (0, 5)
        assert store.count() == 5

    def test_ingest_skips_duplicates_within_one_call_keeping_the_first(self, store: Store) -> None:
        record, state = make_case(text="Eerste versie.")
        later = attrs.evolve(record, feedback=attrs.evolve(record.feedback, text="Tweede versie."))
        other = make_case(kind=Kind.TIP)
        report = store.ingest(iter([(record, state), (later, state), other, (record, state)]))
        assert (report.inserted, report.skipped) == (2, 2)
        assert store.feedback(record.feedback.id).text == "Eerste versie."

    def test_ingest_keeps_a_stored_party_shared_by_cases(
        self, store: Store, people: dict[str, Party]
    ) -> None:
        klager = people["klager"]
        first = make_case(parties=[(klager, PartyRole.COMPLAINANT)])
        store.ingest([first])
        renamed = attrs.evolve(klager, name="J. Jansen")
        second = make_case(parties=[(renamed, PartyRole.COMPLAINANT)])
        assert store.ingest([second]).inserted == 1
        assert store.party(klager.id) == klager
        assert store.record(second[0].feedback.id).parties == (klager,)

    def test_ingest_rejects_a_state_of_another_case(self, store: Store) -> None:
        record, _ = make_case()
        _, foreign = make_case()
        with pytest.raises(ValidationError, match="state"):
            store.ingest([(record, foreign)])
        assert store.count() == 0

    def test_ingest_rejects_a_party_without_a_role(
        self, store: Store, people: dict[str, Party]
    ) -> None:
        record, state = make_case()
        loose = attrs.evolve(record, parties=(people["klager"],))
        with pytest.raises(ValidationError, match="parties"):
            store.ingest([(loose, state)])
        assert store.count() == 0
        with pytest.raises(NotFoundError):
            store.party(people["klager"].id)

    # -- appending events ---------------------------------------------------------------

    def test_append_continues_the_history(
        self, store: Store, cases: dict[str, tuple[CaseRecord, CaseState]]
    ) -> None:
        record, _ = cases["a"]
        case_id = record.feedback.id
        event = next_event(store, case_id, "resolve_informally")
        state = append(store, case_id, [event])
        assert store.events(case_id) == (*record.events, event)
        assert store.case_state(case_id) == state
        assert state.state == "resolved_informally"
        assert store.record(case_id).version == record.version + 1

    def test_append_with_a_stale_version_conflicts_and_writes_nothing(
        self, store: Store, cases: dict[str, tuple[CaseRecord, CaseState]]
    ) -> None:
        record, _ = cases["a"]
        case_id = record.feedback.id
        stale = next_event(store, case_id, "note", text="te laat")
        event = next_event(store, case_id, "note", text="eerste")
        append(store, case_id, [event])
        stale_state = derive(procedure_for(Kind.COMPLAINT), case_id, (*record.events, stale))
        with pytest.raises(ConflictError) as caught:
            store.append(case_id, [stale], record.version, stale_state)
        assert (caught.value.expected, caught.value.actual) == (record.version, record.version + 1)
        assert store.events(case_id) == (*record.events, event)
        assert store.case_state(case_id).version == record.version + 1

    def test_append_rejects_events_that_do_not_continue_the_history(
        self, store: Store, cases: dict[str, tuple[CaseRecord, CaseState]]
    ) -> None:
        record, state = cases["a"]
        case_id = record.feedback.id
        gap = attrs.evolve(next_event(store, case_id, "note", text="x"), seq=record.version + 2)
        with pytest.raises(ValidationError, match="seq"):
            store.append(case_id, [gap], record.version, attrs.evolve(state, version=gap.seq))
        assert store.events(case_id) == record.events
        assert store.case_state(case_id) == state

    def test_one_of_two_concurrent_appends_wins(
        self, store: Store, cases: dict[str, tuple[CaseRecord, CaseState]]
    ) -> None:
        record, _ = cases["a"]
        case_id = record.feedback.id
        start = threading.Barrier(2)
        won: list[Event] = []
        lost: list[ConflictError] = []

        def write(actor: str) -> None:
            event = attrs.evolve(next_event(store, case_id, "note", text=actor), actor=actor)
            state = derive(procedure_for(Kind.COMPLAINT), case_id, (*record.events, event))
            start.wait()
            try:
                store.append(case_id, [event], record.version, state)
                won.append(event)
            except ConflictError as exc:
                lost.append(exc)

        threads = [threading.Thread(target=write, args=(name,)) for name in ("Noor", "Pieter")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert (len(won), len(lost)) == (1, 1)
        assert store.events(case_id) == (*record.events, won[0])
        assert store.case_state(case_id).version == record.version + 1

    # -- queries --------------------------------------------------------------------------

    QUERIES = (
        (Query(), "abcdefg"),
        (Query(kinds=(Kind.COMPLAINT,)), "abg"),
        (Query(kinds=(Kind.MELDING, Kind.OBJECTION)), "ce"),
        (Query(channels=(Channel.EMAIL,)), "af"),
        (Query(channels=(Channel.PHONE, Channel.COUNTER)), "bd"),
        (Query(procedures=("awb_complaint",)), "abg"),
        (Query(procedures=("generic", "melding")), "cdf"),
        (Query(states=("received",)), "deg"),
        (Query(states=("closed",)), "bf"),
        (Query(received_from=T0 + timedelta(days=2)), "cdef"),
        (Query(received_until=T0 + timedelta(days=2)), "abg"),
        (Query(received_from=T0 + timedelta(days=1), received_until=T0 + timedelta(days=3)), "bc"),
        (Query(done=True), "bf"),
        (Query(done=False), "acdeg"),
        (Query(handler="anna"), "ae"),
        (Query(tag="wachttijd"), "ab"),
        (Query(tag="openbare ruimte"), "c"),
        (Query(kinds=(Kind.COMPLAINT,), done=False, handler="bert"), "g"),
        (Query(limit=3), "agb"),
        (Query(offset=5), "ef"),
        (Query(offset=2, limit=2), "bc"),
        (Query(kinds=(Kind.COMPLAINT,), limit=0), ""),
        (Query(tag="niet gebruikt"), ""),
        (Query(reference="ML-2026-00042"), "c"),
        (Query(reference="KL-2026-00000"), "abdefg"),
        (Query(reference="KL-2026-00001"), ""),
        (Query(subject="Parkeervergunning"), "ab"),
        (Query(org_unit="Publiekszaken"), "ac"),
        (Query(subject="Parkeervergunning", org_unit="Publiekszaken"), "a"),
        (Query(subject="parkeervergunning"), ""),
    )

    @pytest.mark.parametrize(("query", "labels"), QUERIES, ids=lambda v: _label(v)[:90])
    def test_query_filters(
        self,
        store: Store,
        cases: dict[str, tuple[CaseRecord, CaseState]],
        query: Query,
        labels: str,
    ) -> None:
        expected = self.ordered(cases, labels)
        states = list(store.query(query))
        assert [s.case_id for s in states] == expected
        by_id = {r.feedback.id: s for r, s in cases.values()}
        assert states == [by_id[i] for i in expected]
        assert store.count(query) == len(expected)
        assert [r.feedback.id for r in store.records(query)] == expected

    def test_query_by_party(
        self,
        store: Store,
        cases: dict[str, tuple[CaseRecord, CaseState]],
        people: dict[str, Party],
    ) -> None:
        assert [s.case_id for s in store.query(Query(party_id=people["klager"].id))] == (
            self.ordered(cases, "abg")
        )
        assert store.count(Query(party_id=people["melder"].id)) == 1
        assert store.count(Query(party_id=_UNKNOWN)) == 0

    def test_query_bounds_compare_instants_not_local_text(self, store: Store) -> None:
        # On 2026-10-25 Amsterdam's clocks go back: 02:00-03:00 happens twice (+02:00, +01:00).
        start = datetime(2026, 10, 24, 23, 30, tzinfo=UTC)
        moments = [(start + timedelta(minutes=30 * i)).astimezone(AMSTERDAM) for i in range(6)]
        assert [m.strftime("%H:%M%z") for m in moments[1:5]] == [
            "02:00+0200", "02:30+0200", "02:00+0100", "02:30+0100"
        ]  # fmt: skip
        store.ingest(make_case(received_at=m) for m in reversed(moments))
        received = [r.feedback.received_at for r in store.records()]
        assert [m.utcoffset() for m in received] == [m.utcoffset() for m in moments]
        assert [m.timestamp() for m in received] == [m.timestamp() for m in moments]
        assert store.count(Query(received_from=moments[2], received_until=moments[4])) == 2
        assert store.count(Query(received_from=moments[3])) == 3

    def test_records_stream_lazily_while_writes_go_on(self, store: Store) -> None:
        items = [make_case(received_at=T0 + timedelta(seconds=i)) for i in range(1_100)]
        store.ingest(iter(items))
        stream = store.records()
        first = next(stream)
        assert first == items[0][0]
        case_id = items[-1][0].feedback.id
        append(store, case_id, [next_event(store, case_id, "acknowledge")])
        rest = list(stream)
        assert [r.feedback.id for r in rest[:-1]] == [r.feedback.id for r, _ in items[1:-1]]
        assert rest[:-1] == [r for r, _ in items[1:-1]]
        assert store.count() == 1_100

    # -- links, outcomes, parties ---------------------------------------------------------

    def test_links_are_added_once_in_order(
        self, store: Store, cases: dict[str, tuple[CaseRecord, CaseState]]
    ) -> None:
        a, c = cases["a"][0].feedback.id, cases["c"][0].feedback.id
        first = Link(LinkType.SAME_PROBLEM_AS, c)
        second = Link(LinkType.ESCALATED_FROM, c)
        store.add_link(a, first)
        store.add_link(a, second)
        store.add_link(a, first)
        assert store.feedback(a).links == (first, second)
        assert store.record(a) == attrs.evolve(
            cases["a"][0], feedback=attrs.evolve(cases["a"][0].feedback, links=(first, second))
        )

    def test_outcomes_are_kept_by_recording_time(
        self, store: Store, cases: dict[str, tuple[CaseRecord, CaseState]]
    ) -> None:
        record, _ = cases["d"]
        case_id = record.feedback.id
        later = RelationshipOutcome(
            case_id=case_id, recorded_at=T0 + timedelta(days=30), relationship=Relationship.STRONGER
        )
        earlier = RelationshipOutcome(
            case_id=case_id,
            recorded_at=T0 + timedelta(days=20),
            relationship=Relationship.UNCHANGED,
            would_recommend=7,
            fairly_treated=True,
        )
        store.add_outcome(later)
        store.add_outcome(earlier)
        store.add_outcome(later)
        assert store.outcomes(case_id) == (earlier, later)
        assert store.record(case_id).outcomes == (earlier, later)
        assert store.outcomes(cases["c"][0].feedback.id) == ()

    def test_put_party_pseudonymises_and_keeps_the_role(
        self,
        store: Store,
        cases: dict[str, tuple[CaseRecord, CaseState]],
        people: dict[str, Party],
    ) -> None:
        klager = people["klager"]
        anonymous = klager.pseudonymise()
        store.put_party(anonymous)
        assert store.party(klager.id) == anonymous
        record = store.record(cases["a"][0].feedback.id)
        assert record.parties == (anonymous, people["beklaagde"])
        assert record.feedback == cases["a"][0].feedback
        assert store.count(Query(party_id=klager.id)) == 3

    def test_put_party_inserts_a_new_party(self, store: Store) -> None:
        party = Party(name="Stichting Buurtkracht")
        store.put_party(party)
        assert store.party(party.id) == party

    def test_erase_party_removes_personal_data_and_keeps_the_content(
        self,
        store: Store,
        cases: dict[str, tuple[CaseRecord, CaseState]],
        people: dict[str, Party],
    ) -> None:
        klager, beklaagde = people["klager"], people["beklaagde"]
        store.erase_party(klager.id)
        with pytest.raises(NotFoundError):
            store.party(klager.id)
        original = cases["a"][0]
        record = store.record(original.feedback.id)
        assert record.parties == (beklaagde,)
        assert record.feedback.party_ids() == (beklaagde.id,)
        assert record.feedback == attrs.evolve(
            original.feedback, parties=(PartyRef(beklaagde.id, PartyRole.BEKLAAGDE),)
        )
        assert (record.events, record.outcomes) == (original.events, original.outcomes)
        assert store.record(cases["b"][0].feedback.id).parties == ()
        assert store.count(Query(party_id=klager.id)) == 0
        assert store.count() == len(cases)

    # -- unknown ids ----------------------------------------------------------------------

    @pytest.mark.parametrize(
        "call",
        [
            "record",
            "feedback",
            "events",
            "case_state",
            "outcomes",
            "party",
            "erase_party",
            "append",
            "add_link",
            "add_outcome",
        ],
    )
    def test_unknown_ids_raise_not_found(
        self, store: Store, cases: dict[str, tuple[CaseRecord, CaseState]], call: str
    ) -> None:
        event = Event(case_id=_UNKNOWN, seq=1, action="acknowledge", actor="x", at=T0)
        calls = {
            "append": lambda: store.append(
                _UNKNOWN, [event], 0, derive(procedure_for(Kind.COMPLAINT), _UNKNOWN, [event])
            ),
            "add_link": lambda: store.add_link(
                _UNKNOWN, Link(LinkType.REPEAT_OF, cases["a"][0].feedback.id)
            ),
            "add_outcome": lambda: store.add_outcome(
                RelationshipOutcome(
                    case_id=_UNKNOWN, recorded_at=T0, relationship=Relationship.WEAKER
                )
            ),
        }
        method: Callable[[uuid.UUID], object] = getattr(store, call)
        with pytest.raises(NotFoundError) as caught:
            calls.get(call, partial(method, _UNKNOWN))()
        assert str(_UNKNOWN) in str(caught.value)

    # -- the learning loop ----------------------------------------------------------------

    @pytest.mark.parametrize(("query", "labels"), QUERIES[:12], ids=lambda v: repr(v)[:90])
    def test_feedback_items_are_the_feedback_of_the_matching_records(
        self,
        store: Store,
        cases: dict[str, tuple[CaseRecord, CaseState]],
        query: Query,
        labels: str,
    ) -> None:
        assert list(store.feedback_items(query)) == [r.feedback for r in store.records(query)]
        assert [f.id for f in store.feedback_items(query)] == self.ordered(cases, labels)

    def test_theme_assignments_are_kept_per_case_and_theme(
        self, store: Store, cases: dict[str, tuple[CaseRecord, CaseState]]
    ) -> None:
        a, b = cases["a"][0].feedback.id, cases["b"][0].feedback.id
        made = partial(ThemeAssignment, assigned_at=T0, assigned_by="analyser")
        waiting = made(a, "bereikbaarheid", ThemeSource.SUGGESTED, score=0.75, terms=["wacht"])
        staff = made(a, "bejegening", ThemeSource.SUGGESTED, score=0.5, terms=["onbeleefd"])
        other = made(b, "afval", ThemeSource.SUGGESTED, score=0.5, terms=["container"])
        store.put_themes([waiting, staff, other])
        confirmed = made(a, "bejegening", ThemeSource.MANUAL, assigned_by="Sanne de Vries")
        store.put_themes(iter([confirmed]))
        assert store.themes([a]) == (confirmed, waiting)
        assert store.themes() == tuple(
            sorted((confirmed, waiting, other), key=lambda t: (str(t.case_id), t.theme))
        )
        assert store.themes([cases["c"][0].feedback.id]) == ()
        with pytest.raises(NotFoundError):
            store.put_themes(
                [made(b, "groen", ThemeSource.MANUAL), made(_UNKNOWN, "groen", "manual")]
            )
        assert store.themes([b]) == (other,)

    def test_recoveries_are_kept_per_source_and_affected_case(
        self, store: Store, cases: dict[str, tuple[CaseRecord, CaseState]]
    ) -> None:
        a, c, g = (cases[label][0].feedback.id for label in "acg")
        found = Recovery(a, c, T0, "analyser", score=0.42, shared=("tegel", "stoep"))
        store.put_recovery(found)
        store.put_recovery(Recovery(a, g, T0, "analyser", score=0.3))
        contacted = attrs.evolve(
            found,
            status=RecoveryStatus.CONTACTED,
            updated_at=T0 + timedelta(days=1),
            note="Gebeld.",
        )
        store.put_recovery(contacted)
        store.put_recovery(Recovery(g, a, T0, "Sanne de Vries"))
        assert store.recoveries(a) == tuple(
            sorted(
                (contacted, Recovery(a, g, T0, "analyser", score=0.3)), key=lambda r: str(r.case_id)
            )
        )
        assert len(store.recoveries()) == 3
        assert store.recoveries(c) == ()
        with pytest.raises(NotFoundError):
            store.put_recovery(Recovery(a, _UNKNOWN, T0, "analyser"))

    def test_golden_flags_are_kept_by_time(
        self, store: Store, cases: dict[str, tuple[CaseRecord, CaseState]]
    ) -> None:
        a, b = cases["a"][0].feedback.id, cases["b"][0].feedback.id
        later = GoldenFlag(a, "Noor", T0 + timedelta(days=2), "Raakt alle aanvragers.")
        earlier = GoldenFlag(b, "Pieter", T0 + timedelta(days=1), "Kwetsbare klant.")
        store.put_golden(later)
        store.put_golden(earlier)
        store.put_golden(attrs.evolve(later, reason="Systeemfout in de brief."))
        assert store.golden_flags() == (
            earlier,
            attrs.evolve(later, reason="Systeemfout in de brief."),
        )
        with pytest.raises(NotFoundError):
            store.put_golden(GoldenFlag(_UNKNOWN, "Noor", T0, "x"))

    def test_improvement_actions_read_back_and_are_replaced_whole(
        self, store: Store, cases: dict[str, tuple[CaseRecord, CaseState]]
    ) -> None:
        a, b, c = (cases[label][0].feedback.id for label in "abc")
        action = ImprovementAction(
            title="Terugbelnorm invoeren",
            owner="Teamleider KCC",
            target_group="Klantcontactcentrum",
            created_at=T0,
            created_by="verbeteroverleg",
            due=T0.date() + timedelta(days=30),
            cases=[b, a],
            themes=["bereikbaarheid", "communicatie"],
            origin="verbeteroverleg 2026-03-02",
        )
        earlier = ImprovementAction(
            title="Brief herschrijven", owner="Juristen", target_group="Bezwaar",
            created_at=T0 - timedelta(days=1), created_by="Noor",
        )  # fmt: skip
        store.put_action(action)
        store.put_action(earlier)
        assert store.action(action.id) == action
        assert store.actions() == (earlier, action)
        done = attrs.evolve(
            action,
            status=ActionStatus.DONE,
            change_made="Wie belt, wordt binnen twee werkdagen teruggebeld.",
            done_at=T0 + timedelta(days=20),
            cases=(a, c),
            themes=("bereikbaarheid",),
            notices=(
                Notice(c, "task", T0 + timedelta(days=21)),
                Notice(a, "smtp", T0 + timedelta(days=20, hours=1), reference="<m1@example.nl>"),
            ),
        )
        store.put_action(done)
        assert store.action(action.id) == done
        assert [n.case_id for n in store.action(action.id).notices] == [a, c]
        assert store.actions() == (earlier, done)
        with pytest.raises(NotFoundError):
            store.action(_UNKNOWN)
        with pytest.raises(NotFoundError):
            store.put_action(attrs.evolve(earlier, cases=(a, _UNKNOWN)))
        assert store.action(earlier.id) == earlier

"""The in-memory store: the same semantics as the SQL store, for unit tests and quick scripts.

Thread-safe (one lock); nothing survives :meth:`MemoryStore.close`. Reads select
the matching case ids under the lock and read each case as it is yielded.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC

import attrs

from feedbackkit.errors import ConflictError, NotFoundError
from feedbackkit.learning.models import GoldenFlag, ImprovementAction, Recovery, ThemeAssignment
from feedbackkit.models import CaseRecord, Event, Feedback, Link, Party, RelationshipOutcome
from feedbackkit.storage.checks import (
    canonical_record,
    check_append,
    checked_batches,
    sorted_outcomes,
    unique_links,
)
from feedbackkit.storage.protocol import IngestReport, Query
from feedbackkit.workflow.case import CaseState

__all__ = ["MemoryStore"]


_ALL = Query()


@attrs.define
class _Case:
    """A stored case in canonical form; its parties are looked up in the party table."""

    feedback: Feedback
    events: tuple[Event, ...]
    outcomes: tuple[RelationshipOutcome, ...]
    state: CaseState


class MemoryStore:
    """Cases held in dictionaries behind a lock; ``batch_size`` as for the SQL store."""

    def __init__(self, *, batch_size: int = 5_000) -> None:
        self.batch_size = batch_size
        self._lock = threading.RLock()
        self._cases: dict[uuid.UUID, _Case] = {}
        self._parties: dict[uuid.UUID, Party] = {}
        self._themes: dict[tuple[uuid.UUID, str], ThemeAssignment] = {}
        self._recoveries: dict[tuple[uuid.UUID, uuid.UUID], Recovery] = {}
        self._golden: dict[uuid.UUID, GoldenFlag] = {}
        self._actions: dict[uuid.UUID, ImprovementAction] = {}

    def _case(self, case_id: uuid.UUID) -> _Case:
        try:
            return self._cases[case_id]
        except KeyError:
            raise NotFoundError("case", case_id) from None

    def ingest(self, items: Iterable[tuple[CaseRecord, CaseState]]) -> IngestReport:
        inserted = skipped = 0
        for batch in checked_batches(items, self.batch_size):
            skipped += batch.duplicates
            with self._lock:
                for record, state in batch.items:
                    if record.feedback.id in self._cases:
                        skipped += 1
                        continue
                    for party in record.parties:
                        self._parties.setdefault(party.id, party)
                    r = canonical_record(record)
                    self._cases[r.feedback.id] = _Case(r.feedback, r.events, r.outcomes, state)
                    inserted += 1
        return IngestReport(inserted=inserted, skipped=skipped)

    def record(self, case_id: uuid.UUID) -> CaseRecord:
        with self._lock:
            case = self._case(case_id)
            return CaseRecord(
                feedback=case.feedback,
                parties=[self._parties[i] for i in dict.fromkeys(case.feedback.party_ids())],
                events=case.events,
                outcomes=case.outcomes,
            )

    def feedback(self, case_id: uuid.UUID) -> Feedback:
        with self._lock:
            return self._case(case_id).feedback

    def events(self, case_id: uuid.UUID) -> tuple[Event, ...]:
        with self._lock:
            return self._case(case_id).events

    def case_state(self, case_id: uuid.UUID) -> CaseState:
        with self._lock:
            return self._case(case_id).state

    def append(
        self, case_id: uuid.UUID, events: Sequence[Event], expected_version: int, state: CaseState
    ) -> None:
        check_append(case_id, events, expected_version, state)
        with self._lock:
            case = self._case(case_id)
            if case.state.version != expected_version:
                raise ConflictError(case_id, expected_version, case.state.version)
            case.events = (*case.events, *events)
            case.state = state

    def add_link(self, case_id: uuid.UUID, link: Link) -> None:
        with self._lock:
            case = self._case(case_id)
            links = unique_links((*case.feedback.links, link))
            case.feedback = attrs.evolve(case.feedback, links=links)

    def add_outcome(self, outcome: RelationshipOutcome) -> None:
        with self._lock:
            case = self._case(outcome.case_id)
            if all(o.id != outcome.id for o in case.outcomes):
                case.outcomes = sorted_outcomes((*case.outcomes, outcome))

    def outcomes(self, case_id: uuid.UUID) -> tuple[RelationshipOutcome, ...]:
        with self._lock:
            return self._case(case_id).outcomes

    def party(self, party_id: uuid.UUID) -> Party:
        with self._lock:
            try:
                return self._parties[party_id]
            except KeyError:
                raise NotFoundError("party", party_id) from None

    def put_party(self, party: Party) -> None:
        with self._lock:
            self._parties[party.id] = party

    def erase_party(self, party_id: uuid.UUID) -> None:
        with self._lock:
            self.party(party_id)
            del self._parties[party_id]
            for case in self._cases.values():
                if party_id in case.feedback.party_ids():
                    refs = tuple(r for r in case.feedback.parties if r.party_id != party_id)
                    case.feedback = attrs.evolve(case.feedback, parties=refs)

    def _select(self, query: Query) -> list[uuid.UUID]:
        with self._lock:
            found = sorted(
                (c.feedback.received_at.astimezone(UTC), c.feedback.id)
                for c in self._cases.values()
                if _matches(query, c)
            )
        end = None if query.limit is None else query.offset + query.limit
        return [case_id for _, case_id in found[query.offset : end]]

    def query(self, query: Query = _ALL) -> Iterator[CaseState]:
        for case_id in self._select(query):
            yield self.case_state(case_id)

    def count(self, query: Query = _ALL) -> int:
        return len(self._select(query))

    def records(self, query: Query = _ALL) -> Iterator[CaseRecord]:
        for case_id in self._select(query):
            yield self.record(case_id)

    def feedback_items(self, query: Query = _ALL) -> Iterator[Feedback]:
        for case_id in self._select(query):
            yield self.feedback(case_id)

    # -- the learning loop ------------------------------------------------------------

    def _require(self, case_ids: Iterable[uuid.UUID]) -> None:
        for case_id in sorted(set(case_ids), key=str):
            self._case(case_id)

    def put_themes(self, assignments: Iterable[ThemeAssignment]) -> None:
        items = list(assignments)
        with self._lock:
            self._require(a.case_id for a in items)
            self._themes.update({(a.case_id, a.theme): a for a in items})

    def themes(self, case_ids: Iterable[uuid.UUID] | None = None) -> tuple[ThemeAssignment, ...]:
        wanted = None if case_ids is None else set(case_ids)
        with self._lock:
            found = [a for a in self._themes.values() if wanted is None or a.case_id in wanted]
        return tuple(sorted(found, key=lambda a: (str(a.case_id), a.theme)))

    def put_recovery(self, recovery: Recovery) -> None:
        with self._lock:
            self._require((recovery.source_id, recovery.case_id))
            self._recoveries[recovery.source_id, recovery.case_id] = recovery

    def recoveries(self, source_id: uuid.UUID | None = None) -> tuple[Recovery, ...]:
        with self._lock:
            found = [r for r in self._recoveries.values() if source_id in (None, r.source_id)]
        return tuple(sorted(found, key=lambda r: (str(r.source_id), str(r.case_id))))

    def put_golden(self, flag: GoldenFlag) -> None:
        with self._lock:
            self._case(flag.case_id)
            self._golden[flag.case_id] = flag

    def golden_flags(self) -> tuple[GoldenFlag, ...]:
        with self._lock:
            found = list(self._golden.values())
        return tuple(sorted(found, key=lambda f: (f.flagged_at.astimezone(UTC), str(f.case_id))))

    def put_action(self, action: ImprovementAction) -> None:
        with self._lock:
            self._require(action.cases)
            self._actions[action.id] = action

    def action(self, action_id: uuid.UUID) -> ImprovementAction:
        with self._lock:
            try:
                return self._actions[action_id]
            except KeyError:
                raise NotFoundError("improvement action", action_id) from None

    def actions(self) -> tuple[ImprovementAction, ...]:
        with self._lock:
            found = list(self._actions.values())
        return tuple(sorted(found, key=lambda a: (a.created_at.astimezone(UTC), str(a.id))))

    def close(self) -> None:
        with self._lock:
            self._cases.clear()
            self._parties.clear()
            self._themes.clear()
            self._recoveries.clear()
            self._golden.clear()
            self._actions.clear()


def _matches(query: Query, case: _Case) -> bool:
    feedback, state = case.feedback, case.state
    # Instants compare in UTC: Python compares datetimes sharing a zone by wall time.
    received = feedback.received_at.astimezone(UTC)
    return (
        (not query.kinds or feedback.kind in query.kinds)
        and (not query.channels or feedback.channel in query.channels)
        and (not query.procedures or state.procedure in query.procedures)
        and (not query.states or state.state in query.states)
        and (query.received_from is None or received >= query.received_from.astimezone(UTC))
        and (query.received_until is None or received < query.received_until.astimezone(UTC))
        and (query.done is None or state.done == query.done)
        and (query.handler is None or state.handler == query.handler)
        and (query.tag is None or query.tag in feedback.tags)
        and (query.party_id is None or query.party_id in feedback.party_ids())
        and (query.reference is None or feedback.reference == query.reference)
        and (query.subject is None or feedback.subject == query.subject)
        and (query.org_unit is None or feedback.org_unit == query.org_unit)
    )

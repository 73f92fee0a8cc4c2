"""Service recovery: from one case, the other customers likely affected by the same problem.

A problem one customer reports has usually hit others, most of whom said nothing or
reported it in other words, through another channel, as another kind of feedback. The
search looks at the feedback received within ``days`` of the case, registered under the
same subject *or* in the same place, and ranks it by text similarity (the text
analyser's :meth:`~feedbackkit.learning.text.TextIndex.similar`); the same customer's
other cases are left out. Recording the result links each affected case to the source
as ``same_problem_as`` and starts a :class:`~feedbackkit.learning.models.Recovery` per
affected customer: to contact, contacted, recovered or declined.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import attrs

from feedbackkit.learning.text import Document, Scope, TextAnalyzer
from feedbackkit.models import CaseRecord, Feedback, Party
from feedbackkit.storage.protocol import Query, Store
from feedbackkit.vocabulary import PartyRole

__all__ = ["CUSTOMER_ROLES", "Affected", "customer", "find_affected"]

CUSTOMER_ROLES = (PartyRole.COMPLAINANT, PartyRole.REPORTER, PartyRole.OBJECTOR)
"""The roles of the customer who gave the feedback (not the person complained about)."""


@attrs.frozen
class Affected:
    """A case that likely reports the same problem, and why it was found."""

    case_id: uuid.UUID
    score: float
    """Text similarity to the source case (0-1)."""
    shared: tuple[str, ...]
    """Words both texts use, most telling first."""
    reference: str | None
    received_at: datetime
    kind: str
    channel: str
    subject: str | None
    location: str | None


def customer(record: CaseRecord) -> Party | None:
    """The customer who gave the feedback: the first complainant, reporter or objector."""
    by_id = {party.id: party for party in record.parties}
    for ref in record.feedback.parties:
        if ref.role in CUSTOMER_ROLES and ref.party_id in by_id:
            return by_id[ref.party_id]
    return None


def _customers(feedback: Feedback) -> set[uuid.UUID]:
    return {ref.party_id for ref in feedback.parties if ref.role in CUSTOMER_ROLES}


def find_affected(
    store: Store,
    analyzer: TextAnalyzer,
    case_id: uuid.UUID,
    *,
    days: int = 30,
    k: int = 20,
    min_score: float = 0.1,
) -> tuple[Affected, ...]:
    """Up to ``k`` cases received within ``days`` of ``case_id`` (same subject or same
    place) whose text is at least ``min_score`` similar, best first."""
    source = store.feedback(case_id)
    received = source.received_at
    window = Query(
        received_from=received - timedelta(days=days + 1),
        received_until=received + timedelta(days=days + 1),
    )
    items = {f.id: f for f in store.feedback_items(window)}
    items[case_id] = source
    query = Document.from_feedback(source)
    own = _customers(source)
    same_customer = {f.id for f in items.values() if own & _customers(f)}
    scope = attrs.evolve(
        Scope.around(query, days, min_score=min_score),
        exclude=frozenset({str(i) for i in same_customer | {case_id}}),
    )
    candidates = [Document.from_feedback(f) for f in items.values()]
    index = analyzer.index(d for d in candidates if d.id == query.id or scope.admits(d))
    found = []
    for match in index.similar(query, k, scope):
        feedback = items[uuid.UUID(match.id)]
        found.append(
            Affected(
                case_id=feedback.id,
                score=round(min(match.score, 1.0), 4),
                shared=match.shared,
                reference=feedback.reference,
                received_at=feedback.received_at,
                kind=feedback.kind.value,
                channel=feedback.channel.value,
                subject=feedback.subject,
                location=feedback.location,
            )
        )
    return tuple(found)

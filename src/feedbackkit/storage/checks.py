"""Checks every store applies to what it is asked to write, so all stores agree.

Stores keep only parties that play a role in the case, and return a record in
canonical form (:func:`canonical_record`).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC

import attrs

from feedbackkit.errors import ValidationError
from feedbackkit.models import CaseRecord, Event, Feedback, Link, Party, RelationshipOutcome
from feedbackkit.workflow.case import CaseState

__all__ = [
    "Batch",
    "canonical_record",
    "check_append",
    "check_case",
    "checked_batches",
    "sorted_outcomes",
    "unique_links",
]

Item = tuple[CaseRecord, CaseState]


def check_case(record: CaseRecord, state: CaseState) -> None:
    """Raise :class:`ValidationError` unless ``state`` summarises ``record`` and every
    included party plays a role in it."""
    fid = record.feedback.id
    if state.case_id != fid:
        raise ValidationError("state.case_id", f"{state.case_id} is not the case id {fid}")
    if state.version != record.version:
        raise ValidationError(
            "state.version", f"case {fid}: {state.version} but the case has {record.version} events"
        )
    referenced = set(record.feedback.party_ids())
    for party in record.parties:
        if party.id not in referenced:
            raise ValidationError(
                "parties", f"case {fid}: party {party.id} plays no role in the feedback"
            )


def check_append(
    case_id: uuid.UUID, events: Sequence[Event], expected_version: int, state: CaseState
) -> None:
    """Raise :class:`ValidationError` unless ``events`` continue the history after
    ``expected_version`` and ``state`` is the summary after them."""
    for offset, event in enumerate(events, start=1):
        if event.case_id != case_id:
            raise ValidationError("events", f"event {event.seq} belongs to case {event.case_id}")
        if event.seq != expected_version + offset:
            raise ValidationError(
                "events",
                f"case {case_id}: event has seq {event.seq}, expected {expected_version + offset}",
            )
    if state.case_id != case_id:
        raise ValidationError("state.case_id", f"{state.case_id} is not the case id {case_id}")
    if state.version != expected_version + len(events):
        raise ValidationError(
            "state.version",
            f"case {case_id}: {state.version}, expected {expected_version + len(events)}",
        )


@attrs.frozen
class Batch:
    """Checked items with distinct case ids, and how many later duplicates were dropped."""

    items: tuple[Item, ...]
    duplicates: int


def checked_batches(items: Iterable[Item], size: int) -> Iterator[Batch]:
    """``items`` in checked batches of at most ``size`` distinct cases.

    An item whose case id already occurred earlier in the same batch is dropped
    and counted (the first one wins; across batches the store skips it). Only
    one batch is held in memory at a time.
    """
    batch: dict[uuid.UUID, Item] = {}
    duplicates = 0
    for record, state in items:
        check_case(record, state)
        if record.feedback.id in batch:
            duplicates += 1
            continue
        batch[record.feedback.id] = (record, state)
        if len(batch) >= size:
            yield Batch(tuple(batch.values()), duplicates)
            batch, duplicates = {}, 0
    if batch or duplicates:
        yield Batch(tuple(batch.values()), duplicates)


def unique_links(links: Iterable[Link]) -> tuple[Link, ...]:
    """``links`` without repeats, in first-seen order."""
    return tuple(dict.fromkeys(links))


def sorted_outcomes(outcomes: Iterable[RelationshipOutcome]) -> tuple[RelationshipOutcome, ...]:
    """``outcomes`` by the instant they were recorded, then id."""
    return tuple(sorted(outcomes, key=lambda o: (o.recorded_at.astimezone(UTC), o.id)))


def canonical_record(record: CaseRecord) -> CaseRecord:
    """``record`` as every store returns it.

    Links once each in first-seen order; parties in the order of their first
    role in the feedback; outcomes by ``recorded_at``, then id.
    """
    by_id: dict[uuid.UUID, Party] = {p.id: p for p in record.parties}
    feedback: Feedback = attrs.evolve(record.feedback, links=unique_links(record.feedback.links))
    return attrs.evolve(
        record,
        feedback=feedback,
        parties=tuple(by_id[i] for i in dict.fromkeys(feedback.party_ids())),
        outcomes=sorted_outcomes(record.outcomes),
    )

"""Identifiers are time-ordered (UUIDv7), so bulk ingest appends to the id indexes."""

from __future__ import annotations

import time
import uuid
from datetime import datetime
from itertools import pairwise

from feedbackkit.demo import generate
from feedbackkit.models import new_id, time_ordered_id


def unix_ms(value: uuid.UUID) -> int:
    return value.int >> 80


def test_time_ordered_ids_follow_rfc_9562() -> None:
    # RFC 9562, appendix A.6: the UUIDv7 example value and its fields
    example = time_ordered_id(0x017F22E279B0, 0xCC3 << 62 | 0x18C4DC0C0C07398F)
    assert example == uuid.UUID("017F22E2-79B0-7CC3-98C4-DC0C0C07398F")
    made = time_ordered_id(1, (1 << 128) - 1)
    assert (made.version, made.variant) == (7, uuid.RFC_4122)
    assert unix_ms(made) == 1


def test_new_ids_are_uuid7_of_the_moment_they_are_made() -> None:
    before = time.time_ns() // 1_000_000
    ids = [new_id() for _ in range(200)]
    after = time.time_ns() // 1_000_000
    assert {(i.version, i.variant) for i in ids} == {(7, uuid.RFC_4122)}
    assert all(before <= unix_ms(i) <= after for i in ids)
    assert len(set(ids)) == len(ids)
    later = new_id()
    while unix_ms(later) == after:
        later = new_id()
    assert all(i < later for i in ids)


def test_demo_ids_are_time_ordered_and_the_same_for_the_same_seed() -> None:
    records = list(generate(300, seed=5))
    assert [r.feedback.id for r in records] == [r.feedback.id for r in generate(300, seed=5)]
    for record in records:
        received = record.feedback.received_at
        midnight = datetime.combine(received.date(), datetime.min.time(), received.tzinfo)
        assert unix_ms(record.feedback.id) == int(midnight.timestamp() * 1000)
        for event in record.events:
            assert event.id.version == 7
            assert unix_ms(event.id) == int(event.at.timestamp() * 1000)
        for outcome in record.outcomes:
            assert unix_ms(outcome.id) == int(outcome.recorded_at.timestamp() * 1000)
        assert all(p.id.version == 7 for p in record.parties)
    days = [unix_ms(r.feedback.id) for r in records]
    assert sum(a <= b for a, b in pairwise(days)) >= 0.99 * (len(days) - 1)

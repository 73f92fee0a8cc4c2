"""Exporting stored cases as ``feedbackkit/1`` lines, streamed in the store's order."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, TextIO

from feedbackkit.deadlines import DeadlineStatus
from feedbackkit.interchange.jsonl import encode
from feedbackkit.storage.protocol import Query
from feedbackkit.workflow.case import derive

if TYPE_CHECKING:
    from feedbackkit.service import FeedbackKit

__all__ = ["RUNNING", "export_cases"]

RUNNING = frozenset({DeadlineStatus.OPEN, DeadlineStatus.SUSPENDED})
"""The deadline statuses an export lists: terms still running on the export date."""


def export_cases(
    kit: FeedbackKit, out: TextIO, query: Query | None = None, as_of: date | None = None
) -> int:
    """Write every case matching ``query`` to ``out``, one line each; returns the count.

    Each line carries the case's current state and its running deadlines as of
    ``as_of`` (default: today by the kit's clock). Order: by receipt, then id.
    """
    day = as_of if as_of is not None else kit.clock.now().date()
    count = 0
    for record in kit.store.records(query or Query()):
        feedback = record.feedback
        state = derive(kit.procedure_for(feedback), feedback.id, record.events)
        deadlines = [
            d for d in kit.compute_deadlines(feedback, record.events, day) if d.status in RUNNING
        ]
        out.write(encode(record, state, deadlines, day) + "\n")
        count += 1
    return count

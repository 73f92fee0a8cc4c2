"""What the SQL store keeps per case for in-database metrics: its deadlines and its facts.

Deadlines are computed in Python (:mod:`feedbackkit.deadlines`: policies and the
Atw calendar). A store that keeps metrics stores one :class:`CaseTerm` per case,
term and round, written on ingest and rewritten on every append. Its status does
not depend on the day it was computed: what is still running is stored as
``open`` with its due date, and a query decides *as of* a day whether it is
overdue (:mod:`feedbackkit.storage.metrics`).

The facade hands stores a :data:`TermTracker` (:func:`term_tracker`) through
:meth:`TermTracking.track_terms`; a store used without one stores no terms.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from itertools import pairwise
from operator import attrgetter
from typing import Any, Protocol, runtime_checkable

import attrs

from feedbackkit.clock import AMSTERDAM
from feedbackkit.deadlines import Calendar, Deadline, DeadlinePolicy, DeadlineStatus, Unit
from feedbackkit.deadlines import compute_deadlines as compute
from feedbackkit.deadlines.policy import OnReopen, Term
from feedbackkit.models import Event, Feedback, RelationshipOutcome
from feedbackkit.workflow.case import CaseState

__all__ = [
    "EPOCH",
    "OUTCOME_FACTS",
    "CaseTerm",
    "MemoCalendar",
    "TermStatus",
    "TermTracker",
    "TermTracking",
    "case_fact",
    "case_terms",
    "latest_outcome",
    "lead_seconds",
    "month_number",
    "outcome_facts",
    "term_tracker",
]


class TermStatus(StrEnum):
    """Where a term stands, independent of the day it is looked at."""

    MET = "met"
    """Met on or before its due date."""
    LATE = "late"
    """Met after its due date (``met_on`` is set)."""
    MISSED = "missed"
    """Ended without being met, after its due date (e.g. withdrawn too late)."""
    OPEN = "open"
    """Still running: overdue once the day looked at lies after ``due``."""
    SUSPENDED = "suspended"
    """Not running while a defect is repaired; the due date moves on, so never overdue."""
    CONDITIONAL = "conditional"
    """A term that applies only if an action is recorded (Awb 9:8 lid 3), none yet:
    open until ``due``, not applicable after it."""
    NOT_STARTED = "not_started"
    LAPSED = "lapsed"
    """Not applicable: the case ended another way in time, or the condition lapsed."""


@attrs.frozen
class CaseTerm:
    """One round of one term of a case, as stored (table ``case_terms``)."""

    case_id: uuid.UUID
    procedure: str
    term: str
    round: int
    statutory: bool
    status: TermStatus = attrs.field(converter=TermStatus)
    starts: date | None = None
    due: date | None = None
    met_on: date | None = None
    action: str | None = None
    """The action that met the term (e.g. ``resolve_informally`` or ``send_findings``)."""


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def lead_seconds(received: datetime, done: datetime) -> int:
    """Whole seconds from receipt to done, as the databases count them (epoch seconds)."""
    second = timedelta(seconds=1)
    return (done - EPOCH) // second - (received - EPOCH) // second


def month_number(moment: datetime) -> int:
    """The Amsterdam calendar month of ``moment`` as ``yyyymm`` (``202603``: March 2026)."""
    local = moment.astimezone(AMSTERDAM)
    return local.year * 100 + local.month


OUTCOME_FACTS = (
    "relationship",
    "satisfaction_handling",
    "satisfaction_solution",
    "fairly_treated",
    "would_recommend",
    "expectations_exceeded",
)
"""The answers of a case's latest outcome that ``case_facts`` keeps (``None``: no outcome)."""


def latest_outcome(outcomes: Iterable[RelationshipOutcome]) -> RelationshipOutcome | None:
    """The outcome recorded last: the latest instant, then the highest id (as stores
    order them); ``None`` when there is none."""
    return max(outcomes, key=lambda o: (o.recorded_at.astimezone(UTC), o.id), default=None)


def outcome_facts(outcomes: Iterable[RelationshipOutcome]) -> dict[str, Any]:
    """The :data:`OUTCOME_FACTS` of a case with ``outcomes``: its latest outcome's answers."""
    latest = latest_outcome(outcomes)
    if latest is None:
        return dict.fromkeys(OUTCOME_FACTS)
    found = {name: getattr(latest, name) for name in OUTCOME_FACTS}
    found["relationship"] = latest.relationship.value
    return found


def case_fact(
    feedback: Feedback, state: CaseState, outcomes: Iterable[RelationshipOutcome]
) -> dict[str, Any]:
    """The ``case_facts`` row of a case: what metrics filter and group by, its lead time,
    and its latest outcome's answers (:func:`outcome_facts`)."""
    done = state.done_at
    return {
        "case_id": str(feedback.id),
        "received_at": feedback.received_at,
        "month": month_number(feedback.received_at),
        "kind": feedback.kind.value,
        "channel": feedback.channel.value,
        "initiative": feedback.initiative.value,
        "origin": feedback.origin.value,
        "form": feedback.form.value,
        "procedure": state.procedure,
        "done_at": done,
        "lead_seconds": None if done is None else lead_seconds(feedback.received_at, done),
        **outcome_facts(outcomes),
    }


TermTracker = Callable[[Feedback, Sequence[Event], str], tuple[CaseTerm, ...]]
"""``(feedback, events, procedure) -> terms``: what a store writes for a case."""


@runtime_checkable
class TermTracking(Protocol):
    """A store that keeps :class:`CaseTerm` rows for in-database compliance metrics."""

    def track_terms(self, tracker: TermTracker | None) -> None:
        """Compute and store the terms of every case written from now on with ``tracker``."""
        ...


def _action(deadline: Deadline, term: Term, rounds: Sequence[Sequence[Event]]) -> str | None:
    """The action that met ``deadline``: the first of ``term.met_by`` on ``met_on`` in its round.

    ``rounds``: the events of each round (split at reopenings), then all events.
    """
    met_on = deadline.met_on
    if met_on is None:
        return None
    segment = rounds[deadline.round - 1 if term.on_reopen is OnReopen.RESTART else -1]
    for event in segment:
        if event.action in term.met_by and event.at.date() == met_on:
            return event.action
    return None


def _rounds(events: Sequence[Event], reopen: tuple[str, ...]) -> list[Sequence[Event]]:
    """The events of each round of a case (split at the ``reopen`` actions), then all events."""
    cuts = [i for i, e in enumerate(events) if e.action in reopen]
    if not cuts:
        return [events]
    bounds = [-1, *cuts, len(events)]
    return [*(events[a + 1 : b] for a, b in pairwise(bounds)), events]


def _status(deadline: Deadline, term: Term, events: Sequence[Event]) -> TermStatus:
    status = deadline.status
    if status is DeadlineStatus.MET:
        return TermStatus.MET
    if status is DeadlineStatus.MISSED:
        return TermStatus.MISSED if deadline.met_on is None else TermStatus.LATE
    if status is DeadlineStatus.OPEN:
        conditional = term.applies_if and not any(e.action in term.applies_if for e in events)
        return TermStatus.CONDITIONAL if conditional else TermStatus.OPEN
    if status is DeadlineStatus.SUSPENDED:
        return TermStatus.SUSPENDED
    if status is DeadlineStatus.NOT_STARTED:
        return TermStatus.NOT_STARTED
    return TermStatus.LAPSED


_SEQ = attrgetter("seq")


def case_terms(
    feedback: Feedback,
    events: Sequence[Event],
    procedure: str,
    policy: DeadlinePolicy,
    calendar: Calendar,
) -> tuple[CaseTerm, ...]:
    """The terms of ``policy`` for a case, as stored.

    Computed as of the day of receipt: nothing is overdue yet then, so a term is
    settled (met, late, missed, lapsed) only by what the history records. The
    rules explaining each deadline are not stored, so they are not built.
    """
    ordered = sorted(events, key=_SEQ)
    today = feedback.received_at.date()
    rounds = _rounds(ordered, policy.reopen_actions)
    rows = []
    for deadline in compute(feedback, ordered, policy, calendar, today, explain=False):
        term = policy.term(deadline.term)
        rows.append(
            CaseTerm(  # positional: a class called with keywords is measurably slower
                feedback.id,
                procedure,
                deadline.term,
                deadline.round,
                deadline.statutory,
                _status(deadline, term, ordered),
                deadline.starts,
                deadline.due,
                deadline.met_on,
                _action(deadline, term, rounds),
            )
        )
    return tuple(rows)


def term_tracker(policies: Mapping[str, DeadlinePolicy], calendar: Calendar) -> TermTracker:
    """The tracker for ``policies`` by procedure name; procedures without one have no terms."""
    memo = MemoCalendar(calendar)

    def track(feedback: Feedback, events: Sequence[Event], procedure: str) -> tuple[CaseTerm, ...]:
        policy = policies.get(procedure)
        if policy is None:
            return ()
        return case_terms(feedback, events, procedure, policy, memo)

    return track


class MemoCalendar:
    """A :class:`~feedbackkit.deadlines.Calendar` remembering the answers of another.

    Calendars answer from the date alone, and cases received on the same day ask the
    same questions: remembering them roughly halves the time deadlines take on ingest.
    """

    def __init__(self, calendar: Calendar) -> None:
        self.calendar = calendar
        self._rest: dict[date, str | None] = {}
        self._closed: dict[date, str | None] = {}
        self._added: dict[tuple[date, int, Unit | None], date] = {}

    def atw_rest_day(self, day: date) -> str | None:
        try:
            return self._rest[day]
        except KeyError:
            found = self._rest[day] = self.calendar.atw_rest_day(day)
            return found

    def closed(self, day: date) -> str | None:
        try:
            return self._closed[day]
        except KeyError:
            found = self._closed[day] = self.calendar.closed(day)
            return found

    def is_working_day(self, day: date) -> bool:
        return self.closed(day) is None

    def add_working_days(self, day: date, count: int) -> date:
        key = (day, count, None)
        try:
            return self._added[key]
        except KeyError:
            found = self._added[key] = self.calendar.add_working_days(day, count)
            return found

    def add(self, start: date, amount: int, unit: Unit) -> date:
        key = (start, amount, unit)
        try:
            return self._added[key]
        except KeyError:
            found = self._added[key] = self.calendar.add(start, amount, unit)
            return found

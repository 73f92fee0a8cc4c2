"""Computing a case's deadlines from its history: pure, ``today`` is passed in.

For each term of the policy: find the day it counts from, the amount (longer
with an advisory committee), add postponements (capped unless the payload says
``consent: true``) and suspended days, apply the Algemene termijnenwet if the
term asks for it, and compare with the actions recorded. Every step is written
to :attr:`Deadline.rules`, unless the caller asks for no explanation
(``explain=False``: the same computation, without writing the rules).

Reopening: a term with ``on_reopen = "restart"`` gets a new round for each
reopening, counted from the reopening; later rounds are not statutory (no law
sets a term for reopened handling). Terms with ``on_reopen = "keep"`` are
computed once over the whole history.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from enum import StrEnum
from operator import attrgetter

import attrs

from feedbackkit.deadlines.atw import AtwArticle, apply_atw, atw_exclusion
from feedbackkit.deadlines.calendar import Calendar, Unit
from feedbackkit.deadlines.policy import (
    OBJECTION_TERM_END,
    RECEIPT,
    DeadlinePolicy,
    OnReopen,
    Postponement,
    Term,
)
from feedbackkit.models import Event, Feedback

__all__ = ["OBJECTION_TERM_WEEKS", "Deadline", "DeadlineStatus", "compute_deadlines"]

OBJECTION_TERM_WEEKS = 6
"""Awb 6:7: the objection term, from the day after the decision was made known (6:8)."""
_OBJECTION_TERM = timedelta(weeks=OBJECTION_TERM_WEEKS)
_ALL_ARTICLES = frozenset(AtwArticle)

_STATUS_LABELS = {
    "open": ("lopend", "open"),
    "suspended": ("opgeschort", "suspended"),
    "not_started": ("nog niet gestart", "not started"),
    "met": ("gehaald", "met"),
    "missed": ("niet gehaald", "missed"),
    "not_applicable": ("niet van toepassing", "not applicable"),
}


class DeadlineStatus(StrEnum):
    """Where a term stands. A term met after its due date is ``missed`` with ``met_on`` set."""

    OPEN = "open"
    SUSPENDED = "suspended"
    NOT_STARTED = "not_started"
    MET = "met"
    MISSED = "missed"
    NOT_APPLICABLE = "not_applicable"

    def label(self, lang: str = "nl") -> str:
        nl, en = _STATUS_LABELS[self.value]
        return en if lang == "en" else nl


@attrs.frozen
class Deadline:
    """One term of a case as of ``today``: due date, status and the rules applied."""

    term: str
    nl: str
    en: str
    statutory: bool
    basis: str
    status: DeadlineStatus
    due: date | None
    """The last day to act (inclusive); ``None`` while the term has not started."""
    starts: date | None = None
    """The day the term counts from (day 0)."""
    met_on: date | None = None
    round: int = 1
    """1, or 2, 3... for the rounds after each reopening."""
    due_at: datetime | None = None
    """For terms in hours: the moment the term ends."""
    rules: tuple[str, ...] = ()

    def label(self, lang: str = "nl") -> str:
        return self.en if lang == "en" else self.nl


@attrs.frozen
class _Round:
    number: int
    opened: datetime
    events: tuple[Event, ...]
    """The events after the opening and before the next reopening."""
    superseded_on: date | None
    """The day the next reopening started a new round."""


def _rounds(
    feedback: Feedback, events: tuple[Event, ...], reopen_actions: tuple[str, ...]
) -> list[_Round]:
    cuts = [i for i, e in enumerate(events) if e.action in reopen_actions]
    if not cuts:
        return [_Round(1, feedback.received_at, events, None)]
    openings = [(-1, feedback.received_at), *((i, events[i].at) for i in cuts)]
    rounds = []
    for number, (index, opened) in enumerate(openings, start=1):
        following = openings[number][0] if number < len(openings) else len(events)
        superseded = events[following].at.date() if following < len(events) else None
        rounds.append(_Round(number, opened, tuple(events[index + 1 : following]), superseded))
    return rounds


def _first(events: Sequence[Event], actions: tuple[str, ...]) -> Event | None:
    for event in events:
        if event.action in actions:
            return event
    return None


def _find(events: Sequence[Event], actions: tuple[str, ...]) -> int | None:
    """The position of the first event with one of ``actions``, or ``None``."""
    for index, event in enumerate(events):
        if event.action in actions:
            return index
    return None


_SEQ = attrgetter("seq")


def compute_deadlines(
    feedback: Feedback,
    events: Sequence[Event],
    policy: DeadlinePolicy,
    calendar: Calendar,
    today: date,
    *,
    explain: bool = True,
) -> tuple[Deadline, ...]:
    """Every term of ``policy`` for ``feedback`` with history ``events``, as of ``today``.

    ``explain=False`` leaves :attr:`Deadline.rules` empty (for callers that never
    show them, e.g. stores); everything else is the same.
    """
    ordered = tuple(sorted(events, key=_SEQ))
    rounds = _rounds(feedback, ordered, policy.reopen_actions)
    whole = rounds if len(rounds) == 1 else [_Round(1, feedback.received_at, ordered, None)]
    return tuple(
        _TermRun(term, feedback, round_, calendar, today, explain).deadline()
        for term in policy.terms
        for round_ in (rounds if term.on_reopen is OnReopen.RESTART else whole)
    )


class _TermRun:
    """One round of one term, worked out step by step.

    Every rule is written under ``if self.explain``: without it the steps are the
    same, only their explanation is not built.
    """

    __slots__ = (
        "calendar",
        "capped",
        "explain",
        "feedback",
        "first",
        "receipt",
        "round",
        "rules",
        "start",
        "suspended",
        "term",
        "today",
        "weeks",
    )

    def __init__(
        self,
        term: Term,
        feedback: Feedback,
        round_: _Round,
        calendar: Calendar,
        today: date,
        explain: bool = True,
    ) -> None:
        self.term = term
        self.feedback = feedback
        self.round = round_
        self.calendar = calendar
        self.today = today
        self.receipt = feedback.received_at.date()
        self.start = self.receipt
        """The day the term counts from (day 0)."""
        self.first = 0
        """Where the events that count begin in the round (after the action starting the term)."""
        self.explain = explain
        self.rules: list[str] = []
        self.weeks = 0
        """Postponement counted, in weeks."""
        self.suspended = 0
        """Suspension counted, in days (working days for a term in working days)."""
        self.capped = 0
        """Postponement counted against the cap, in weeks."""

    # -- the result ---------------------------------------------------------------

    def _deadline(
        self,
        status: DeadlineStatus,
        due: date | None = None,
        start: date | None = None,
        met_on: date | None = None,
        due_at: datetime | None = None,
    ) -> Deadline:
        term, number = self.term, self.round.number
        return Deadline(  # positional: a class called with keywords is measurably slower
            term.id,
            term.nl,
            term.en,
            term.statutory and number == 1,
            term.basis,
            status,
            due,
            start,
            met_on,
            number,
            due_at,
            tuple(self.rules),
        )

    def deadline(self) -> Deadline:
        term, events = self.term, self.round.events
        start_moment = self._start()
        if start_moment is None:
            lapsed = _first(events, term.lapses_by)
            if lapsed is not None:
                if self.explain:
                    self.rules.append(f"did not start: {lapsed.action} on {lapsed.at.date()}")
                return self._deadline(DeadlineStatus.NOT_APPLICABLE)
            return self._deadline(DeadlineStatus.NOT_STARTED)
        if self.first:
            events = events[self.first :]
        found = _find(events, term.met_by + term.lapses_by)
        resolution = None if found is None else events[found]
        active = events if found is None else events[: found + 1]
        start = self.start
        amount = self._amount(active)
        if term.unit is Unit.HOURS:
            return self._hours(start_moment, amount, active, resolution)
        base_end = self.calendar.add(start, amount, term.unit)
        articles = term.atw
        if articles and (excluded := atw_exclusion(start, base_end, term.unit)):
            if self.explain:
                self.rules.append(excluded)
            articles = frozenset()
        open_since = self._adjust(active, resolution, base_end, articles)
        due, atw_rules = apply_atw(
            self.calendar, start, self._end(base_end), articles, explain=self.explain
        )
        self.rules.extend(atw_rules)
        in_time = resolution is not None and resolution.at.date() <= due
        status, met_on = self._status(active, resolution, due, in_time)
        if status is DeadlineStatus.OPEN and open_since is not None:
            status = DeadlineStatus.SUSPENDED
        return self._deadline(status, due, start, met_on)

    # -- steps ----------------------------------------------------------------------

    def _start(self) -> datetime | None:
        """Set :attr:`start` and return the moment the term counts from (``None``: not yet)."""
        term, round_, explain = self.term, self.round, self.explain
        base = f"{term.basis}: {term.unit.describe(term.amount)}" if explain else ""
        if round_.number > 1:
            self.start = round_.opened.date()
            if explain:
                self.rules.append(
                    f"round {round_.number}: counted from the reopening on {self.start} "
                    "(a feedbackkit convention; no law sets a term for reopened handling)"
                )
                self.rules.append(f"{base} after the reopening on {self.start}")
            return round_.opened
        if term.starts == RECEIPT:
            self.start = self.receipt
            if explain:
                self.rules.append(f"{base} after receipt on {self.receipt}")
            return self.feedback.received_at
        if term.starts == OBJECTION_TERM_END:
            self.start, origin = self._objection_term_end()
            if explain:
                self.rules.append(f"{base} after {origin}")
            return self.feedback.received_at
        events = round_.events
        found = _find(events, (term.starts,))
        if found is None:
            if explain:
                self.rules.append(f"starts when {term.starts} is recorded")
            return None
        trigger = events[found]
        self.start = max(trigger.at.date(), self.receipt)
        self.first = found + 1
        while self.first < len(events) and events[self.first].seq <= trigger.seq:
            self.first += 1  # in order of seq: only events with a higher seq count
        if explain:
            self.rules.append(f"{base} after {term.starts} on {self.start}")
        return trigger.at

    def _objection_term_end(self) -> tuple[date, str]:
        """The day the objection term ended (or receipt), and how to name it."""
        decided, explain = self.feedback.decision_date, self.explain
        receipt = (self.receipt, f"receipt on {self.receipt}" if explain else "")
        if decided is None:
            if explain:
                self.rules.append(
                    "Awb 6:7, 6:8: decision date unknown; counted from receipt "
                    "instead of the end of the objection term"
                )
            return receipt
        end, atw_rules = apply_atw(
            self.calendar,
            decided,
            decided + _OBJECTION_TERM,
            _ALL_ARTICLES,
            explain=explain,
        )
        if explain:
            self.rules.append(
                f"Awb 6:7, 6:8: the objection term ran from {decided + timedelta(days=1)} "
                f"to {end} (decision made known on {decided})"
            )
            self.rules.extend(atw_rules)
        if end < self.receipt:
            if explain:
                self.rules.append(
                    f"objection received on {self.receipt}, after the objection term ended: "
                    "counted from receipt"
                )
            return receipt
        return end, f"the objection term ended on {end}" if explain else ""

    def _amount(self, active: Sequence[Event]) -> int:
        committee = self.term.committee
        if committee is None:
            return self.term.amount
        engaged = _first(active, committee.actions)
        if engaged is None:
            return self.term.amount
        if self.explain:
            self.rules.append(
                f"{committee.basis}: {self.term.unit.describe(committee.amount)} instead of "
                f"{self.term.amount} ({engaged.action} on {engaged.at.date()})"
            )
        return committee.amount

    def _end(self, base_end: date) -> date:
        """The end before the Atw: ``base_end`` plus postponement and suspension."""
        if not (self.weeks or self.suspended):
            return base_end
        end = base_end + timedelta(weeks=self.weeks)
        if self.term.unit is Unit.WORKING_DAYS:
            return self.calendar.add_working_days(end, self.suspended)
        return end + timedelta(days=self.suspended)

    def _lost(self, since: date, until: date, inclusive: bool) -> int:
        """Days (working days) of suspension after ``since`` and before (or up to) ``until``.

        Only days on which the term ran count: none before the day it counts from.
        """
        since = max(since, self.start)
        days = [since + timedelta(days=n) for n in range(1, (until - since).days + inclusive)]
        if self.term.unit is Unit.WORKING_DAYS:
            return sum(self.calendar.is_working_day(d) for d in days)
        return len(days)

    @property
    def _lost_unit(self) -> Unit:
        return Unit.WORKING_DAYS if self.term.unit is Unit.WORKING_DAYS else Unit.DAYS

    def _adjust(
        self,
        active: Sequence[Event],
        resolution: Event | None,
        base_end: date,
        articles: frozenset[AtwArticle],
    ) -> date | None:
        """Count postponements and suspensions; return the day an ongoing suspension began."""
        postponement, suspension = self.term.postponement, self.term.suspension
        if postponement is None and suspension is None:
            return None
        since: date | None = None

        def due_now() -> date:
            return apply_atw(self.calendar, self.start, self._end(base_end), articles)[0]

        for event in active:
            day = event.at.date()
            if postponement is not None and event.action in postponement.actions:
                self._postpone(postponement, event, due_now())
            elif suspension is not None and since is None and event.action in suspension.start:
                if day > due_now():
                    if self.explain:
                        self.rules.append(
                            f"suspension on {day} not counted: the term had already ended "
                            f"on {due_now()} ({suspension.basis})"
                        )
                else:
                    since = day
            if (
                suspension is not None
                and since is not None
                and (event.action in suspension.end or event is resolution)
            ):
                lost = self._lost(since, day, inclusive=False)
                self.suspended += lost
                if self.explain:
                    self.rules.append(
                        f"suspended {self._lost_unit.describe(lost)} for repair: requested on "
                        f"{since}, ended by {event.action} on {day} ({suspension.basis})"
                    )
                since = None
        if since is not None and suspension is not None:
            self.suspended += self._lost(since, max(self.today, since), inclusive=True)
            if self.explain:
                self.rules.append(
                    f"suspended since {since + timedelta(days=1)}: repair requested on {since} "
                    f"and not yet received; the due date moves on each day ({suspension.basis})"
                )
        return since

    def _postpone(self, policy: Postponement, event: Event, due: date) -> None:
        """Count a postponement recorded while the term ran until ``due``."""
        day, weeks = event.at.date(), event.payload.get("weeks")
        consent = event.payload.get("consent") is True
        explain = self.explain
        if isinstance(weeks, bool) or not isinstance(weeks, int) or weeks < 1:
            if explain:
                self.rules.append(
                    f"postponement on {day} not counted: payload 'weeks' must be a whole number "
                    f"of at least 1, got {weeks!r}"
                )
            return
        if consent:
            self.weeks += weeks
            if explain:
                basis = policy.consent_basis or policy.basis
                self.rules.append(
                    f"postponed {Unit.WEEKS.describe(weeks)} on {day} with written consent "
                    f"({basis})"
                )
            return
        if day > due:
            if explain:
                self.rules.append(
                    f"postponement on {day} not counted: the term had already ended on {due} "
                    f"({policy.basis})"
                )
            return
        allowed = weeks
        if policy.max_weeks is not None:
            allowed = min(weeks, policy.max_weeks - self.capped)
        if allowed <= 0:
            if explain:
                self.rules.append(
                    f"postponement on {day} not counted: the {policy.max_weeks} weeks allowed "
                    f"without written consent are used up ({policy.basis})"
                )
            return
        self.capped += allowed
        self.weeks += allowed
        if not explain:
            return
        if allowed < weeks:
            self.rules.append(
                f"postponed {Unit.WEEKS.describe(allowed)} on {day} ({policy.basis}): "
                f"{weeks} weeks asked, at most {policy.max_weeks} weeks in total without "
                "written consent"
            )
        else:
            self.rules.append(f"postponed {Unit.WEEKS.describe(weeks)} on {day} ({policy.basis})")

    def _hours(
        self,
        start_moment: datetime,
        amount: int,
        active: Sequence[Event],
        resolution: Event | None,
    ) -> Deadline:
        excluded = atw_exclusion(self.start, self.start, Unit.HOURS)
        if self.term.atw and excluded and self.explain:
            self.rules.append(excluded)
        postponement = self.term.postponement
        for event in active:
            if postponement is not None and event.action in postponement.actions:
                due_at = start_moment + timedelta(hours=amount, weeks=self.weeks)
                self._postpone(postponement, event, due_at.date())
        due_at = start_moment + timedelta(hours=amount, weeks=self.weeks)
        in_time = resolution is not None and resolution.at <= due_at
        status, met_on = self._status(active, resolution, due_at.date(), in_time)
        return self._deadline(status, due_at.date(), self.start, met_on, due_at)

    def _status(
        self,
        active: Sequence[Event],
        resolution: Event | None,
        due: date,
        in_time: bool,
    ) -> tuple[DeadlineStatus, date | None]:
        """The status and the day the term was met; ``in_time``: ``resolution`` came in time."""
        term, explain = self.term, self.explain
        if term.applies_if and _first(active, term.applies_if) is None:
            if explain:
                self.rules.append(f"applies only if {' or '.join(term.applies_if)} is recorded")
            ended = resolution is not None or self.round.superseded_on is not None
            if ended or self.today > due:
                return DeadlineStatus.NOT_APPLICABLE, None
            return DeadlineStatus.OPEN, None
        if resolution is not None:
            day = resolution.at.date()
            if resolution.action in term.met_by:
                if in_time:
                    return DeadlineStatus.MET, day
                if explain:
                    self.rules.append(f"met late: {resolution.action} on {day}, due {due}")
                return DeadlineStatus.MISSED, day
            if in_time:
                if explain:
                    self.rules.append(f"no longer applies: {resolution.action} on {day}")
                return DeadlineStatus.NOT_APPLICABLE, None
            if explain:
                self.rules.append(f"missed: {resolution.action} on {day} came after the due date")
            return DeadlineStatus.MISSED, None
        superseded = self.round.superseded_on
        if superseded is not None:
            if superseded > due:
                return DeadlineStatus.MISSED, None
            if explain:
                self.rules.append(f"superseded by the reopening on {superseded}")
            return DeadlineStatus.NOT_APPLICABLE, None
        return (DeadlineStatus.MISSED if self.today > due else DeadlineStatus.OPEN), None

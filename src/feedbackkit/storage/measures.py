"""Metrics over the register: the query API, its typed results, and a reference implementation.

``kit.metrics`` is a :class:`Metrics`; every metric takes the same filters
(:class:`Scope`: received from ``start`` up to ``end``, Amsterdam days, and
``kinds`` and ``procedures``) and returns frozen results that hold counts and
sums, so every store answers with exactly the same numbers; means and shares are
derived properties. The SQL store computes them inside the database
(:mod:`feedbackkit.storage.metrics`); :class:`StreamedMetrics` computes them in
Python from any :class:`~feedbackkit.storage.protocol.Store`, streaming its
cases (the in-memory store uses it; it is the reference the SQL answers are
tested against). See ``docs/metrics.md``.
"""

from __future__ import annotations

import copy
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any, Self, TypeVar, cast

import attrs

from feedbackkit.clock import AMSTERDAM, Clock
from feedbackkit.errors import ValidationError
from feedbackkit.models import CaseRecord, Feedback
from feedbackkit.storage.protocol import Query, Store
from feedbackkit.storage.terms import (
    CaseTerm,
    TermStatus,
    TermTracker,
    latest_outcome,
    lead_seconds,
)
from feedbackkit.vocabulary import Channel, Form, Initiative, Kind, LinkType, Origin, Relationship

__all__ = [
    "INFORMAL_CHANNELS",
    "PERCENTILES",
    "ChannelUse",
    "Count",
    "Dimension",
    "LeadTime",
    "LeadTimeBy",
    "Learning",
    "Metrics",
    "Period",
    "RelationshipCount",
    "Repeats",
    "Resolution",
    "Satisfaction",
    "Scope",
    "Shares",
    "StreamedMetrics",
    "TermCompliance",
    "compliance_bucket",
    "midnight",
    "nearest_rank",
]

INFORMAL_CHANNELS = frozenset(
    {Channel.PHONE, Channel.COUNTER, Channel.IN_PERSON, Channel.NEIGHBOURHOOD_TEAM, Channel.SOCIAL}
)
"""Channels through which feedback arrives informally, as a conversation or a post."""

PERCENTILES = (50, 90, 95)
"""The lead-time percentiles reported (nearest rank)."""


def midnight(day: date) -> datetime:
    """The start of ``day`` in Amsterdam."""
    return datetime.combine(day, time(), AMSTERDAM)


def nearest_rank(count: int, percent: int) -> int:
    """The 1-based rank of the ``percent``-th percentile of ``count`` sorted values."""
    return (count * percent + 99) // 100


# -- filters -------------------------------------------------------------------------


class Period(StrEnum):
    """Calendar periods (Amsterdam time) that metrics are grouped by: labels ``2025-03``,
    ``2025-Q1``, ``2025``."""

    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"

    def first_day(self, day: date) -> date:
        """The first day of the period holding ``day``."""
        if self is Period.YEAR:
            return date(day.year, 1, 1)
        if self is Period.QUARTER:
            return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
        return date(day.year, day.month, 1)

    def following(self, first: date) -> date:
        """The first day of the next period after the one starting on ``first``."""
        months = {Period.MONTH: 1, Period.QUARTER: 3, Period.YEAR: 12}[self]
        index = first.year * 12 + first.month - 1 + months
        return date(index // 12, index % 12 + 1, 1)

    def label(self, day: date) -> str:
        if self is Period.YEAR:
            return f"{day.year}"
        if self is Period.QUARTER:
            return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
        return f"{day.year}-{day.month:02d}"

    def of(self, moment: datetime) -> str:
        """The label of the period in which ``moment`` lies (in Amsterdam)."""
        return self.label(moment.astimezone(AMSTERDAM).date())

    def bounds(self, first: datetime, last: datetime) -> list[tuple[str, datetime]]:
        """``(label, end)`` of every period from ``first`` to ``last``; ``end`` exclusive."""
        day = self.first_day(first.astimezone(AMSTERDAM).date())
        stop = last.astimezone(AMSTERDAM).date()
        found = []
        while day <= stop:
            following = self.following(day)
            found.append((self.label(day), midnight(following)))
            day = following
        return found


class Dimension(StrEnum):
    """What received feedback is counted by: columns of the register."""

    KIND = "kind"
    CHANNEL = "channel"
    INITIATIVE = "initiative"
    ORIGIN = "origin"
    FORM = "form"


class LeadTimeBy(StrEnum):
    """What lead times are grouped by."""

    KIND = "kind"
    PROCEDURE = "procedure"


_E = TypeVar("_E", bound=StrEnum)
_R = TypeVar("_R")


def _choice(kind: type[_E], value: _E | str, field: str) -> _E:
    """``value`` as a member of ``kind``; :class:`ValidationError` naming ``field`` if unknown."""
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(m.value for m in kind)
        raise ValidationError(field, f"unknown value {value!r}; allowed: {allowed}") from None


def _kinds(values: Iterable[Kind | str]) -> tuple[Kind, ...]:
    if isinstance(values, str):
        raise ValidationError("kinds", "must be a list of kinds, not one string")
    return tuple(sorted({_choice(Kind, v, "kinds") for v in values}))


def _names(values: Iterable[str]) -> tuple[str, ...]:
    if isinstance(values, str):
        raise ValidationError("procedures", "must be a list of procedure names, not one string")
    return tuple(sorted(set(values)))


@attrs.frozen
class Scope:
    """Which cases a metric covers: received from ``start`` (inclusive) to ``end``
    (exclusive), Amsterdam days, of the given ``kinds`` and ``procedures`` (empty: all)."""

    start: date | None = None
    end: date | None = None
    kinds: tuple[Kind, ...] = attrs.field(default=(), converter=_kinds)
    procedures: tuple[str, ...] = attrs.field(default=(), converter=_names)

    def __attrs_post_init__(self) -> None:
        for name in ("start", "end"):
            if isinstance(getattr(self, name), datetime):
                raise ValidationError(name, "must be a date, not a date and time")
        if self.start is not None and self.end is not None and self.end <= self.start:
            raise ValidationError("end", f"must lie after start: {self.start} to {self.end}")

    @property
    def received_from(self) -> datetime | None:
        return None if self.start is None else midnight(self.start)

    @property
    def received_until(self) -> datetime | None:
        return None if self.end is None else midnight(self.end)

    def query(self) -> Query:
        """The store query for the cases in scope."""
        return Query(
            kinds=self.kinds,
            procedures=self.procedures,
            received_from=self.received_from,
            received_until=self.received_until,
        )


# -- results -------------------------------------------------------------------------


def _share(part: int, whole: int) -> float | None:
    return None if whole == 0 else part / whole


@attrs.frozen
class Count:
    """Cases received, per ``key`` (a value of the dimension) and ``period`` where asked."""

    key: str | None
    period: str | None
    cases: int


def _uuid(value: uuid.UUID | str) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(value)


@attrs.frozen
class ChannelUse:
    """A channel in use: its cases and the first case received through it."""

    channel: Channel = attrs.field(converter=Channel)
    cases: int
    example: uuid.UUID = attrs.field(converter=_uuid)


@attrs.frozen
class Shares:
    """How cases came in: informally (oral, or through an informal channel), orally,
    from staff (internal), asked for by the organisation (proactive)."""

    cases: int
    informal: int
    oral: int
    internal: int
    proactive: int

    def share(self, part: str) -> float | None:
        """``part`` (``informal``, ``oral``, ``internal``, ``proactive``) of all cases."""
        return _share(getattr(self, part), self.cases)


@attrs.frozen
class TermCompliance:
    """How one term fared (first rounds only; reopened handling is not counted here).

    ``met``: in time; ``late``: met after the due date; ``missed``: ended unmet after
    it; ``overdue``: still open after it; ``open``: still running in time.
    """

    procedure: str
    term: str
    statutory: bool
    met: int = 0
    late: int = 0
    missed: int = 0
    overdue: int = 0
    open: int = 0

    @property
    def due(self) -> int:
        """Terms whose due date has passed or that were settled."""
        return self.met + self.late + self.missed + self.overdue

    @property
    def in_time(self) -> float | None:
        """The share met in time among :attr:`due` (``None`` when nothing is due yet)."""
        return _share(self.met, self.due)


@attrs.frozen
class LeadTime:
    """Time from receipt to done of the finished cases of one kind or procedure."""

    key: str
    cases: int
    p50: timedelta
    p90: timedelta
    p95: timedelta


@attrs.frozen
class RelationshipCount:
    """The relationship outcomes of the cases received (in ``period``): each case's latest."""

    period: str | None
    stronger: int = 0
    unchanged: int = 0
    weaker: int = 0

    @property
    def responses(self) -> int:
        return self.stronger + self.unchanged + self.weaker

    def share(self, relationship: Relationship | str) -> float | None:
        return _share(getattr(self, Relationship(relationship).value), self.responses)


@attrs.frozen
class Satisfaction:
    """Answers after handling (each case's latest outcome), as counts and sums."""

    responses: int = 0
    handling_answers: int = 0
    handling_total: int = 0
    """Sum of the 1-5 scores for the handling."""
    solution_answers: int = 0
    solution_total: int = 0
    fair_answers: int = 0
    fair_yes: int = 0
    recommend_answers: int = 0
    promoters: int = 0
    """Would recommend: 9 or 10."""
    detractors: int = 0
    """Would recommend: 0 to 6."""
    exceeded_answers: int = 0
    exceeded_yes: int = 0

    @property
    def handling(self) -> float | None:
        """The mean satisfaction with the handling (1-5)."""
        return _share(self.handling_total, self.handling_answers)

    @property
    def solution(self) -> float | None:
        return _share(self.solution_total, self.solution_answers)

    @property
    def fairly_treated(self) -> float | None:
        return _share(self.fair_yes, self.fair_answers)

    @property
    def expectations_exceeded(self) -> float | None:
        return _share(self.exceeded_yes, self.exceeded_answers)

    @property
    def nps(self) -> float | None:
        """Net promoter score, -100..100."""
        if self.recommend_answers == 0:
            return None
        return 100 * (self.promoters - self.detractors) / self.recommend_answers


@attrs.frozen
class Repeats:
    """Cases reporting a problem again (``repeat_of``) and repeats that became a
    complaint (``escalated_from``: a melding not fixed in time)."""

    cases: int
    repeats: int
    escalated: int

    @property
    def rate(self) -> float | None:
        return _share(self.repeats, self.cases)


@attrs.frozen
class Resolution:
    """How often ``action`` met ``term`` (first rounds): e.g. ``awb_complaint`` /
    ``handling`` / ``resolve_informally`` against ``send_findings``."""

    procedure: str
    term: str
    action: str
    cases: int


@attrs.frozen
class Learning:
    """The learning loop: golden complaints flagged among the cases in scope, and the
    improvement actions created in the period, completed, and completed and reported
    back to the customers (a "you said, we did" notice)."""

    cases: int
    golden: int
    actions: int
    done: int
    reported: int


# -- the query API ---------------------------------------------------------------------


_Kinds = Iterable[Kind | str]


def _period(per: Period | str | None) -> Period | None:
    return None if per is None else _choice(Period, per, "per")


class Metrics:
    """The metrics of one store. Every method takes the filters of :class:`Scope`."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self._memo: dict[tuple[Any, ...], Any] | None = None
        self._whole: tuple[date, date] | None = None

    def remembering(self) -> Self:
        """These metrics, answering each distinct question once (for a batch of questions
        over data that does not change meanwhile, such as an audit's indicators); a
        period holding every case is asked as no period at all (the cheaper question)."""
        found = copy.copy(self)
        found._memo = {}
        found._whole = self.span()
        return found

    def _scope(
        self, start: date | None, end: date | None, kinds: _Kinds, procedures: Iterable[str]
    ) -> Scope:
        scope = Scope(start, end, kinds, procedures)
        span = self._whole
        if (
            span is not None
            and start is not None
            and end is not None
            and start <= span[0]
            and end > span[1]
        ):
            return attrs.evolve(scope, start=None, end=None)
        return scope

    def _ask(self, method: Callable[..., _R], *args: Any) -> _R:
        if self._memo is None:
            return method(*args)
        key = (method.__name__, *args)
        if key not in self._memo:
            self._memo[key] = method(*args)
        return cast(_R, self._memo[key])

    def _today(self) -> date:
        return self.clock.now().astimezone(AMSTERDAM).date()

    def received(
        self,
        by: Dimension | str | None = None,
        *,
        per: Period | str | None = None,
        start: date | None = None,
        end: date | None = None,
        kinds: _Kinds = (),
        procedures: Iterable[str] = (),
    ) -> tuple[Count, ...]:
        """Cases received, by a :class:`Dimension` and/or per :class:`Period`; sorted."""
        scope = self._scope(start, end, kinds, procedures)
        dimension = None if by is None else _choice(Dimension, by, "by")
        return self._ask(self._received, scope, dimension, _period(per))

    def channels(
        self,
        *,
        start: date | None = None,
        end: date | None = None,
        kinds: _Kinds = (),
        procedures: Iterable[str] = (),
    ) -> tuple[ChannelUse, ...]:
        """The channels cases came in through, with a count and an example each."""
        return self._ask(self._channels, self._scope(start, end, kinds, procedures))

    def shares(
        self,
        *,
        start: date | None = None,
        end: date | None = None,
        kinds: _Kinds = (),
        procedures: Iterable[str] = (),
    ) -> Shares:
        """Informal, oral, internal and proactive cases among all received."""
        return self._ask(self._shares, self._scope(start, end, kinds, procedures))

    def compliance(
        self,
        *,
        as_of: date | None = None,
        start: date | None = None,
        end: date | None = None,
        kinds: _Kinds = (),
        procedures: Iterable[str] = (),
    ) -> tuple[TermCompliance, ...]:
        """Per procedure and term: met in time, late, missed, overdue and open ``as_of``
        (default: today) among the cases in scope; sorted by procedure and term."""
        scope = self._scope(start, end, kinds, procedures)
        return self._ask(self._compliance, scope, as_of or self._today())

    def lead_times(
        self,
        by: LeadTimeBy | str = LeadTimeBy.KIND,
        *,
        start: date | None = None,
        end: date | None = None,
        kinds: _Kinds = (),
        procedures: Iterable[str] = (),
    ) -> tuple[LeadTime, ...]:
        """p50, p90 and p95 of receipt-to-done of finished cases, per kind or procedure."""
        return self._ask(
            self._lead_times,
            self._scope(start, end, kinds, procedures),
            _choice(LeadTimeBy, by, "by"),
        )

    def relationship(
        self,
        *,
        per: Period | str | None = None,
        start: date | None = None,
        end: date | None = None,
        kinds: _Kinds = (),
        procedures: Iterable[str] = (),
    ) -> tuple[RelationshipCount, ...]:
        """Relationship outcomes of the cases in scope, in total or per period of receipt."""
        scope = self._scope(start, end, kinds, procedures)
        return self._ask(self._relationship, scope, _period(per))

    def satisfaction(
        self,
        *,
        start: date | None = None,
        end: date | None = None,
        kinds: _Kinds = (),
        procedures: Iterable[str] = (),
    ) -> Satisfaction:
        """Satisfaction with handling and solution, fair treatment, recommendation."""
        return self._ask(self._satisfaction, self._scope(start, end, kinds, procedures))

    def repeats(
        self,
        *,
        start: date | None = None,
        end: date | None = None,
        kinds: _Kinds = (),
        procedures: Iterable[str] = (),
    ) -> Repeats:
        """Repeat reports and repeats that became complaints."""
        return self._ask(self._repeats, self._scope(start, end, kinds, procedures))

    def resolutions(
        self,
        *,
        start: date | None = None,
        end: date | None = None,
        kinds: _Kinds = (),
        procedures: Iterable[str] = (),
    ) -> tuple[Resolution, ...]:
        """Which actions met which terms (informal resolution against formal findings)."""
        return self._ask(self._resolutions, self._scope(start, end, kinds, procedures))

    def span(
        self, *, kinds: _Kinds = (), procedures: Iterable[str] = ()
    ) -> tuple[date, date] | None:
        """The Amsterdam days the first and the last case were received (``None``: none)."""
        found = self._span(Scope(kinds=kinds, procedures=procedures))
        if found is None:
            return None
        first, last = found
        return first.astimezone(AMSTERDAM).date(), last.astimezone(AMSTERDAM).date()

    def learning(
        self,
        *,
        start: date | None = None,
        end: date | None = None,
        kinds: _Kinds = (),
        procedures: Iterable[str] = (),
    ) -> Learning:
        """Golden complaints flagged; improvement actions created, done, reported back."""
        return self._ask(self._learning, self._scope(start, end, kinds, procedures))

    # -- the port: what an implementation provides ------------------------------------

    def _span(self, scope: Scope) -> tuple[datetime, datetime] | None:
        raise NotImplementedError

    def _received(
        self, scope: Scope, by: Dimension | None, per: Period | None
    ) -> tuple[Count, ...]:
        raise NotImplementedError

    def _channels(self, scope: Scope) -> tuple[ChannelUse, ...]:
        raise NotImplementedError

    def _shares(self, scope: Scope) -> Shares:
        raise NotImplementedError

    def _compliance(self, scope: Scope, as_of: date) -> tuple[TermCompliance, ...]:
        raise NotImplementedError

    def _lead_times(self, scope: Scope, by: LeadTimeBy) -> tuple[LeadTime, ...]:
        raise NotImplementedError

    def _relationship(self, scope: Scope, per: Period | None) -> tuple[RelationshipCount, ...]:
        raise NotImplementedError

    def _satisfaction(self, scope: Scope) -> Satisfaction:
        raise NotImplementedError

    def _repeats(self, scope: Scope) -> Repeats:
        raise NotImplementedError

    def _resolutions(self, scope: Scope) -> tuple[Resolution, ...]:
        raise NotImplementedError

    def _learning(self, scope: Scope) -> Learning:
        raise NotImplementedError


def compliance_bucket(status: TermStatus, due: date | None, as_of: date) -> str | None:
    """The :class:`TermCompliance` field a stored term counts in ``as_of``, if any."""
    if status in (TermStatus.MET, TermStatus.LATE, TermStatus.MISSED):
        return status.value
    if status is TermStatus.SUSPENDED:
        return "open"
    if due is None:
        return None
    if status is TermStatus.OPEN:
        return "overdue" if due < as_of else "open"
    if status is TermStatus.CONDITIONAL and due >= as_of:
        return "open"
    return None


def _is_informal(feedback: Feedback) -> bool:
    return feedback.form is Form.ORAL or feedback.channel in INFORMAL_CHANNELS


class StreamedMetrics(Metrics):
    """The metrics computed in Python, streaming the cases of any store once per metric.

    Deadlines are computed with ``terms`` as the SQL store stores them; without a
    tracker there are none.
    """

    def __init__(self, store: Store, terms: TermTracker | None, clock: Clock) -> None:
        super().__init__(clock)
        self.store = store
        self.terms = terms

    def _records(self, scope: Scope) -> Iterator[CaseRecord]:
        return self.store.records(scope.query())

    def _span(self, scope: Scope) -> tuple[datetime, datetime] | None:
        moments = [r.feedback.received_at for r in self._records(scope)]
        return (moments[0], moments[-1]) if moments else None

    def _received(
        self, scope: Scope, by: Dimension | None, per: Period | None
    ) -> tuple[Count, ...]:
        counts: Counter[tuple[str | None, str | None]] = Counter()
        for record in self._records(scope):
            feedback = record.feedback
            key = None if by is None else str(getattr(feedback, by.value))
            counts[(key, None if per is None else per.of(feedback.received_at))] += 1
        ordered = sorted(counts.items(), key=lambda kv: (kv[0][1] or "", kv[0][0] or ""))
        return tuple(Count(key, period, n) for (key, period), n in ordered)

    def _channels(self, scope: Scope) -> tuple[ChannelUse, ...]:
        counts: Counter[Channel] = Counter()
        first: dict[Channel, uuid.UUID] = {}
        for record in self._records(scope):  # by receipt, then id
            channel = record.feedback.channel
            counts[channel] += 1
            first.setdefault(channel, record.feedback.id)
        return tuple(ChannelUse(c, counts[c], first[c]) for c in sorted(counts))

    def _shares(self, scope: Scope) -> Shares:
        values = Counter[str]()
        for record in self._records(scope):
            f = record.feedback
            values["cases"] += 1
            values["informal"] += _is_informal(f)
            values["oral"] += f.form is Form.ORAL
            values["internal"] += f.origin is Origin.INTERNAL
            values["proactive"] += f.initiative is Initiative.PROACTIVE
        return Shares(
            **{k: values[k] for k in ("cases", "informal", "oral", "internal", "proactive")}
        )

    def _terms(self, scope: Scope) -> Iterator[CaseTerm]:
        if self.terms is None:
            return
        for record in self._records(scope):
            procedure = self.store.case_state(record.feedback.id).procedure
            yield from self.terms(record.feedback, record.events, procedure)

    def _compliance(self, scope: Scope, as_of: date) -> tuple[TermCompliance, ...]:
        counts: defaultdict[tuple[str, str, bool], Counter[str]] = defaultdict(Counter)
        for term in self._terms(scope):
            if term.round != 1:
                continue
            bucket = compliance_bucket(term.status, term.due, as_of)
            group = counts[(term.procedure, term.term, term.statutory)]
            if bucket is not None:
                group[bucket] += 1
        return tuple(
            TermCompliance(procedure, term, statutory, **found)
            for (procedure, term, statutory), found in sorted(counts.items())
        )

    def _lead_times(self, scope: Scope, by: LeadTimeBy) -> tuple[LeadTime, ...]:
        seconds: defaultdict[str, list[int]] = defaultdict(list)
        for record in self._records(scope):
            state = self.store.case_state(record.feedback.id)
            if state.done_at is None:
                continue
            key = record.feedback.kind.value if by is LeadTimeBy.KIND else state.procedure
            seconds[key].append(lead_seconds(record.feedback.received_at, state.done_at))
        found = []
        for key, values in sorted(seconds.items()):
            values.sort()
            n = len(values)
            p50, p90, p95 = (timedelta(seconds=values[nearest_rank(n, p) - 1]) for p in PERCENTILES)
            found.append(LeadTime(key, n, p50, p90, p95))
        return tuple(found)

    def _relationship(self, scope: Scope, per: Period | None) -> tuple[RelationshipCount, ...]:
        counts: defaultdict[str | None, Counter[str]] = defaultdict(Counter)
        for record in self._records(scope):
            latest = latest_outcome(record.outcomes)
            if latest is not None:
                period = None if per is None else per.of(record.feedback.received_at)
                counts[period][latest.relationship.value] += 1
        return tuple(
            RelationshipCount(period, **found)
            for period, found in sorted(counts.items(), key=lambda kv: kv[0] or "")
        )

    def _satisfaction(self, scope: Scope) -> Satisfaction:
        values = Counter[str]()
        for record in self._records(scope):
            o = latest_outcome(record.outcomes)
            if o is None:
                continue
            values["responses"] += 1
            for name, score in (
                ("handling", o.satisfaction_handling),
                ("solution", o.satisfaction_solution),
            ):
                if score is not None:
                    values[f"{name}_answers"] += 1
                    values[f"{name}_total"] += score
            for name, answer in (("fair", o.fairly_treated), ("exceeded", o.expectations_exceeded)):
                if answer is not None:
                    values[f"{name}_answers"] += 1
                    values[f"{name}_yes"] += answer
            if o.would_recommend is not None:
                values["recommend_answers"] += 1
                values["promoters"] += o.would_recommend >= 9
                values["detractors"] += o.would_recommend <= 6
        return Satisfaction(**values)

    def _repeats(self, scope: Scope) -> Repeats:
        values = Counter[str]()
        for record in self._records(scope):
            types = {link.type for link in record.feedback.links}
            values["cases"] += 1
            values["repeats"] += LinkType.REPEAT_OF in types
            values["escalated"] += LinkType.ESCALATED_FROM in types
        return Repeats(values["cases"], values["repeats"], values["escalated"])

    def _resolutions(self, scope: Scope) -> tuple[Resolution, ...]:
        counts: Counter[tuple[str, str, str]] = Counter()
        for term in self._terms(scope):
            if term.round == 1 and term.action is not None:
                counts[(term.procedure, term.term, term.action)] += 1
        return tuple(Resolution(*key, n) for key, n in sorted(counts.items()))

    def _learning(self, scope: Scope) -> Learning:
        in_scope = {record.feedback.id for record in self._records(scope)}
        golden = sum(flag.case_id in in_scope for flag in self.store.golden_flags())
        since, until = scope.received_from, scope.received_until
        actions = [
            a
            for a in self.store.actions()
            if (since is None or a.created_at >= since) and (until is None or a.created_at < until)
        ]
        done = [a for a in actions if a.status.value == "done"]
        reported = sum(bool(a.notices) for a in done)
        return Learning(len(in_scope), golden, len(actions), len(done), reported)

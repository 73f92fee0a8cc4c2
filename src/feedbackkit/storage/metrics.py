"""Metrics computed inside the database: SQLAlchemy Core, the same SQL on SQLite and PostgreSQL
(but for one planner hint).

:class:`SqlMetrics` answers every metric of :class:`~feedbackkit.storage.measures.Metrics`
with aggregate queries; only the (small) results reach Python. They read the narrow
per-case ``case_facts`` (not the wide ``feedback``, ``cases`` and ``outcomes`` tables:
it also keeps each case's latest outcome) and, for deadline compliance, the stored
``case_terms`` (:mod:`feedbackkit.storage.terms`).

SQLite has no hash aggregation: a ``GROUP BY`` sorts unless it follows an index. So
counts group by a prefix of a covering index, in its order, and fold the (few
hundred) groups in Python: cases by :data:`CUBE` (kind, Amsterdam month of receipt,
channel, form, origin, initiative), terms by procedure, term, status and due date,
each folded into its buckets as :func:`~feedbackkit.storage.measures.compliance_bucket`
says. Quarters and years are folded from months; percentiles are nearest-rank,
read from an index. :func:`metrics_for` picks the implementation for a store.
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from feedbackkit.clock import Clock
from feedbackkit.storage import schema
from feedbackkit.storage.measures import (
    INFORMAL_CHANNELS,
    PERCENTILES,
    ChannelUse,
    Count,
    Dimension,
    LeadTime,
    LeadTimeBy,
    Learning,
    Metrics,
    Period,
    RelationshipCount,
    Repeats,
    Resolution,
    Satisfaction,
    Scope,
    Shares,
    StreamedMetrics,
    TermCompliance,
    compliance_bucket,
    midnight,
    nearest_rank,
)
from feedbackkit.storage.protocol import Store
from feedbackkit.storage.sql import SqlStore
from feedbackkit.storage.terms import TermStatus, TermTracker, month_number
from feedbackkit.vocabulary import Form, Initiative, LinkType, Origin

__all__ = ["SqlMetrics", "metrics_for"]

Select = sa.Select[*tuple[Any, ...]]
"""A SELECT of any columns."""

F = schema.case_facts
T = schema.case_terms


CUBE = ("kind", "month", "channel", "form", "origin", "initiative")
"""What cases are counted by, in the order of the covering index on ``case_facts``."""


def _label(per: Period, month: int) -> str:
    """The label of the period holding the month ``yyyymm``."""
    return per.label(date(month // 100, month % 100, 1))


def _count_if(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
    return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)


def metrics_for(store: Store, terms: TermTracker | None, clock: Clock) -> Metrics:
    """In-database metrics for a SQL store; for any other store, metrics streamed in Python."""
    if isinstance(store, SqlStore):
        return SqlMetrics(store.engine, clock)
    return StreamedMetrics(store, terms, clock)


class SqlMetrics(Metrics):
    """The metrics of the database behind ``engine``, each one query (or a few)."""

    def __init__(self, engine: sa.Engine, clock: Clock) -> None:
        super().__init__(clock)
        self.engine = engine

    def _all(self, stmt: Select) -> list[tuple[Any, ...]]:
        with self.engine.connect() as conn:
            return [tuple(row) for row in conn.execute(stmt)]

    def _one(self, stmt: Select) -> tuple[Any, ...]:
        with self.engine.connect() as conn:
            return tuple(conn.execute(stmt).one())

    # -- scope and periods ------------------------------------------------------------

    @staticmethod
    def _where(stmt: Select, scope: Scope) -> Select:
        """``stmt`` (selecting from ``case_facts``) narrowed to ``scope``. Days bound
        ``month`` (so the indexes holding it can be sought), and ``received_at`` too
        unless the day is the first of a month (then ``month`` alone says it all)."""
        if scope.start is not None:
            stmt = stmt.where(F.c.month >= month_number(midnight(scope.start)))
            if scope.start.day != 1:
                stmt = stmt.where(F.c.received_at >= scope.received_from)
        if scope.end is not None:
            stmt = stmt.where(F.c.month <= month_number(midnight(scope.end - timedelta(days=1))))
            if scope.end.day != 1:
                stmt = stmt.where(F.c.received_at < scope.received_until)
        if scope.kinds:
            stmt = stmt.where(F.c.kind.in_([k.value for k in scope.kinds]))
        if scope.procedures:
            stmt = stmt.where(F.c.procedure.in_(scope.procedures))
        return stmt

    def _cube(self, scope: Scope, needed: Iterable[str]) -> list[tuple[dict[str, Any], int]]:
        """Cases in scope counted per value of the shortest prefix of :data:`CUBE` that
        holds ``needed``: grouped in index order, so nothing is sorted."""
        depth = max((CUBE.index(name) + 1 for name in needed), default=0)
        keys = [F.c[name] for name in CUBE[:depth]]
        stmt = self._where(sa.select(*keys, sa.func.count()).select_from(F), scope)
        rows = self._all(stmt.group_by(*keys) if keys else stmt)
        return [(dict(zip(CUBE, row[:-1], strict=False)), row[-1]) for row in rows if row[-1]]

    # -- metrics ------------------------------------------------------------------------

    def _span(self, scope: Scope) -> tuple[datetime, datetime] | None:
        # of every case: read from the index on feedback.received_at (case_facts has none)
        at = F.c.received_at if scope != Scope() else schema.feedback.c.received_at
        first, last = self._one(self._where(sa.select(sa.func.min(at), sa.func.max(at)), scope))
        return None if first is None else (first, last)

    def _received(
        self, scope: Scope, by: Dimension | None, per: Period | None
    ) -> tuple[Count, ...]:
        needed = [by.value] if by is not None else []
        counts: Counter[tuple[str | None, str | None]] = Counter()
        for values, n in self._cube(scope, [*needed, "month"] if per is not None else needed):
            key = None if by is None else values[by.value]
            counts[key, None if per is None else _label(per, values["month"])] += n
        found = (Count(key, period, n) for (key, period), n in counts.items())
        return tuple(sorted(found, key=lambda c: (c.period or "", c.key or "")))

    def _channels(self, scope: Scope) -> tuple[ChannelUse, ...]:
        counts: Counter[str] = Counter()
        for values, n in self._cube(scope, ["channel"]):
            counts[values["channel"]] += n
        feedback = schema.feedback
        first = sa.select(F.c.case_id).select_from(F.join(feedback, feedback.c.id == F.c.case_id))
        found = []
        for channel, n in sorted(counts.items()):
            # the first case: an index seek on feedback (channel, received_at), lowest id
            example = self._one(
                self._where(first, scope)
                .where(feedback.c.channel == channel)
                .order_by(feedback.c.received_at, feedback.c.id)
                .limit(1)
            )[0]
            found.append(ChannelUse(channel, n, uuid.UUID(str(example))))
        return tuple(found)

    def _shares(self, scope: Scope) -> Shares:
        informal = {c.value for c in INFORMAL_CHANNELS}
        values = Counter[str]()
        for found, n in self._cube(scope, ["channel", "form", "origin", "initiative"]):
            oral = found["form"] == Form.ORAL.value
            values["cases"] += n
            values["informal"] += n * (oral or found["channel"] in informal)
            values["oral"] += n * oral
            values["internal"] += n * (found["origin"] == Origin.INTERNAL.value)
            values["proactive"] += n * (found["initiative"] == Initiative.PROACTIVE.value)
        return Shares(
            **{k: values[k] for k in ("cases", "informal", "oral", "internal", "proactive")}
        )

    def _terms(self, scope: Scope, *columns: sa.ColumnElement[Any]) -> Select:
        """``columns`` over the first rounds of the stored terms of the cases in scope."""
        if scope == Scope():
            return sa.select(*columns).select_from(T).where(T.c.round == 1)
        # SQLite: ``round + 0`` is not an index term, so the planner starts from the cases
        # in scope and finds their terms by primary key, instead of probing every term's
        # case. PostgreSQL misjudges how many rows ``round + 0 = 1`` keeps (measured 2.5
        # times slower at 1M cases), so it gets the plain condition.
        first = T.c.round if self.engine.dialect.name == "postgresql" else T.c.round + 0
        stmt = sa.select(*columns).select_from(F.join(T, T.c.case_id == F.c.case_id))
        return self._where(stmt.where(first == 1), scope)

    def _compliance(self, scope: Scope, as_of: date) -> tuple[TermCompliance, ...]:
        keys = (T.c.procedure, T.c.term, T.c.statutory, T.c.status, T.c.due)
        rows = self._all(self._terms(scope, *keys, sa.func.count()).group_by(*keys))
        counts: defaultdict[tuple[str, str, bool], Counter[str]] = defaultdict(Counter)
        for procedure, term, statutory, status, due, n in rows:
            group = counts[procedure, term, bool(statutory)]
            bucket = compliance_bucket(TermStatus(status), due, as_of)
            if bucket is not None:
                group[bucket] += n
        return tuple(
            TermCompliance(procedure, term, statutory, **found)
            for (procedure, term, statutory), found in sorted(counts.items())
        )

    def _lead_times(self, scope: Scope, by: LeadTimeBy) -> tuple[LeadTime, ...]:
        """Per key: the count, then each percentile as the value at its rank, read from
        the index on ``(key, lead_seconds)`` (``ORDER BY ... LIMIT 1 OFFSET rank - 1``)."""
        key = F.c[by.value]
        done = self._where(sa.select().select_from(F), scope).where(F.c.lead_seconds.is_not(None))
        found = []
        for value, n in sorted(self._all(done.add_columns(key, sa.func.count()).group_by(key))):
            ordered = done.add_columns(F.c.lead_seconds).where(key == value)
            ordered = ordered.order_by(F.c.lead_seconds)
            picks = [
                self._one(ordered.offset(nearest_rank(n, p) - 1).limit(1))[0] for p in PERCENTILES
            ]
            found.append(LeadTime(value, n, *(timedelta(seconds=int(v)) for v in picks)))
        return tuple(found)

    def _outcomes(self, scope: Scope, *columns: sa.ColumnElement[Any]) -> Select:
        """``columns`` over the in-scope cases that have an outcome: their latest outcome's
        answers, kept in ``case_facts`` on write, read from its partial covering index."""
        stmt = sa.select(*columns).select_from(F).where(F.c.relationship.is_not(None))
        return self._where(stmt, scope)

    def _relationship(self, scope: Scope, per: Period | None) -> tuple[RelationshipCount, ...]:
        # grouped in the order of the index (relationship, month, ...), then folded
        keys = [F.c.relationship, *([F.c.month] if per is not None else [])]
        rows = self._all(self._outcomes(scope, *keys, sa.func.count()).group_by(*keys))
        counts: defaultdict[str | None, Counter[str]] = defaultdict(Counter)
        for relationship, *month, n in rows:
            counts[None if per is None else _label(per, month[0])][relationship] += n
        return tuple(
            RelationshipCount(period, **found)
            for period, found in sorted(counts.items(), key=lambda kv: kv[0] or "")
        )

    def _satisfaction(self, scope: Scope) -> Satisfaction:
        def answered(column: sa.ColumnElement[Any]) -> sa.ColumnElement[int]:
            return sa.func.count(column)

        def total(column: sa.ColumnElement[Any]) -> sa.ColumnElement[int]:
            return sa.func.coalesce(sa.func.sum(column), 0)

        c = F.c
        row = self._one(
            self._outcomes(
                scope,
                sa.func.count(),
                answered(c.satisfaction_handling),
                total(c.satisfaction_handling),
                answered(c.satisfaction_solution),
                total(c.satisfaction_solution),
                answered(c.fairly_treated),
                _count_if(c.fairly_treated.is_(True)),
                answered(c.would_recommend),
                _count_if(c.would_recommend >= 9),
                _count_if(c.would_recommend <= 6),
                answered(c.expectations_exceeded),
                _count_if(c.expectations_exceeded.is_(True)),
            )
        )
        return Satisfaction(*row)

    def _count(self, scope: Scope) -> int:
        return int(self._one(self._where(sa.select(sa.func.count()).select_from(F), scope))[0])

    def _repeats(self, scope: Scope) -> Repeats:
        links = schema.feedback_links
        types = (LinkType.REPEAT_OF.value, LinkType.ESCALATED_FROM.value)
        rows = self._all(
            self._where(
                sa.select(links.c.type, sa.func.count(sa.distinct(links.c.case_id)))
                .select_from(links.join(F, F.c.case_id == links.c.case_id))
                .where(links.c.type.in_(types)),
                scope,
            ).group_by(links.c.type)
        )
        found = dict(rows)
        return Repeats(self._count(scope), found.get(types[0], 0), found.get(types[1], 0))

    def _resolutions(self, scope: Scope) -> tuple[Resolution, ...]:
        # grouped in the order of the index on case_terms (no sort), then folded
        keys = (T.c.procedure, T.c.term, T.c.statutory, T.c.status, T.c.due, T.c.action)
        rows = self._all(
            self._terms(scope, *keys, sa.func.count())
            .where(T.c.action.is_not(None))
            .group_by(*keys)
        )
        counts: Counter[tuple[str, str, str]] = Counter()
        for procedure, term, _statutory, _status, _due, action, n in rows:
            counts[procedure, term, action] += n
        return tuple(Resolution(*key, n) for key, n in sorted(counts.items()))

    def _learning(self, scope: Scope) -> Learning:
        flags, actions = schema.golden_flags, schema.improvement_actions
        notices = schema.improvement_action_notices
        golden = self._one(
            self._where(
                sa.select(sa.func.count()).select_from(
                    flags.join(F, F.c.case_id == flags.c.case_id)
                ),
                scope,
            )
        )[0]
        done = actions.c.status == "done"
        noticed = sa.exists().where(notices.c.action_id == actions.c.id)
        stmt = sa.select(sa.func.count(), _count_if(done), _count_if(sa.and_(done, noticed)))
        if scope.received_from is not None:
            stmt = stmt.where(actions.c.created_at >= scope.received_from)
        if scope.received_until is not None:
            stmt = stmt.where(actions.c.created_at < scope.received_until)
        made, completed, reported = self._one(stmt.select_from(actions))
        return Learning(self._count(scope), golden, made, completed, reported)

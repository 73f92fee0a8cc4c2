"""Metrics computed inside the database: SQLAlchemy Core, the same SQL on SQLite and PostgreSQL.

:class:`SqlMetrics` answers every metric of :class:`~feedbackkit.storage.measures.Metrics`
with aggregate queries; only the (small) results reach Python. They read the narrow
per-case ``case_facts`` (not the wide ``feedback`` and ``cases`` tables) and, for
deadline compliance, the stored ``case_terms`` (:mod:`feedbackkit.storage.terms`).
Periods are Amsterdam calendar periods, found by comparing the receipt instant
with the periods' bounds; percentiles are nearest-rank, read from an index.
:func:`metrics_for` picks the implementation for a store.
"""

from __future__ import annotations

import uuid
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
    nearest_rank,
)
from feedbackkit.storage.protocol import Store
from feedbackkit.storage.sql import SqlStore
from feedbackkit.storage.terms import TermStatus, TermTracker
from feedbackkit.vocabulary import Form, Initiative, LinkType, Origin, Relationship

__all__ = ["SqlMetrics", "metrics_for"]

Select = sa.Select[*tuple[Any, ...]]
"""A SELECT of any columns."""

F = schema.case_facts
T = schema.case_terms
O = schema.outcomes  # noqa: E741


LATEST = sa.select(
    O,
    sa.func.row_number()
    .over(partition_by=O.c.case_id, order_by=(O.c.recorded_at.desc(), O.c.id.desc()))
    .label("rn"),
).subquery("latest")
"""Outcomes ranked per case, the latest first (``rn = 1``)."""
L = LATEST.c


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
        """``stmt`` (selecting from ``case_facts``) narrowed to ``scope``."""
        if scope.received_from is not None:
            stmt = stmt.where(F.c.received_at >= scope.received_from)
        if scope.received_until is not None:
            stmt = stmt.where(F.c.received_at < scope.received_until)
        if scope.kinds:
            stmt = stmt.where(F.c.kind.in_([k.value for k in scope.kinds]))
        if scope.procedures:
            stmt = stmt.where(F.c.procedure.in_(scope.procedures))
        return stmt

    def _period(self, scope: Scope, per: Period) -> sa.ColumnElement[str] | None:
        """The period label of ``feedback.received_at`` (``None``: no case in scope)."""
        span = self._span(scope)
        if span is None:
            return None
        bounds = per.bounds(*span)
        return sa.case(*((F.c.received_at < end, label) for label, end in bounds))

    # -- metrics ------------------------------------------------------------------------

    def _span(self, scope: Scope) -> tuple[datetime, datetime] | None:
        first, last = self._one(
            self._where(
                sa.select(sa.func.min(F.c.received_at), sa.func.max(F.c.received_at)), scope
            )
        )
        return None if first is None else (first, last)

    def _received(
        self, scope: Scope, by: Dimension | None, per: Period | None
    ) -> tuple[Count, ...]:
        none: sa.ColumnElement[Any] = sa.literal(None, sa.String())
        key = none if by is None else F.c[by.value]
        period = none
        if per is not None:
            found_period = self._period(scope, per)
            if found_period is None:
                return ()
            period = found_period
        stmt = self._where(sa.select(key, period, sa.func.count()).select_from(F), scope)
        rows = self._all(stmt.group_by(key, period))
        found = [Count(*row) for row in rows if row[2]]
        return tuple(sorted(found, key=lambda c: (c.period or "", c.key or "")))

    def _channels(self, scope: Scope) -> tuple[ChannelUse, ...]:
        counts = self._all(
            self._where(
                sa.select(F.c.channel, sa.func.count(), sa.func.min(F.c.received_at)).select_from(
                    F
                ),
                scope,
            ).group_by(F.c.channel)
        )
        found = []
        for channel, n, first in sorted(counts):
            # the first case: received at that instant (an index seek on feedback), lowest id
            feedback = schema.feedback
            at_first = sa.select(F.c.case_id).select_from(
                F.join(feedback, feedback.c.id == F.c.case_id)
            )
            example = self._one(
                self._where(at_first, scope)
                .where(feedback.c.channel == channel, feedback.c.received_at == first)
                .order_by(F.c.case_id)
                .limit(1)
            )[0]
            found.append(ChannelUse(channel, n, uuid.UUID(str(example))))
        return tuple(found)

    def _shares(self, scope: Scope) -> Shares:
        oral = F.c.form == Form.ORAL.value
        informal = sa.or_(oral, F.c.channel.in_(sorted(c.value for c in INFORMAL_CHANNELS)))
        row = self._one(
            self._where(
                sa.select(
                    sa.func.count(),
                    _count_if(informal),
                    _count_if(oral),
                    _count_if(F.c.origin == Origin.INTERNAL.value),
                    _count_if(F.c.initiative == Initiative.PROACTIVE.value),
                ).select_from(F),
                scope,
            )
        )
        return Shares(*row)

    def _terms(self, scope: Scope, *columns: sa.ColumnElement[Any]) -> Select:
        """``columns`` over the first rounds of the stored terms of the cases in scope."""
        if scope == Scope():
            return sa.select(*columns).select_from(T).where(T.c.round == 1)
        # ``round + 0``: not an index term, so the planner starts from the cases in scope
        # and finds their terms by primary key, instead of probing every term's case.
        stmt = sa.select(*columns).select_from(F.join(T, T.c.case_id == F.c.case_id))
        return self._where(stmt.where(T.c.round + 0 == 1), scope)

    def _compliance(self, scope: Scope, as_of: date) -> tuple[TermCompliance, ...]:
        status, due = T.c.status, T.c.due

        def is_(value: TermStatus) -> sa.ColumnElement[bool]:
            return status == value.value

        running = sa.or_(is_(TermStatus.OPEN), is_(TermStatus.CONDITIONAL))
        keys = (T.c.procedure, T.c.term, T.c.statutory)
        rows = self._all(
            self._terms(
                scope,
                *keys,
                _count_if(is_(TermStatus.MET)),
                _count_if(is_(TermStatus.LATE)),
                _count_if(is_(TermStatus.MISSED)),
                _count_if(sa.and_(is_(TermStatus.OPEN), due < as_of)),
                _count_if(sa.or_(is_(TermStatus.SUSPENDED), sa.and_(running, due >= as_of))),
            ).group_by(*keys)
        )
        return tuple(TermCompliance(*row) for row in sorted(rows))

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

    def _latest(self, scope: Scope, *columns: sa.ColumnElement[Any]) -> Select:
        """``columns`` (on :data:`LATEST`) over each in-scope case's latest outcome."""
        stmt = sa.select(*columns).select_from(LATEST.join(F, F.c.case_id == LATEST.c.case_id))
        return self._where(stmt.where(LATEST.c.rn == 1), scope)

    def _relationship(self, scope: Scope, per: Period | None) -> tuple[RelationshipCount, ...]:
        period: sa.ColumnElement[Any] = sa.literal(None, sa.String())
        if per is not None:
            found = self._period(scope, per)
            if found is None:
                return ()
            period = found
        counts = [_count_if(L.relationship == value.value) for value in Relationship]
        rows = self._all(self._latest(scope, period.label("period"), *counts).group_by(period))
        return tuple(
            RelationshipCount(row[0], *row[1:]) for row in sorted(rows, key=lambda r: r[0] or "")
        )

    def _satisfaction(self, scope: Scope) -> Satisfaction:
        def answered(column: sa.ColumnElement[Any]) -> sa.ColumnElement[int]:
            return sa.func.count(column)

        def total(column: sa.ColumnElement[Any]) -> sa.ColumnElement[int]:
            return sa.func.coalesce(sa.func.sum(column), 0)

        recommend = L.would_recommend
        row = self._one(
            self._latest(
                scope,
                sa.func.count(),
                answered(L.satisfaction_handling),
                total(L.satisfaction_handling),
                answered(L.satisfaction_solution),
                total(L.satisfaction_solution),
                answered(L.fairly_treated),
                _count_if(L.fairly_treated.is_(True)),
                answered(recommend),
                _count_if(recommend >= 9),
                _count_if(recommend <= 6),
                answered(L.expectations_exceeded),
                _count_if(L.expectations_exceeded.is_(True)),
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
        keys = (T.c.procedure, T.c.term, T.c.action)
        rows = self._all(
            self._terms(scope, *keys, sa.func.count())
            .where(T.c.action.is_not(None))
            .group_by(*keys)
        )
        return tuple(Resolution(*row) for row in sorted(rows))

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

"""The SQL schema as SQLAlchemy Core tables, dialect-neutral (SQLite and PostgreSQL).

Feedback content, personal data (``parties``), the append-only event history and
the derived case summary (``cases``, rebuildable by replaying events) live in
separate tables. Column names equal the model attribute names, so rows are built
and read through the one converter (see :mod:`feedbackkit.storage.rows`). The
Alembic migrations in ``feedbackkit/migrations`` create exactly this schema; a
test checks that they agree.
"""

from __future__ import annotations

import functools
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Dialect

from feedbackkit.clock import AMSTERDAM
from feedbackkit.errors import ValidationError

__all__ = [
    "JSON",
    "UtcDateTime",
    "case_facts",
    "case_terms",
    "cases",
    "events",
    "feedback",
    "feedback_links",
    "feedback_parties",
    "feedback_tags",
    "golden_flags",
    "improvement_action_cases",
    "improvement_action_notices",
    "improvement_action_themes",
    "improvement_actions",
    "metadata",
    "outcomes",
    "parties",
    "recoveries",
    "theme_assignments",
]


class UtcDateTime(sa.TypeDecorator[datetime]):
    """A tz-aware instant that sorts and compares correctly on every dialect.

    ``TIMESTAMP WITH TIME ZONE`` where the database has it; on SQLite fixed-width
    UTC ISO 8601 text (``2026-01-05T09:00:00.000000+00:00``). Binds accept aware
    datetimes or ISO strings (as the converter writes them); results are aware
    datetimes in Europe/Amsterdam.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> sa.types.TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(sa.String(32))
        return dialect.type_descriptor(sa.DateTime(timezone=True))

    def process_bind_param(self, value: datetime | str | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        moment = datetime.fromisoformat(value) if isinstance(value, str) else value
        return sqlite_moment(moment) if dialect.name == "sqlite" else utc_moment(moment)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        moment = datetime.fromisoformat(value) if isinstance(value, str) else value
        return moment.astimezone(AMSTERDAM)


def utc_moment(moment: datetime) -> datetime:
    """``moment`` in UTC; :class:`ValidationError` if it is naive."""
    if moment.utcoffset() is None:
        raise ValidationError("datetime", f"must be timezone-aware, got {moment.isoformat()}")
    return moment.astimezone(UTC)


def sqlite_moment(moment: datetime) -> str:
    """``moment`` as :class:`UtcDateTime` stores it on SQLite: fixed-width UTC ISO 8601 text."""
    return _utc_text(moment, moment.fold)


@functools.lru_cache(maxsize=4096)
def _utc_text(moment: datetime, fold: int) -> str:
    """Remembered for the last few thousand moments: a case's receipt, last event and
    closing each fill two columns, and converting takes a few microseconds. Keyed on
    ``fold`` too: the two 02:30s of the night clocks go back compare equal."""
    return utc_moment(moment).isoformat(timespec="microseconds")


JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
"""JSON documents: JSONB on PostgreSQL, JSON text elsewhere."""


def _uuid() -> sa.Uuid[str]:
    """UUIDs as the converter writes them (strings): native on PostgreSQL, CHAR(32) elsewhere."""
    return sa.Uuid(as_uuid=False)


def _case_fk() -> sa.ForeignKey:
    return sa.ForeignKey("feedback.id", ondelete="CASCADE")


metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

feedback = sa.Table(
    "feedback",
    metadata,
    sa.Column("id", _uuid(), primary_key=True),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("channel", sa.String(32), nullable=False),
    sa.Column("initiative", sa.String(16), nullable=False),
    sa.Column("origin", sa.String(16), nullable=False),
    sa.Column("form", sa.String(16), nullable=False),
    sa.Column("received_at", UtcDateTime(), nullable=False),
    sa.Column("procedure", sa.String(64)),
    sa.Column("reference", sa.String(64)),
    sa.Column("subject", sa.Text()),
    sa.Column("org_unit", sa.Text()),
    sa.Column("location", sa.Text()),
    sa.Column("text", sa.Text(), nullable=False),
    sa.Column("language", sa.String(16), nullable=False),
    sa.Column("extra", JSON, nullable=False),
    sa.Index(None, "received_at", "id"),
    sa.Index(None, "kind", "received_at"),
    sa.Index(None, "channel", "received_at"),
    sa.Index(None, "reference"),
)
"""Feedback content; every field a query filters on is a column, the rest is in ``extra``."""

feedback_tags = sa.Table(
    "feedback_tags",
    metadata,
    sa.Column("case_id", _uuid(), _case_fk(), primary_key=True),
    sa.Column("tag", sa.String(80), primary_key=True),
    sa.Index(None, "tag"),
)

feedback_links = sa.Table(
    "feedback_links",
    metadata,
    sa.Column("case_id", _uuid(), _case_fk(), primary_key=True),
    sa.Column("position", sa.Integer(), primary_key=True),
    sa.Column("type", sa.String(32), nullable=False),
    sa.Column("target", _uuid(), nullable=False),
    sa.UniqueConstraint("case_id", "type", "target"),
    sa.Index(None, "target"),
)
"""Typed links in the order they were added; a (type, target) pair occurs once per case.
The target is not a foreign key: it may be a case stored later or elsewhere."""

parties = sa.Table(
    "parties",
    metadata,
    sa.Column("id", _uuid(), primary_key=True),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("name", sa.Text()),
    sa.Column("email", sa.Text()),
    sa.Column("phone", sa.Text()),
    sa.Column("address", sa.Text()),
    sa.Column("contact_preference", sa.String(16), nullable=False),
    sa.Column("language", sa.String(16), nullable=False),
    sa.Column("vulnerable", sa.Boolean(), nullable=False),
    sa.Column("pseudonymised", sa.Boolean(), nullable=False),
)
"""Personal data only, stored apart so it can be pseudonymised or erased."""

feedback_parties = sa.Table(
    "feedback_parties",
    metadata,
    sa.Column("case_id", _uuid(), _case_fk(), primary_key=True),
    sa.Column("position", sa.Integer(), primary_key=True),
    sa.Column("party_id", _uuid(), sa.ForeignKey("parties.id", ondelete="CASCADE"), nullable=False),
    sa.Column("role", sa.String(32), nullable=False),
    sa.Index(None, "party_id"),
)
"""The role each party plays in a feedback item, in the order of ``Feedback.parties``."""

events = sa.Table(
    "events",
    metadata,
    sa.Column("id", _uuid(), primary_key=True),
    sa.Column("case_id", _uuid(), _case_fk(), nullable=False),
    sa.Column("seq", sa.Integer(), nullable=False),
    sa.Column("action", sa.String(64), nullable=False),
    sa.Column("actor", sa.Text(), nullable=False),
    sa.Column("at", UtcDateTime(), nullable=False),
    sa.Column("reason", sa.Text()),
    sa.Column("payload", JSON, nullable=False),
    sa.UniqueConstraint("case_id", "seq"),
)
"""The append-only history; ``(case_id, seq)`` is unique, ``seq`` counts from 1."""

cases = sa.Table(
    "cases",
    metadata,
    sa.Column("case_id", _uuid(), _case_fk(), primary_key=True),
    sa.Column("procedure", sa.String(64), nullable=False),
    sa.Column("state", sa.String(64), nullable=False),
    sa.Column("version", sa.Integer(), nullable=False),
    sa.Column("done", sa.Boolean(), nullable=False),
    sa.Column("handler", sa.Text()),
    sa.Column("ambassador", sa.Text()),
    sa.Column("done_at", UtcDateTime()),
    sa.Column("last_event_at", UtcDateTime()),
    sa.Index(None, "procedure", "state"),
    sa.Index(None, "state"),
    sa.Index(None, "handler"),
    sa.Index(None, "done"),
)
"""The derived :class:`~feedbackkit.workflow.CaseState` per case, kept for fast queries."""

outcomes = sa.Table(
    "outcomes",
    metadata,
    sa.Column("id", _uuid(), primary_key=True),
    sa.Column("case_id", _uuid(), _case_fk(), nullable=False),
    sa.Column("recorded_at", UtcDateTime(), nullable=False),
    sa.Column("relationship", sa.String(16), nullable=False),
    sa.Column("satisfaction_solution", sa.Integer()),
    sa.Column("satisfaction_handling", sa.Integer()),
    sa.Column("fairly_treated", sa.Boolean()),
    sa.Column("would_recommend", sa.Integer()),
    sa.Column("expectations_exceeded", sa.Boolean()),
    sa.Column("may_contact", sa.Boolean()),
    sa.Column("free_text", sa.Text()),
    sa.Index(None, "case_id", "recorded_at"),
)
"""Relationship outcomes (:class:`~feedbackkit.models.RelationshipOutcome`)."""

case_terms = sa.Table(
    "case_terms",
    metadata,
    sa.Column("case_id", _uuid(), _case_fk(), primary_key=True),
    sa.Column("term", sa.String(64), primary_key=True),
    sa.Column("round", sa.Integer(), primary_key=True),
    sa.Column("procedure", sa.String(64), nullable=False),
    sa.Column("statutory", sa.Boolean(), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("starts", sa.Date()),
    sa.Column("due", sa.Date()),
    sa.Column("met_on", sa.Date()),
    sa.Column("action", sa.String(64)),
    sa.Index(None, "round", "procedure", "term", "statutory", "status", "due", "action"),
    sqlite_with_rowid=False,
)
"""The deadlines of each case per term and round (:class:`~feedbackkit.storage.terms.CaseTerm`),
rewritten on every append: compliance metrics count them in the database. Its index and
``case_facts`` hold what the metrics read (:mod:`feedbackkit.storage.metrics`)."""

case_facts = sa.Table(
    "case_facts",
    metadata,
    sa.Column("case_id", _uuid(), _case_fk(), primary_key=True),
    sa.Column("received_at", UtcDateTime(), nullable=False),
    sa.Column("month", sa.Integer(), nullable=False),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("channel", sa.String(32), nullable=False),
    sa.Column("initiative", sa.String(16), nullable=False),
    sa.Column("origin", sa.String(16), nullable=False),
    sa.Column("form", sa.String(16), nullable=False),
    sa.Column("procedure", sa.String(64), nullable=False),
    sa.Column("done_at", UtcDateTime()),
    sa.Column("lead_seconds", sa.BigInteger()),
    sa.Column("relationship", sa.String(16)),
    sa.Column("satisfaction_handling", sa.Integer()),
    sa.Column("satisfaction_solution", sa.Integer()),
    sa.Column("fairly_treated", sa.Boolean()),
    sa.Column("would_recommend", sa.Integer()),
    sa.Column("expectations_exceeded", sa.Boolean()),
    sa.Index(None, "kind", "lead_seconds"),
    sa.Index(None, "procedure", "lead_seconds"),
    sa.Index(None, "kind", "month", "channel", "form", "origin", "initiative"),
    sa.Index(
        "ix_case_facts_outcome",
        "relationship",
        "month",
        "kind",
        "procedure",
        "satisfaction_handling",
        "satisfaction_solution",
        "fairly_treated",
        "would_recommend",
        "expectations_exceeded",
        sqlite_where=sa.text("relationship IS NOT NULL"),
        postgresql_where=sa.text("relationship IS NOT NULL"),
    ),
    sqlite_with_rowid=False,
)
"""One narrow row per case with what metrics filter and group by, its lead time
(whole seconds from receipt to done) and the answers of its latest outcome
(``relationship`` and the scores; ``NULL`` without one): written on ingest, updated
on append and when an outcome is recorded, so metrics scan it instead of the wide
``feedback``, ``cases`` and ``outcomes`` tables. ``month`` is the Amsterdam month of
receipt (``yyyymm``); counts group by a prefix of the covering index on the
dimensions, in index order, without sorting; the outcome metrics read the partial
covering index ``ix_case_facts_outcome`` (cases with an outcome only)."""


# -- the learning loop (feedbackkit.learning.models) ---------------------------------------

theme_assignments = sa.Table(
    "theme_assignments",
    metadata,
    sa.Column("case_id", _uuid(), _case_fk(), primary_key=True),
    sa.Column("theme", sa.String(64), primary_key=True),
    sa.Column("source", sa.String(16), nullable=False),
    sa.Column("score", sa.Float()),
    sa.Column("terms", JSON, nullable=False),
    sa.Column("assigned_at", UtcDateTime(), nullable=False),
    sa.Column("assigned_by", sa.Text(), nullable=False),
    sa.Index(None, "theme"),
)
"""Themes of cases, manual or suggested (:class:`~feedbackkit.learning.models.ThemeAssignment`)."""

recoveries = sa.Table(
    "recoveries",
    metadata,
    sa.Column("source_id", _uuid(), _case_fk(), primary_key=True),
    sa.Column("case_id", _uuid(), _case_fk(), primary_key=True),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("score", sa.Float()),
    sa.Column("shared", JSON, nullable=False),
    sa.Column("note", sa.Text()),
    sa.Column("updated_at", UtcDateTime(), nullable=False),
    sa.Column("updated_by", sa.Text(), nullable=False),
    sa.Index(None, "case_id"),
)
"""Service recovery per affected case (:class:`~feedbackkit.learning.models.Recovery`)."""

golden_flags = sa.Table(
    "golden_flags",
    metadata,
    sa.Column("case_id", _uuid(), _case_fk(), primary_key=True),
    sa.Column("flagged_by", sa.Text(), nullable=False),
    sa.Column("flagged_at", UtcDateTime(), nullable=False),
    sa.Column("reason", sa.Text(), nullable=False),
)
"""Golden complaints flagged by a person (:class:`~feedbackkit.learning.models.GoldenFlag`)."""

improvement_actions = sa.Table(
    "improvement_actions",
    metadata,
    sa.Column("id", _uuid(), primary_key=True),
    sa.Column("title", sa.Text(), nullable=False),
    sa.Column("owner", sa.Text(), nullable=False),
    sa.Column("target_group", sa.Text(), nullable=False),
    sa.Column("created_at", UtcDateTime(), nullable=False),
    sa.Column("created_by", sa.Text(), nullable=False),
    sa.Column("due", sa.String(10)),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("description", sa.Text()),
    sa.Column("change_made", sa.Text()),
    sa.Column("done_at", UtcDateTime()),
    sa.Column("origin", sa.Text()),
    sa.Index(None, "status", "due"),
)
"""Improvement actions (:class:`~feedbackkit.learning.models.ImprovementAction`); ``due`` is
an ISO date (text sorts as dates do). Their cases, themes and notices are in the three
tables below."""


def _action_fk() -> sa.ForeignKey:
    return sa.ForeignKey("improvement_actions.id", ondelete="CASCADE")


improvement_action_cases = sa.Table(
    "improvement_action_cases",
    metadata,
    sa.Column("action_id", _uuid(), _action_fk(), primary_key=True),
    sa.Column("position", sa.Integer(), primary_key=True),
    sa.Column("case_id", _uuid(), _case_fk(), nullable=False),
    sa.Index(None, "case_id"),
)

improvement_action_themes = sa.Table(
    "improvement_action_themes",
    metadata,
    sa.Column("action_id", _uuid(), _action_fk(), primary_key=True),
    sa.Column("position", sa.Integer(), primary_key=True),
    sa.Column("theme", sa.String(64), nullable=False),
)

improvement_action_notices = sa.Table(
    "improvement_action_notices",
    metadata,
    sa.Column("action_id", _uuid(), _action_fk(), primary_key=True),
    sa.Column("case_id", _uuid(), _case_fk(), primary_key=True),
    sa.Column("via", sa.Text(), nullable=False),
    sa.Column("at", UtcDateTime(), nullable=False),
    sa.Column("reference", sa.Text()),
)

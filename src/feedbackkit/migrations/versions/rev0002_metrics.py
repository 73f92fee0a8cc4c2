"""Metrics in the database: the deadlines of each case per term and round (``case_terms``),
and one narrow row of facts per case (``case_facts``, with the Amsterdam month of receipt),
filled from the cases already stored.

``case_terms`` cannot be filled here: deadlines are computed in Python from the
policies; cases stored before this revision get their terms on their next append.

Revision ID: rev0002
Revises: 0001
Create Date: 2026-12-02
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

revision = "rev0002"
down_revision = "0001"
branch_labels = None
depends_on = None

UUID = sa.Uuid(as_uuid=False)
INSTANT = sa.DateTime(timezone=True).with_variant(sa.String(32), "sqlite")

_EPOCH = {
    "sqlite": "CAST(strftime('%s', {}) AS INTEGER)",
    "postgresql": "CAST(floor(extract(epoch FROM {})) AS BIGINT)",
}
"""Whole seconds since 1970 of an instant column, per dialect."""


def _months(conn: sa.Connection) -> tuple[str, dict[str, Any]]:
    """``CASE`` giving the Amsterdam month (``yyyymm``) of ``f.received_at``, with its
    bounds as parameters: one ``WHEN`` per month from the first case to the last."""
    first, last = conn.execute(
        sa.text("SELECT min(received_at), max(received_at) FROM feedback")
    ).one()
    sqlite = conn.dialect.name == "sqlite"
    amsterdam = ZoneInfo("Europe/Amsterdam")
    if sqlite:
        first, last = datetime.fromisoformat(first), datetime.fromisoformat(last)
    first, last = first.astimezone(amsterdam), last.astimezone(amsterdam)
    whens, bounds = [], {}
    index = first.year * 12 + first.month - 1
    while index <= last.year * 12 + last.month - 1:
        end = datetime((index + 1) // 12, (index + 1) % 12 + 1, 1, tzinfo=amsterdam)
        name = f"end_{index}"
        whens.append(f"WHEN f.received_at < :{name} THEN {index // 12 * 100 + index % 12 + 1}")
        utc = end.astimezone(UTC)
        bounds[name] = utc.isoformat(timespec="microseconds") if sqlite else utc
        index += 1
    return f"CASE {' '.join(whens)} END", bounds


def _case_id(table: str) -> list[sa.schema.SchemaItem]:
    return [
        sa.Column("case_id", UUID, nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["feedback.id"], name=f"fk_{table}_case_id_feedback", ondelete="CASCADE"
        ),
    ]


def upgrade() -> None:
    op.create_table(
        "case_terms",
        *_case_id("case_terms"),
        sa.Column("term", sa.String(64), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("procedure", sa.String(64), nullable=False),
        sa.Column("statutory", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("starts", sa.Date()),
        sa.Column("due", sa.Date()),
        sa.Column("met_on", sa.Date()),
        sa.Column("action", sa.String(64)),
        sa.PrimaryKeyConstraint("case_id", "term", "round", name="pk_case_terms"),
        sqlite_with_rowid=False,
    )
    op.create_index(
        "ix_case_terms_round_procedure_term_statutory_status_due_action",
        "case_terms",
        ["round", "procedure", "term", "statutory", "status", "due", "action"],
    )
    op.create_table(
        "case_facts",
        *_case_id("case_facts"),
        sa.Column("received_at", INSTANT, nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("initiative", sa.String(16), nullable=False),
        sa.Column("origin", sa.String(16), nullable=False),
        sa.Column("form", sa.String(16), nullable=False),
        sa.Column("procedure", sa.String(64), nullable=False),
        sa.Column("done_at", INSTANT),
        sa.Column("lead_seconds", sa.BigInteger()),
        sa.PrimaryKeyConstraint("case_id", name="pk_case_facts"),
        sqlite_with_rowid=False,
    )
    conn = op.get_bind()
    if conn.execute(sa.text("SELECT count(*) FROM feedback")).scalar():
        epoch = _EPOCH[conn.dialect.name]
        month, bounds = _months(conn)
        conn.execute(
            sa.text(
                "INSERT INTO case_facts (case_id, received_at, month, kind, channel, initiative,"
                " origin, form, procedure, done_at, lead_seconds)"
                f" SELECT f.id, f.received_at, {month}, f.kind, f.channel, f.initiative, f.origin,"
                f" f.form, c.procedure, c.done_at,"
                f" {epoch.format('c.done_at')} - {epoch.format('f.received_at')}"
                " FROM feedback f JOIN cases c ON c.case_id = f.id"
            ),
            bounds,
        )
    op.create_index("ix_case_facts_kind_lead_seconds", "case_facts", ["kind", "lead_seconds"])
    op.create_index(
        "ix_case_facts_procedure_lead_seconds", "case_facts", ["procedure", "lead_seconds"]
    )
    op.create_index(
        "ix_case_facts_kind_month_channel_form_origin_initiative",
        "case_facts",
        ["kind", "month", "channel", "form", "origin", "initiative"],
    )


def downgrade() -> None:
    op.drop_table("case_facts")
    op.drop_table("case_terms")

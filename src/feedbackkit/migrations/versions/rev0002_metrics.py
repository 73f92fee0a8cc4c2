"""Metrics in the database: the deadlines of each case per term and round, and covering
indexes for the metric queries.

Revision ID: rev0002
Revises: 0001
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "rev0002"
down_revision = "0001"
branch_labels = None
depends_on = None

UUID = sa.Uuid(as_uuid=False)

INDEXES = (
    (
        "case_terms",
        "ix_case_terms_round_procedure_term_statutory_status_due_action",
        ["round", "procedure", "term", "statutory", "status", "due", "action"],
    ),
    (
        "feedback",
        "ix_feedback_received_at_kind_channel_initiative_origin_form",
        ["received_at", "kind", "channel", "initiative", "origin", "form"],
    ),
    ("feedback", "ix_feedback_id_received_at_kind", ["id", "received_at", "kind"]),
    ("cases", "ix_cases_done_at_case_id_procedure", ["done_at", "case_id", "procedure"]),
)
"""Covering indexes for the metrics: ``(table, name, columns)``."""


def upgrade() -> None:
    op.create_table(
        "case_terms",
        sa.Column("case_id", UUID, nullable=False),
        sa.Column("term", sa.String(64), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("procedure", sa.String(64), nullable=False),
        sa.Column("statutory", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("starts", sa.Date()),
        sa.Column("due", sa.Date()),
        sa.Column("met_on", sa.Date()),
        sa.Column("action", sa.String(64)),
        sa.ForeignKeyConstraint(
            ["case_id"], ["feedback.id"], name="fk_case_terms_case_id_feedback", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("case_id", "term", "round", name="pk_case_terms"),
        sqlite_with_rowid=False,
    )
    for table, name, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for table, name, _ in INDEXES:
        if table != "case_terms":
            op.drop_index(name, table_name=table)
    op.drop_table("case_terms")

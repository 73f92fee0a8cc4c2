"""The learning loop: theme assignments, service recovery, golden complaints, improvement
actions with their cases, themes and "you said, we did" notices.

Revision ID: rev0003
Revises: rev0002
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "rev0003"
down_revision = "rev0002"
branch_labels = None
depends_on = None

UUID = sa.Uuid(as_uuid=False)
INSTANT = sa.DateTime(timezone=True).with_variant(sa.String(32), "sqlite")
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def _references(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    """A cascading foreign key from ``table.column`` to ``target.id``."""
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}", ondelete="CASCADE"
    )


def upgrade() -> None:
    op.create_table(
        "theme_assignments",
        sa.Column("case_id", UUID, nullable=False),
        sa.Column("theme", sa.String(64), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("score", sa.Float()),
        sa.Column("terms", JSON, nullable=False),
        sa.Column("assigned_at", INSTANT, nullable=False),
        sa.Column("assigned_by", sa.Text(), nullable=False),
        _references("theme_assignments", "case_id", "feedback"),
        sa.PrimaryKeyConstraint("case_id", "theme", name="pk_theme_assignments"),
    )
    op.create_index("ix_theme_assignments_theme", "theme_assignments", ["theme"])

    op.create_table(
        "recoveries",
        sa.Column("source_id", UUID, nullable=False),
        sa.Column("case_id", UUID, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("score", sa.Float()),
        sa.Column("shared", JSON, nullable=False),
        sa.Column("note", sa.Text()),
        sa.Column("updated_at", INSTANT, nullable=False),
        sa.Column("updated_by", sa.Text(), nullable=False),
        _references("recoveries", "source_id", "feedback"),
        _references("recoveries", "case_id", "feedback"),
        sa.PrimaryKeyConstraint("source_id", "case_id", name="pk_recoveries"),
    )
    op.create_index("ix_recoveries_case_id", "recoveries", ["case_id"])

    op.create_table(
        "golden_flags",
        sa.Column("case_id", UUID, nullable=False),
        sa.Column("flagged_by", sa.Text(), nullable=False),
        sa.Column("flagged_at", INSTANT, nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        _references("golden_flags", "case_id", "feedback"),
        sa.PrimaryKeyConstraint("case_id", name="pk_golden_flags"),
    )

    op.create_table(
        "improvement_actions",
        sa.Column("id", UUID, nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("owner", sa.Text(), nullable=False),
        sa.Column("target_group", sa.Text(), nullable=False),
        sa.Column("created_at", INSTANT, nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column("due", sa.String(10)),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("description", sa.Text()),
        sa.Column("change_made", sa.Text()),
        sa.Column("done_at", INSTANT),
        sa.Column("origin", sa.Text()),
        sa.PrimaryKeyConstraint("id", name="pk_improvement_actions"),
    )
    op.create_index("ix_improvement_actions_status_due", "improvement_actions", ["status", "due"])

    op.create_table(
        "improvement_action_cases",
        sa.Column("action_id", UUID, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("case_id", UUID, nullable=False),
        _references("improvement_action_cases", "action_id", "improvement_actions"),
        _references("improvement_action_cases", "case_id", "feedback"),
        sa.PrimaryKeyConstraint("action_id", "position", name="pk_improvement_action_cases"),
    )
    op.create_index("ix_improvement_action_cases_case_id", "improvement_action_cases", ["case_id"])

    op.create_table(
        "improvement_action_themes",
        sa.Column("action_id", UUID, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("theme", sa.String(64), nullable=False),
        _references("improvement_action_themes", "action_id", "improvement_actions"),
        sa.PrimaryKeyConstraint("action_id", "position", name="pk_improvement_action_themes"),
    )

    op.create_table(
        "improvement_action_notices",
        sa.Column("action_id", UUID, nullable=False),
        sa.Column("case_id", UUID, nullable=False),
        sa.Column("via", sa.Text(), nullable=False),
        sa.Column("at", INSTANT, nullable=False),
        sa.Column("reference", sa.Text()),
        _references("improvement_action_notices", "action_id", "improvement_actions"),
        _references("improvement_action_notices", "case_id", "feedback"),
        sa.PrimaryKeyConstraint("action_id", "case_id", name="pk_improvement_action_notices"),
    )


def downgrade() -> None:
    for table in (
        "improvement_action_notices",
        "improvement_action_themes",
        "improvement_action_cases",
        "improvement_actions",
        "golden_flags",
        "recoveries",
        "theme_assignments",
    ):
        op.drop_table(table)

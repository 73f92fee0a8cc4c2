"""Initial schema: feedback, parties, events, derived case summaries, outcomes.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

UUID = sa.Uuid(as_uuid=False)
INSTANT = sa.DateTime(timezone=True).with_variant(sa.String(32), "sqlite")
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def _case_id(table: str) -> list[sa.schema.SchemaItem]:
    """The ``case_id`` column of a child table and its cascading foreign key."""
    return [
        sa.Column("case_id", UUID, nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["feedback.id"], name=f"fk_{table}_case_id_feedback", ondelete="CASCADE"
        ),
    ]


def upgrade() -> None:
    op.create_table(
        "feedback",
        sa.Column("id", UUID, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("initiative", sa.String(16), nullable=False),
        sa.Column("origin", sa.String(16), nullable=False),
        sa.Column("form", sa.String(16), nullable=False),
        sa.Column("received_at", INSTANT, nullable=False),
        sa.Column("procedure", sa.String(64)),
        sa.Column("reference", sa.String(64)),
        sa.Column("subject", sa.Text()),
        sa.Column("org_unit", sa.Text()),
        sa.Column("location", sa.Text()),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("language", sa.String(16), nullable=False),
        sa.Column("extra", JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_feedback"),
    )
    op.create_index("ix_feedback_received_at_id", "feedback", ["received_at", "id"])
    op.create_index("ix_feedback_kind_received_at", "feedback", ["kind", "received_at"])
    op.create_index("ix_feedback_channel_received_at", "feedback", ["channel", "received_at"])
    op.create_index("ix_feedback_reference", "feedback", ["reference"])

    op.create_table(
        "feedback_tags",
        *_case_id("feedback_tags"),
        sa.Column("tag", sa.String(80), nullable=False),
        sa.PrimaryKeyConstraint("case_id", "tag", name="pk_feedback_tags"),
    )
    op.create_index("ix_feedback_tags_tag", "feedback_tags", ["tag"])

    op.create_table(
        "feedback_links",
        *_case_id("feedback_links"),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(32), nullable=False),
        sa.Column("target", UUID, nullable=False),
        sa.PrimaryKeyConstraint("case_id", "position", name="pk_feedback_links"),
        sa.UniqueConstraint(
            "case_id", "type", "target", name="uq_feedback_links_case_id_type_target"
        ),
    )
    op.create_index("ix_feedback_links_target", "feedback_links", ["target"])

    op.create_table(
        "parties",
        sa.Column("id", UUID, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("name", sa.Text()),
        sa.Column("email", sa.Text()),
        sa.Column("phone", sa.Text()),
        sa.Column("address", sa.Text()),
        sa.Column("contact_preference", sa.String(16), nullable=False),
        sa.Column("language", sa.String(16), nullable=False),
        sa.Column("vulnerable", sa.Boolean(), nullable=False),
        sa.Column("pseudonymised", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_parties"),
    )

    op.create_table(
        "feedback_parties",
        *_case_id("feedback_parties"),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("party_id", UUID, nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.ForeignKeyConstraint(
            ["party_id"],
            ["parties.id"],
            name="fk_feedback_parties_party_id_parties",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("case_id", "position", name="pk_feedback_parties"),
    )
    op.create_index("ix_feedback_parties_party_id", "feedback_parties", ["party_id"])

    op.create_table(
        "events",
        sa.Column("id", UUID, nullable=False),
        *_case_id("events"),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("at", INSTANT, nullable=False),
        sa.Column("reason", sa.Text()),
        sa.Column("payload", JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_events"),
        sa.UniqueConstraint("case_id", "seq", name="uq_events_case_id_seq"),
    )

    op.create_table(
        "cases",
        *_case_id("cases"),
        sa.Column("procedure", sa.String(64), nullable=False),
        sa.Column("state", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.Column("handler", sa.Text()),
        sa.Column("ambassador", sa.Text()),
        sa.Column("done_at", INSTANT),
        sa.Column("last_event_at", INSTANT),
        sa.PrimaryKeyConstraint("case_id", name="pk_cases"),
    )
    op.create_index("ix_cases_procedure_state", "cases", ["procedure", "state"])
    op.create_index("ix_cases_state", "cases", ["state"])
    op.create_index("ix_cases_handler", "cases", ["handler"])
    op.create_index("ix_cases_done", "cases", ["done"])

    op.create_table(
        "outcomes",
        sa.Column("id", UUID, nullable=False),
        *_case_id("outcomes"),
        sa.Column("recorded_at", INSTANT, nullable=False),
        sa.Column("relationship", sa.String(16), nullable=False),
        sa.Column("satisfaction_solution", sa.Integer()),
        sa.Column("satisfaction_handling", sa.Integer()),
        sa.Column("fairly_treated", sa.Boolean()),
        sa.Column("would_recommend", sa.Integer()),
        sa.Column("expectations_exceeded", sa.Boolean()),
        sa.Column("may_contact", sa.Boolean()),
        sa.Column("free_text", sa.Text()),
        sa.PrimaryKeyConstraint("id", name="pk_outcomes"),
    )
    op.create_index("ix_outcomes_case_id_recorded_at", "outcomes", ["case_id", "recorded_at"])


def downgrade() -> None:
    for table in (
        "outcomes",
        "cases",
        "events",
        "feedback_parties",
        "parties",
        "feedback_links",
        "feedback_tags",
        "feedback",
    ):
        op.drop_table(table)

"""Each case's latest relationship outcome in ``case_facts``: the relationship and the
scores that the outcome metrics count, with a partial covering index over the cases
that have one, filled from the outcomes already stored.

"Latest" is the metrics' rule: no outcome of the case recorded later, nor at the same
instant with a higher id.

Revision ID: rev0004
Revises: rev0003
Create Date: 2026-12-03
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "rev0004"
down_revision = "rev0003"
branch_labels = None
depends_on = None

ANSWERS: dict[str, sa.types.TypeEngine[Any]] = {
    "relationship": sa.String(16),
    "satisfaction_handling": sa.Integer(),
    "satisfaction_solution": sa.Integer(),
    "fairly_treated": sa.Boolean(),
    "would_recommend": sa.Integer(),
    "expectations_exceeded": sa.Boolean(),
}
"""The columns added, named as in ``outcomes``."""

INDEX = "ix_case_facts_outcome"
HAS_OUTCOME = "relationship IS NOT NULL"


def upgrade() -> None:
    for name, type_ in ANSWERS.items():
        op.add_column("case_facts", sa.Column(name, type_))
    columns = ", ".join(ANSWERS)
    op.execute(
        f"UPDATE case_facts SET ({columns}) = ({', '.join(f'o.{c}' for c in ANSWERS)})"
        " FROM outcomes o WHERE o.case_id = case_facts.case_id AND NOT EXISTS ("
        " SELECT 1 FROM outcomes later WHERE later.case_id = o.case_id"
        " AND (later.recorded_at > o.recorded_at"
        " OR (later.recorded_at = o.recorded_at AND later.id > o.id)))"
    )
    op.create_index(
        INDEX,
        "case_facts",
        ["relationship", "month", "kind", "procedure", *list(ANSWERS)[1:]],
        sqlite_where=sa.text(HAS_OUTCOME),
        postgresql_where=sa.text(HAS_OUTCOME),
    )


def downgrade() -> None:
    op.drop_index(INDEX, "case_facts")
    for name in reversed(ANSWERS):
        op.drop_column("case_facts", name)

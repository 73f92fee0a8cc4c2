"""Alembic migrations shipped in the package: in step with schema.py, up and down with data."""

from __future__ import annotations

from datetime import timedelta
from importlib.resources import files
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from feedbackkit import migrations
from feedbackkit.errors import FeedbackkitError
from feedbackkit.models import Party
from feedbackkit.storage.engine import make_engine
from feedbackkit.storage.schema import metadata
from feedbackkit.storage.sql import SqlStore
from feedbackkit.testing import make_case
from feedbackkit.testing.contract import T0
from feedbackkit.vocabulary import PartyRole, Relationship

# A revision on top of head that rebuilds the feedback table (SQLite batch mode) and
# back: what a real schema change does to a database full of cases.
EXTRA_REVISION = """
import sqlalchemy as sa
from alembic import op

revision = "test_extra"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("feedback") as batch:
        batch.add_column(sa.Column("urgency", sa.Integer(), nullable=True))
        batch.alter_column("reference", type_=sa.String(80))


def downgrade():
    with op.batch_alter_table("feedback") as batch:
        batch.alter_column("reference", type_=sa.String(64))
        batch.drop_column("urgency")
"""


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'feedback.sqlite'}"


def tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()


def filled_store(url: str) -> tuple[SqlStore, list]:
    store = SqlStore.open(url)
    person = Party(name="Anouk Bakker", email="anouk@example.nl")
    items = [
        make_case(
            steps=[("acknowledge", {}), ("assign_handler", {"handler": "anna"})],
            tags=["wachttijd", "bejegening"],
            parties=[(person, PartyRole.COMPLAINANT)],
            outcomes=[Relationship.STRONGER],
        ),
        make_case(
            received_at=T0 + timedelta(hours=1),
            tags=["wachttijd"],
            parties=[(person, PartyRole.COMPLAINANT)],
        ),
    ]
    store.ingest(items)
    return store, items


def test_opening_a_store_upgrades_a_new_database_to_head(url: str) -> None:
    assert migrations.current(url) is None
    SqlStore.open(url).close()
    assert migrations.current(url) == migrations.head()


def test_migrations_create_exactly_the_schema_of_schema_py(url: str) -> None:
    migrations.upgrade(url)
    engine = make_engine(url)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, metadata) == []
    engine.dispose()


def test_downgrade_to_base_and_up_again(url: str) -> None:
    store, _ = filled_store(url)
    store.close()
    migrations.downgrade(url, "base")
    assert tables(url) == {"alembic_version"}
    assert migrations.current(url) is None
    migrations.upgrade(url)
    assert tables(url) == {"alembic_version", *metadata.tables}
    store = SqlStore.open(url)
    assert store.count() == 0
    store.close()


def test_a_table_rebuild_keeps_every_case_up_and_down(url: str, tmp_path: Path) -> None:
    store, items = filled_store(url)
    versions = tmp_path / "versions"
    versions.mkdir()
    (versions / "test_extra.py").write_text(EXTRA_REVISION.format(head=migrations.head()))
    cfg = migrations.config(url)
    builtin = files("feedbackkit") / "migrations" / "versions"
    cfg.set_main_option("version_locations", f"{builtin}:{versions}")

    command.upgrade(cfg, "test_extra")
    assert "urgency" in {c["name"] for c in sa.inspect(store.engine).get_columns("feedback")}
    assert list(store.records()) == [r for r, _ in items]

    command.downgrade(cfg, migrations.head())
    assert "urgency" not in {c["name"] for c in sa.inspect(store.engine).get_columns("feedback")}
    assert list(store.records()) == [r for r, _ in items]
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    store.close()


def test_a_database_from_a_newer_feedbackkit_is_refused(url: str) -> None:
    SqlStore.open(url).close()
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = 'from_the_future'")
    engine.dispose()
    with pytest.raises(FeedbackkitError, match="from_the_future"):
        SqlStore.open(url)

"""``feedbackkit db``: every migration up and down, with cases present, on SQLite and PostgreSQL.

The tests walk whatever revisions the package ships (oldest to newest and back), so a
new revision is covered without touching them.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from click.testing import CliRunner, Result

from feedbackkit import migrations
from feedbackkit.cli import cli
from feedbackkit.models import CaseRecord, Link, Party
from feedbackkit.storage.engine import make_engine
from feedbackkit.storage.sql import SqlStore
from feedbackkit.testing import make_case
from feedbackkit.testing.contract import T0
from feedbackkit.testing.postgres import PostgresServer
from feedbackkit.vocabulary import LinkType, PartyRole, Relationship

REVISIONS = [
    script.revision
    for script in reversed(
        list(ScriptDirectory.from_config(migrations.config("")).walk_revisions())
    )
]
"""Every shipped revision, oldest first."""


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database that does not exist yet (SQLite: a file path) or is empty (PostgreSQL)."""
    if request.param == "sqlite":
        yield str(tmp_path / "zaken.sqlite")
        return
    server: PostgresServer = request.getfixturevalue("postgres")
    with server.database() as url:
        yield url


def run(db: str, *args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(cli, ["--db", db, "db", *args], input=stdin, catch_exceptions=False)


def url_of(db: str) -> str:
    return db if "://" in db else f"sqlite:///{db}"


def tables(db: str) -> set[str]:
    engine = make_engine(url_of(db))
    try:
        return set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()


def feedback_rows(db: str) -> int:
    engine = make_engine(url_of(db))
    try:
        with engine.connect() as conn:
            return int(conn.execute(sa.text("SELECT count(*) FROM feedback")).scalar_one())
    finally:
        engine.dispose()


def current(db: str) -> str:
    result = run(db, "current")
    assert result.exit_code == 0, result.output
    return result.stdout


def fill(db: str) -> list[CaseRecord]:
    """Store cases that use every table of the first revision; they are returned."""
    person = Party(name="Anouk Bakker", email="anouk@example.nl")
    first = make_case(
        steps=[("acknowledge", {}), ("assign_handler", {"handler": "anna"})],
        tags=["wachttijd", "bejegening"],
        parties=[(person, PartyRole.COMPLAINANT)],
        outcomes=[Relationship.STRONGER],
    )
    second = make_case(
        received_at=T0 + timedelta(hours=1),
        links=[Link(LinkType.REPEAT_OF, first[0].feedback.id)],
        parties=[(person, PartyRole.COMPLAINANT)],
    )
    store = SqlStore.open(url_of(db))
    store.ingest([first, second])
    store.close()
    return [first[0], second[0]]


def test_the_package_ships_a_linear_history() -> None:
    assert REVISIONS
    assert REVISIONS[-1] == migrations.head()
    script = ScriptDirectory.from_config(migrations.config(""))
    assert script.get_heads() == [migrations.head()]


def test_upgrade_one_revision_at_a_time(db: str) -> None:
    assert run(db, "upgrade", "--help").exit_code == 0
    if "://" in db:
        assert current(db).startswith("base (no tables)")
    for revision in REVISIONS:
        result = run(db, "upgrade", revision)
        assert result.exit_code == 0, result.output
        assert result.stderr.rstrip().endswith(f"-> {revision}")
        assert current(db).startswith(f"{revision} (")
        marked = [line for line in run(db, "history").stdout.splitlines() if line.startswith("*")]
        assert [line.split()[1] for line in marked] == [revision]
    assert current(db).endswith(": up to date\n")
    assert tables(db) >= {"alembic_version", "feedback", "events", "cases", "parties"}


def test_cases_survive_every_revision_down_and_up(db: str) -> None:
    assert run(db, "upgrade").exit_code == 0
    records = fill(db)
    for revision in reversed(REVISIONS[:-1]):
        result = run(db, "downgrade", revision, "--yes")
        assert result.exit_code == 0, result.output
        assert current(db).startswith(f"{revision} (")
        assert current(db).endswith(f"behind, the newest revision is {migrations.head()}\n")
        assert feedback_rows(db) == len(records)
    for revision in REVISIONS[1:]:
        assert run(db, "upgrade", revision).exit_code == 0
        assert feedback_rows(db) == len(records)
    store = SqlStore.open(url_of(db))
    assert list(store.records()) == records
    store.close()


def test_downgrade_to_base_drops_every_table_and_upgrade_starts_afresh(db: str) -> None:
    assert run(db, "upgrade").exit_code == 0
    fill(db)
    result = run(db, "downgrade", "base", "--yes")
    assert result.exit_code == 0, result.output
    assert result.stderr.rstrip().endswith(f"{migrations.head()} -> base")
    assert tables(db) == {"alembic_version"}
    assert current(db).startswith("base (no tables)")
    assert run(db, "upgrade").exit_code == 0
    store = SqlStore.open(url_of(db))
    assert store.count() == 0
    store.close()
    assert len(fill(db)) == 2


def test_downgrade_asks_first_and_does_nothing_when_refused(db: str) -> None:
    assert run(db, "upgrade").exit_code == 0
    refused = run(db, "downgrade", "base", stdin="n\n")
    assert refused.exit_code == 1
    assert refused.output.startswith("Downgrade ")
    assert "with their data? [y/N]" in refused.output
    assert current(db).startswith(f"{migrations.head()} (")


def test_an_unknown_revision_is_a_one_line_error(db: str) -> None:
    assert run(db, "upgrade").exit_code == 0
    result = CliRunner().invoke(cli, ["--db", db, "db", "upgrade", "no_such_revision"])
    assert result.exit_code == 1
    assert "no_such_revision" in result.stderr
    assert "Traceback" not in result.output


def test_a_database_migrated_by_a_newer_feedbackkit_is_named_as_such(db: str) -> None:
    assert run(db, "upgrade").exit_code == 0
    engine = make_engine(url_of(db))
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = 'from_the_future'"))
    engine.dispose()
    assert (
        current(db)
        == "from_the_future: unknown to this feedbackkit (migrated by a newer version?)\n"
    )


def test_only_sql_databases_have_revisions(tmp_path: Path) -> None:
    memory = CliRunner().invoke(cli, ["--db", "memory://", "db", "current"])
    assert memory.exit_code == 2
    assert "migrations apply to SQLite and PostgreSQL databases, not memory" in memory.stderr
    missing = CliRunner().invoke(cli, ["--db", str(tmp_path / "nergens.sqlite"), "db", "history"])
    assert missing.exit_code == 2
    assert "no such SQLite database file" in missing.stderr
    assert not (tmp_path / "nergens.sqlite").exists()

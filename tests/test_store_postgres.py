"""The storage contract and what PostgreSQL adds, on a real PostgreSQL 15 server.

The session's server comes from the ``postgres`` fixture (feedbackkit.testing.postgres);
every test gets a fresh database at the newest schema (``postgres_url``).
"""

from __future__ import annotations

import random
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from datetime import timedelta

import attrs
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from feedbackkit.errors import FeedbackkitError, ValidationError
from feedbackkit.models import Feedback, Party
from feedbackkit.plugins import load_plugins
from feedbackkit.service import FeedbackKit
from feedbackkit.storage.engine import make_engine
from feedbackkit.storage.protocol import IngestReport, Store
from feedbackkit.storage.schema import metadata
from feedbackkit.storage.sql import SqlStore
from feedbackkit.testing import StoreContract, make_case
from feedbackkit.testing.contract import T0
from feedbackkit.testing.postgres import postgres_bindir
from feedbackkit.vocabulary import PartyRole


class TestPostgresStore(StoreContract):
    @pytest.fixture
    def store(self, postgres_url: str) -> Iterator[Store]:
        store = SqlStore.open(postgres_url)
        yield store
        store.close()


def in_threads(count: int, work: Callable[[int], None]) -> None:
    """Run ``work(0..count-1)`` in threads that start together; re-raise the first error."""
    start = threading.Barrier(count)
    errors: list[BaseException] = []

    def run(index: int) -> None:
        start.wait()
        try:
            work(index)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    if errors:
        raise errors[0]


def test_every_postgres_url_opens_the_same_database_on_psycopg(postgres_url: str) -> None:
    plugins = load_plugins(entry_point_plugins=False)
    plain = postgres_url.replace("postgresql+psycopg://", "postgresql://")
    feedback = Feedback("melding", "app", T0, "Lantaarnpaal Molenweg 12 is kapot.")
    with FeedbackKit.open(plain.replace("postgresql://", "postgres://"), plugins=plugins) as kit:
        kit.register(feedback)
    for url in (plain, postgres_url):
        with FeedbackKit.open(url, plugins=plugins) as kit:
            assert isinstance(kit.store, SqlStore)
            assert kit.store.engine.dialect.driver == "psycopg"
            assert kit.view(feedback.id).feedback == feedback


def test_another_postgres_driver_is_refused() -> None:
    with pytest.raises(FeedbackkitError, match=r"psycopg 3 \(postgresql\+psycopg://\), not pg8000"):
        make_engine("postgresql+pg8000://postgres@127.0.0.1/feedback")


def test_without_psycopg_the_error_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # import psycopg now fails
    plugins = load_plugins(entry_point_plugins=False)
    with pytest.raises(FeedbackkitError, match=r"pip install 'feedbackkit\[postgresql\]'"):
        FeedbackKit.open("postgresql://postgres@127.0.0.1/feedback", plugins=plugins)


def test_columns_have_native_postgres_types(postgres_url: str) -> None:
    engine = make_engine(postgres_url)
    with engine.connect() as conn:
        types: dict[str, str] = dict(
            conn.execute(
                sa.text(
                    "SELECT table_name || '.' || column_name, data_type "
                    "FROM information_schema.columns WHERE table_schema = 'public'"
                )
            ).all()
        )
    engine.dispose()
    assert types["feedback.id"] == types["events.case_id"] == types["parties.id"] == "uuid"
    assert types["feedback.received_at"] == types["events.at"] == "timestamp with time zone"
    assert types["feedback.extra"] == types["events.payload"] == "jsonb"


def test_migrations_create_exactly_the_schema_of_schema_py(postgres_url: str) -> None:
    engine = make_engine(postgres_url)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, metadata) == []
    engine.dispose()


def test_instants_are_stored_as_utc_and_read_back_in_amsterdam(postgres_url: str) -> None:
    store = SqlStore.open(postgres_url)
    record, state = make_case(received_at=T0)  # 09:00 in Amsterdam in winter
    store.ingest([(record, state)])
    with store.engine.connect() as conn:
        conn.exec_driver_sql("SET TIME ZONE 'UTC'")
        stored = conn.exec_driver_sql("SELECT received_at::text FROM feedback").scalar()
    assert stored == "2026-03-02 08:00:00+00"
    assert store.feedback(record.feedback.id).received_at.isoformat() == T0.isoformat()
    store.close()


def test_an_event_id_used_twice_is_a_validation_error(postgres_url: str) -> None:
    store = SqlStore.open(postgres_url)  # events go in with COPY: its errors are typed too
    first = make_case(steps=[("acknowledge", {})])
    record, state = make_case(steps=[("acknowledge", {})])
    clash = attrs.evolve(record, events=(attrs.evolve(record.events[0], id=first[0].events[0].id),))
    store.ingest([first])
    with pytest.raises(ValidationError, match="store: clashes with stored data"):
        store.ingest([(clash, state)])
    assert store.count() == 1
    assert store.ingest([(record, state)]).inserted == 1  # the connection is fine after it
    store.close()


def test_text_postgres_cannot_hold_is_a_validation_error(postgres_url: str) -> None:
    store = SqlStore.open(postgres_url)
    with pytest.raises(ValidationError, match=r"cannot hold the data: .*NUL"):
        store.ingest([make_case(text="Klacht\x00 met een NUL-teken uit een e-mail.")])
    assert store.count() == 0
    store.close()


def test_concurrent_ingests_of_overlapping_cases_store_each_once(postgres_url: str) -> None:
    people = [Party(name=f"Inwoner {i}") for i in range(7)]
    items = [
        make_case(
            received_at=T0 + timedelta(minutes=i), parties=[(people[i % 7], PartyRole.COMPLAINANT)]
        )
        for i in range(600)
    ]
    reports: list[IngestReport] = []

    def ingest(seed: int) -> None:
        mine = random.Random(seed).sample(items, len(items))  # each its own order
        store = SqlStore(make_engine(postgres_url), batch_size=50)
        reports.append(store.ingest(mine))
        store.close()

    in_threads(4, ingest)
    assert sum(r.inserted for r in reports) == len(items)
    assert [r.inserted + r.skipped for r in reports] == [len(items)] * 4
    store = SqlStore.open(postgres_url)
    assert [r.feedback.id for r in store.records()] == [r.feedback.id for r, _ in items]
    assert store.count() == len(items)
    store.close()


def test_erased_party_leaves_no_trace_in_the_database(postgres_url: str) -> None:
    store = SqlStore.open(postgres_url)
    person = Party(name="Fatima Yılmaz", email="fatima@example.nl", phone="0687654321")
    record, state = make_case(parties=[(person, PartyRole.COMPLAINANT)])
    store.ingest([(record, state)])
    store.erase_party(person.id)
    store.close()
    bindir = postgres_bindir()
    assert bindir is not None
    libpq_url = postgres_url.replace("postgresql+psycopg://", "postgresql://")
    dump = subprocess.run(
        [bindir / "pg_dump", "--data-only", f"--dbname={libpq_url}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for trace in ("Fatima", "fatima@example.nl", "0687654321", str(person.id)):
        assert trace not in dump
    assert "De stoeptegel ligt er al weken los" in dump

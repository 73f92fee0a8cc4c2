"""What the SQLite store adds to the contract: pragmas, persistence, batches, privacy."""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path

import attrs
import pytest
import sqlalchemy as sa

from feedbackkit.errors import ConflictError, FeedbackkitError, ValidationError
from feedbackkit.models import Party
from feedbackkit.storage.sql import SqlStore
from feedbackkit.testing import make_case
from feedbackkit.testing.contract import T0, next_event, procedure_for
from feedbackkit.vocabulary import Kind, PartyRole
from feedbackkit.workflow.case import derive


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'feedback.sqlite'}"


def cases(n: int) -> list:
    return [make_case(received_at=T0 + timedelta(minutes=i)) for i in range(n)]


def test_connections_use_wal_and_enforce_foreign_keys(url: str) -> None:
    store = SqlStore.open(url)
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        with pytest.raises(sa.exc.IntegrityError):
            conn.exec_driver_sql(
                f"INSERT INTO feedback_tags (case_id, tag) VALUES ('{'0' * 29}bad', 'x')"
            )
    store.close()


def test_cases_survive_closing_and_reopening(url: str) -> None:
    items = cases(3)
    store = SqlStore.open(url)
    store.ingest(items)
    store.close()
    reopened = SqlStore.open(url)
    assert list(reopened.records()) == [r for r, _ in items]
    assert reopened.ingest(items).skipped == 3
    reopened.close()


def test_received_at_is_stored_as_sortable_utc_text(url: str) -> None:
    store = SqlStore.open(url)
    record, state = make_case(received_at=T0)  # 09:00 in Amsterdam in winter
    store.ingest([(record, state)])
    with store.engine.connect() as conn:
        stored = conn.exec_driver_sql("SELECT received_at FROM feedback").scalar()
    assert stored == "2026-03-02T08:00:00.000000+00:00"
    store.close()


def test_ingest_commits_per_batch_and_counts_duplicates_across_batches(url: str) -> None:
    store = SqlStore.open(url, batch_size=3)
    items = cases(7)
    report = store.ingest(iter([*items[:4], items[1], *items[4:], items[6], items[0]]))
    assert (report.inserted, report.skipped) == (7, 3)
    assert [r.feedback.id for r in store.records()] == [r.feedback.id for r, _ in items]
    store.close()


def test_invalid_case_aborts_only_its_own_batch(url: str) -> None:
    store = SqlStore.open(url, batch_size=2)
    items = cases(5)
    broken = (items[3][0], items[0][1])  # the state of another case
    with pytest.raises(ValidationError, match="state"):
        store.ingest([*items[:3], broken, items[4]])
    assert store.count() == 2  # the first batch; the second held the broken case
    store.close()


def test_an_event_id_used_twice_is_a_validation_error(url: str) -> None:
    store = SqlStore.open(url)
    first = make_case(steps=[("acknowledge", {})])
    record, state = make_case(steps=[("acknowledge", {})])
    clash = attrs.evolve(record, events=(attrs.evolve(record.events[0], id=first[0].events[0].id),))
    store.ingest([first])
    with pytest.raises(ValidationError, match="store"):
        store.ingest([(clash, state)])
    assert store.count() == 1
    store.close()


def test_two_stores_on_one_file_append_one_at_a_time(url: str) -> None:
    stores = [SqlStore.open(url), SqlStore.open(url)]
    record, state = make_case()
    stores[0].ingest([(record, state)])
    case_id = record.feedback.id
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def write(store: SqlStore, text: str) -> None:
        event = next_event(store, case_id, "note", text=text)
        state = derive(procedure_for(Kind.COMPLAINT), case_id, [event])
        start.wait()
        try:
            store.append(case_id, [event], 0, state)
            outcomes.append("won")
        except ConflictError:
            outcomes.append("lost")

    threads = [
        threading.Thread(target=write, args=(s, t)) for s, t in zip(stores, "ab", strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["lost", "won"]
    assert len(stores[1].events(case_id)) == 1
    for store in stores:
        store.close()


def test_erased_party_leaves_no_trace_in_the_database(url: str) -> None:
    store = SqlStore.open(url)
    person = Party(name="Fatima Yılmaz", email="fatima@example.nl", phone="0687654321")
    record, state = make_case(parties=[(person, PartyRole.COMPLAINANT)])
    store.ingest([(record, state)])
    store.erase_party(person.id)
    with store.engine.connect() as conn:
        dump = "\n".join(conn.connection.driver_connection.iterdump())
    for trace in ("Fatima", "fatima@example.nl", "0687654321", person.id.hex):
        assert trace not in dump
    assert record.feedback.text.replace("'", "''") in dump
    store.close()


@pytest.mark.parametrize("memory_url", ["sqlite://", "sqlite:///:memory:"])
def test_an_sqlite_store_needs_a_file(memory_url: str) -> None:
    with pytest.raises(FeedbackkitError, match="memory://"):
        SqlStore.open(memory_url)

"""Parallel bulk ingest: a forked writer process inserts one batch while the ingesting
process makes the next; what ends up stored is exactly what a serial ingest stores.

Runs on SQLite and on a real PostgreSQL 15 (the ``postgres_url`` fixture)."""

from __future__ import annotations

import os
import pickle
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import attrs
import pytest

from feedbackkit.demo import generate
from feedbackkit.errors import (
    ConflictError,
    FeedbackkitError,
    IllegalActionError,
    InterchangeError,
    NotFoundError,
    ValidationError,
)
from feedbackkit.models import CaseRecord
from feedbackkit.service import FeedbackKit
from feedbackkit.storage.checks import canonical_record
from feedbackkit.storage.sql import SqlStore
from feedbackkit.storage.writer import WriterProcess

BATCH = 4
SIZE = 3 * BATCH + 3


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'parallel.sqlite'}"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def kit(url: str) -> Iterator[FeedbackKit]:
    with FeedbackKit(SqlStore.open(url, batch_size=BATCH)) as kit:
        yield kit


def demo(size: int = SIZE, seed: int = 11) -> list[CaseRecord]:
    return list(generate(size, seed=seed))


def test_every_case_reads_back_with_its_state_and_terms(kit: FeedbackKit) -> None:
    records = demo()
    report = kit.ingest(records, parallel=True)
    assert (report.inserted, report.skipped) == (SIZE, 0)
    store = kit.store
    assert isinstance(store, SqlStore)
    terms = 0
    for record in records:
        prepared, state = kit.prepare(record)
        assert store.record(record.feedback.id) == canonical_record(prepared)
        assert store.case_state(record.feedback.id) == state
        terms += len(kit.terms(record.feedback, record.events, state.procedure))
    with store.engine.connect() as conn:
        stored_terms = conn.exec_driver_sql("SELECT count(*) FROM case_terms").scalar()
        facts = conn.exec_driver_sql("SELECT count(*) FROM case_facts").scalar()
    assert (stored_terms, facts) == (terms, SIZE)


def test_a_rerun_skips_everything_and_a_partial_input_adds_what_is_missing(
    kit: FeedbackKit,
) -> None:
    records = demo()
    kit.ingest(records[: BATCH + 1])  # serially: the first batch and one case more
    report = kit.ingest(records + records[:2], parallel=True)
    assert (report.inserted, report.skipped) == (SIZE - BATCH - 1, BATCH + 1 + 2)
    again = kit.ingest(records, parallel=True)
    assert (again.inserted, again.skipped) == (0, SIZE)
    assert kit.count() == SIZE


def test_cases_stored_meanwhile_are_left_out_by_the_writer(kit: FeedbackKit) -> None:
    """The ingesting process looked before another writer stored some of the batch:
    the writer looks again in its own transaction and writes only the rest."""
    store = kit.store
    assert isinstance(store, SqlStore)
    items = [kit.prepare(r) for r in demo(6)]
    rows = store._rows(items, stored=set())
    store.ingest([items[1], items[4]])  # another writer, in between
    assert store._write_rows(rows) == 4
    assert kit.count() == 6
    for record, state in items:
        assert store.record(record.feedback.id) == canonical_record(record)
        assert store.case_state(record.feedback.id) == state


def test_a_clash_in_a_later_batch_is_the_typed_error_and_earlier_batches_stay(
    kit: FeedbackKit,
) -> None:
    records = demo()
    kit.ingest(records[:1])
    clashing = records[2 * BATCH + 1]
    stolen = attrs.evolve(clashing.events[0], id=records[0].events[0].id)  # a stored event id
    bad = attrs.evolve(clashing, events=(stolen, *clashing.events[1:]))
    items = [*records[1 : 2 * BATCH + 1], bad, *records[2 * BATCH + 2 :]]
    with pytest.raises(ValidationError) as raised:
        kit.ingest(items, parallel=True)
    assert raised.value.field == "store"
    stored = {state.case_id for state in kit.store.query()}
    assert {r.feedback.id for r in records[: 2 * BATCH + 1]} <= stored  # batches before it
    assert bad.feedback.id not in stored
    assert not {r.feedback.id for r in records[2 * BATCH + 2 :]} & stored  # nothing after it


def test_parallel_and_serial_ingest_write_the_same_rows(tmp_path: Path) -> None:
    records = demo(5 * BATCH + 1, seed=5)
    dumps = []
    for parallel in (False, True):
        path = tmp_path / f"parallel-{parallel}.sqlite"
        with FeedbackKit(SqlStore.open(f"sqlite:///{path}", batch_size=BATCH)) as kit:
            kit.ingest(records, parallel=parallel)
        dumps.append(dump(path))
    assert dumps[0] == dumps[1]
    assert dumps[0]["feedback"]
    assert dumps[0]["case_terms"]


def dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, sorted."""
    with sqlite3.connect(path) as conn:
        tables = [t for (t,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: sorted(conn.execute(f"SELECT * FROM {t}"), key=repr) for t in tables}


# -- the writer process ---------------------------------------------------------------


def counting() -> Iterator[Callable[[list[int]], int]]:
    yield len


def dying() -> Iterator[Callable[[list[int]], int]]:
    def write(batch: list[int]) -> int:
        os._exit(3)

    yield write


def refusing() -> Iterator[Callable[[list[int]], int]]:
    def write(batch: list[int]) -> int:
        if 0 in batch:
            raise ValidationError("store", "clashes with stored data: batch with a 0")
        return len(batch)

    yield write


def write_all(open: Callable[[], Iterator[Callable[[list[int]], int]]], *batches: list[int]) -> int:
    with WriterProcess(contextmanager(open)) as writer:
        for batch in batches:
            writer.send(batch)
        return writer.finish()


def test_the_writer_reports_what_it_stored() -> None:
    assert write_all(counting, [1, 2, 3], [], [4, 5, 6, 7, 8]) == 8


def test_an_error_in_the_writer_is_raised_as_the_same_typed_error() -> None:
    with pytest.raises(ValidationError) as raised:
        write_all(refusing, [1, 2], [0], [3])
    assert (raised.value.field, raised.value.message) == (
        "store",
        "clashes with stored data: batch with a 0",
    )


def test_a_writer_that_dies_is_an_error_naming_its_exit() -> None:
    with pytest.raises(FeedbackkitError, match="exit code 3"):
        write_all(dying, [1], [2])


@pytest.mark.parametrize(
    "error",
    [
        ValidationError("events.at", "lies before receipt"),
        IllegalActionError("klacht", "ontvangen", "close", ["acknowledge"]),
        NotFoundError("case", uuid.UUID(int=7)),
        ConflictError(uuid.UUID(int=7), 2, 3),
        InterchangeError(12, "kind", "unknown"),
    ],
)
def test_typed_errors_cross_processes_unchanged(error: FeedbackkitError) -> None:
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert str(copy) == str(error)
    assert vars(copy) == vars(error)

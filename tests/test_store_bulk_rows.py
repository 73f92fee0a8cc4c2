"""The bulk path's rows equal what SQLAlchemy Core binds for the converter's row dicts (and
for the deadline terms' rows)."""

from __future__ import annotations

import pickle
import uuid
from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

import attrs
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from sqlalchemy.dialects import sqlite

from feedbackkit.builtin.procedures import builtin_procedures
from feedbackkit.clock import AMSTERDAM
from feedbackkit.converter import unstructure
from feedbackkit.deadlines import AtwCalendar
from feedbackkit.models import CaseRecord, Event
from feedbackkit.plugins import load_plugins
from feedbackkit.storage import schema
from feedbackkit.storage.bulk import CaseEncoder
from feedbackkit.storage.sql import EVENT, FEEDBACK, OUTCOME, PARTY, STATE, SqlStore, _Rows
from feedbackkit.storage.terms import CaseTerm, term_tracker
from feedbackkit.testing import strategies as fst
from feedbackkit.testing.contract import make_case
from feedbackkit.workflow.case import CaseState, derive

TABLES = {
    "feedback": schema.feedback,
    "tags": schema.feedback_tags,
    "links": schema.feedback_links,
    "refs": schema.feedback_parties,
    "parties": schema.parties,
    "events": schema.events,
    "cases": schema.cases,
    "outcomes": schema.outcomes,
}
PROCEDURES = {p.name: p for p in builtin_procedures()}
TERMS = term_tracker(load_plugins(entry_point_plugins=False).deadline_policies(), AtwCalendar())


@pytest.fixture(scope="module")
def engine() -> sa.Engine:
    """A plain SQLAlchemy SQLite engine recording the parameters it hands the driver."""
    engine = sa.create_engine("sqlite://")
    schema.metadata.create_all(engine)
    engine.sent = defaultdict(list)  # type: ignore[attr-defined]

    @sa.event.listens_for(engine, "before_cursor_execute")
    def record(conn: Any, cursor: Any, sql: str, params: Any, context: Any, many: bool) -> None:
        table = sql.split()[2]
        engine.sent[table].extend(params if many else [params])  # type: ignore[attr-defined]

    return engine


def reference(engine: sa.Engine, record: CaseRecord, state: CaseState) -> dict[str, list[Any]]:
    """The driver parameters of Core INSERTs of the converter's rows, per table."""
    data = unstructure(record.feedback)
    cid = data["id"]
    rows = {
        "tags": [{"case_id": cid, "tag": tag} for tag in data["tags"]],
        "links": [{"case_id": cid, "position": i, **x} for i, x in enumerate(data["links"], 1)],
        "refs": [{"case_id": cid, "position": i, **x} for i, x in enumerate(data["parties"], 1)],
        "feedback": [FEEDBACK.split(data)],
        "parties": [PARTY.row(p) for p in record.parties],
        "events": [EVENT.row(e) for e in record.events],
        "cases": [STATE.row(state)],
        "outcomes": [OUTCOME.row(o) for o in record.outcomes],
    }
    engine.sent.clear()  # type: ignore[attr-defined]
    with engine.begin() as conn:
        for name, table in TABLES.items():
            if rows[name]:
                conn.execute(sqlite.insert(table).on_conflict_do_nothing(), rows[name])
        conn.rollback()
    return {name: list(engine.sent[table.name]) for name, table in TABLES.items()}  # type: ignore[attr-defined]


def encoder(engine: sa.Engine, *, defer: bool = False) -> CaseEncoder:
    """The encoder a SQL store on ``engine`` ingests with (``defer``: a parallel ingest's)."""
    store = SqlStore(engine)
    return store._defer if defer else store._encode


def encoded(engine: sa.Engine, record: CaseRecord, state: CaseState) -> dict[str, list[Any]]:
    rows = _Rows()
    encoder(engine)(rows, record, state)
    return {name: getattr(rows, name) for name in TABLES}


def state_of(record: CaseRecord) -> CaseState:
    assert record.feedback.procedure is not None
    return derive(PROCEDURES[record.feedback.procedure], record.feedback.id, record.events)


def term_reference(engine: sa.Engine, terms: tuple[CaseTerm, ...]) -> list[Any]:
    """The driver parameters of a Core INSERT of the terms as the column types take them."""
    rows = [
        attrs.asdict(t, recurse=False) | {"case_id": str(t.case_id), "status": t.status.value}
        for t in terms
    ]
    engine.sent.clear()  # type: ignore[attr-defined]
    with engine.begin() as conn:
        conn.execute(schema.case_terms.insert(), rows)
        conn.rollback()
    return list(engine.sent["case_terms"])  # type: ignore[attr-defined]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(record=fst.case_records())
def test_the_bulk_rows_are_the_converters_rows_bound_by_core(
    engine: sa.Engine, record: CaseRecord
) -> None:
    state = state_of(record)
    assert encoded(engine, record, state) == reference(engine, record, state)


def test_moments_in_the_hour_that_occurs_twice_stay_apart(engine: sa.Engine) -> None:
    record, state = make_case(received_at=datetime(2026, 10, 25, 1, 0, tzinfo=AMSTERDAM))
    twice = datetime(2026, 10, 25, 2, 30, tzinfo=AMSTERDAM)
    events = tuple(
        Event(record.feedback.id, seq, "note", "balie", at, payload={"text": "x"})
        for seq, at in enumerate((twice, twice.replace(fold=1)), start=1)
    )
    record = CaseRecord(record.feedback, record.parties, events)
    state = derive(PROCEDURES["awb_complaint"], record.feedback.id, events)
    rows = encoded(engine, record, state)
    assert [row[5] for row in rows["events"]] == [
        "2026-10-25T00:30:00.000000+00:00",
        "2026-10-25T01:30:00.000000+00:00",
    ]
    assert rows == reference(engine, record, state)


def test_payload_values_that_are_no_json_go_through_the_converter(engine: sa.Engine) -> None:
    record, _ = make_case()
    at = record.feedback.received_at + timedelta(hours=1)
    payload: dict[str, Any] = {"text": "x", "moment": at, "case": uuid.uuid4(), "empty": {}}
    events = (Event(record.feedback.id, 1, "note", "balie", at, payload=payload),)
    record = CaseRecord(record.feedback, record.parties, events)
    state = derive(PROCEDURES["awb_complaint"], record.feedback.id, events)
    rows = encoded(engine, record, state)
    assert rows == reference(engine, record, state)
    assert str(payload["case"]) in rows["events"][0][7]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(record=fst.case_records())
def test_the_term_rows_are_the_terms_bound_by_core(engine: sa.Engine, record: CaseRecord) -> None:
    state = state_of(record)
    terms = TERMS(record.feedback, record.events, state.procedure)
    encode = encoder(engine).term
    assert [encode(t) for t in terms] == term_reference(engine, terms)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(record=fst.case_records())
def test_deferred_rows_finished_in_another_process_are_the_bulk_rows(
    engine: sa.Engine, record: CaseRecord
) -> None:
    """A parallel ingest's rows: moments and JSON left as values, pickled to the writer,
    bound there."""
    state = state_of(record)
    deferring = encoder(engine, defer=True)
    rows = _Rows()
    deferring(rows, record, state)
    sent = pickle.loads(pickle.dumps(rows))
    encoder(engine, defer=True).finish(sent)  # the writer compiles its own
    assert {name: getattr(sent, name) for name in TABLES} == encoded(engine, record, state)
    assert set(deferring.deferred) == {"feedback", "events", "cases", "outcomes"}

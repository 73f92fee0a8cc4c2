"""The SQL store on SQLAlchemy Core: SQLite by default; PostgreSQL runs the same code.

Writes are one transaction each (ingest: one per batch, with executemany).
``append`` is guarded by a conditional ``UPDATE`` of ``cases.version``, so of two
writers holding the same version exactly one wins. Reads stream in chunks
(``yield_per``; a server-side cursor where the driver has one).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import attrs
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from feedbackkit.converter import unstructure
from feedbackkit.errors import ConflictError, FeedbackkitError, NotFoundError, ValidationError
from feedbackkit.learning.models import GoldenFlag, ImprovementAction, Recovery, ThemeAssignment
from feedbackkit.migrations import ensure_head
from feedbackkit.models import CaseRecord, Event, Feedback, Link, Party, RelationshipOutcome
from feedbackkit.storage import schema
from feedbackkit.storage.bulk import BulkInsert, CaseEncoder
from feedbackkit.storage.checks import check_append, checked_batches
from feedbackkit.storage.engine import WRITE, make_engine
from feedbackkit.storage.protocol import IngestReport, Query
from feedbackkit.storage.rows import RowMap
from feedbackkit.storage.terms import TermTracker, case_fact, lead_seconds, outcome_facts
from feedbackkit.storage.writer import WriterProcess, can_fork
from feedbackkit.workflow.case import CaseState

__all__ = ["SqlStore"]

FEEDBACK = RowMap(Feedback, schema.feedback, children=frozenset({"tags", "links", "parties"}))
PARTY = RowMap(Party, schema.parties)
EVENT = RowMap(Event, schema.events)
STATE = RowMap(CaseState, schema.cases)
OUTCOME = RowMap(RelationshipOutcome, schema.outcomes)
THEME = RowMap(ThemeAssignment, schema.theme_assignments)
RECOVERY = RowMap(Recovery, schema.recoveries)
GOLDEN = RowMap(GoldenFlag, schema.golden_flags)
ACTION = RowMap(
    ImprovementAction,
    schema.improvement_actions,
    children=frozenset({"cases", "themes", "notices"}),
)

_INSERTS: dict[str, Callable[[sa.Table], Any]] = {
    "sqlite": sqlite.insert,
    "postgresql": postgresql.insert,
}
"""Each dialect's INSERT with ``ON CONFLICT`` (same API on both)."""

_ALL = Query()
_LOOKUP_CHUNK = 5_000
"""Ids per ``IN (...)`` lookup: below every supported database's parameter limit."""

_TAKE_TURNS = {"postgresql": f"SELECT pg_advisory_xact_lock({0x696E_6765_7374})"}  # "ingest"
"""Per dialect, what an ingest transaction runs first so that concurrent ingests take
turns (SQLite's ``BEGIN IMMEDIATE`` already does): each looks up the stored cases
after the one before it committed, so none inserts a case twice or deadlocks on a
shared party."""


class _Raced(Exception):
    """Another writer stored some of the batch's cases after we looked: redo the batch.

    Cannot happen between feedbackkit's own ingests, which take turns (SQLite's write
    lock, :data:`_TAKE_TURNS` on PostgreSQL); guards against other writers of the tables.
    """


_TABLES = (
    *("feedback", "tags", "links", "refs", "parties", "events", "cases", "outcomes", "terms"),
    "facts",
)
"""The tables of a bulk ingest, in the order they are written (:class:`_Rows` fields)."""
WRITER_CACHE_KIB = 32_768
"""SQLite's page cache in a parallel ingest's writer process, in KiB: half the usual, so
that the importer and the writer together stay within what a serial ingest holds
(see ``docs/performance.md``)."""
_KEPT_RACING = "ingest: concurrent writers kept storing the same cases"


@attrs.define
class _Rows:
    """The rows of a batch of new cases, per table, prepared once for executemany
    (driver values made by :class:`~feedbackkit.storage.bulk.CaseEncoder`; the facts
    as mappings), with each case's id and where its rows end."""

    feedback: list[Any] = attrs.Factory(list)
    tags: list[Any] = attrs.Factory(list)
    links: list[Any] = attrs.Factory(list)
    refs: list[Any] = attrs.Factory(list)
    parties: list[Any] = attrs.Factory(list)
    events: list[Any] = attrs.Factory(list)
    cases: list[Any] = attrs.Factory(list)
    outcomes: list[Any] = attrs.Factory(list)
    terms: list[Any] = attrs.Factory(list)
    facts: list[Any] = attrs.Factory(list)
    ids: list[str] = attrs.Factory(list)
    """The cases, in order."""
    ends: list[tuple[int, ...]] = attrs.Factory(list)
    """Per case: the length of every table's list (:data:`_TABLES`) after its rows."""

    def mark(self, case_id: str) -> None:
        """Close the rows of ``case_id`` (added since the previous mark)."""
        self.ids.append(case_id)
        self.ends.append(tuple(len(getattr(self, name)) for name in _TABLES))

    def without(self, stored: set[str]) -> _Rows:
        """These rows but those of the cases in ``stored``."""
        kept = _Rows()
        start = (0,) * len(_TABLES)
        for case_id, end in zip(self.ids, self.ends, strict=True):
            if case_id not in stored:
                for name, first, last in zip(_TABLES, start, end, strict=True):
                    getattr(kept, name).extend(getattr(self, name)[first:last])
                kept.mark(case_id)
            start = end
        return kept


class SqlStore:
    """A :class:`~feedbackkit.storage.protocol.Store` on any SQLAlchemy engine of a
    supported dialect (SQLite, PostgreSQL). Thread-safe: every call takes its own
    connection from the engine's pool."""

    def __init__(self, engine: sa.Engine, *, batch_size: int = 5_000, read_chunk: int = 500):
        try:
            insert = _INSERTS[engine.dialect.name]
        except KeyError:
            raise FeedbackkitError(
                f"the SQL store supports {', '.join(_INSERTS)}, not {engine.dialect.name}"
            ) from None
        self.engine = engine
        self.batch_size = batch_size
        """Cases per ingest transaction."""
        self.read_chunk = read_chunk
        """Rows fetched at a time when streaming."""
        self._new_link = insert(schema.feedback_links).on_conflict_do_nothing()
        self._new_outcome = insert(schema.outcomes).on_conflict_do_nothing()
        self._bulk = {
            name: BulkInsert.compile(stmt, engine.dialect)
            for name, stmt in (
                ("parties", insert(schema.parties).on_conflict_do_nothing()),
                ("feedback", insert(schema.feedback).on_conflict_do_nothing()),
                ("tags", schema.feedback_tags.insert()),
                ("links", self._new_link),
                ("refs", schema.feedback_parties.insert()),
                ("events", schema.events.insert()),
                ("cases", schema.cases.insert()),
                ("outcomes", schema.outcomes.insert()),
                ("terms", schema.case_terms.insert()),
                ("facts", schema.case_facts.insert()),
            )
        }
        """Ingest statements by :class:`_Rows` field, in the order they run."""
        self._encode, self._defer = (
            CaseEncoder.compile(
                engine.dialect,
                self._bulk,
                defer=defer,
                feedback=FEEDBACK,
                parties=PARTY,
                events=EVENT,
                cases=STATE,
                outcomes=OUTCOME,
            )
            for defer in (False, True)
        )
        """Rows of whole cases; ``_defer`` leaves moments and JSON for a writer process."""
        self._terms: TermTracker | None = None
        self._put_party = _upsert(insert, schema.parties)
        self._put_theme = _upsert(insert, schema.theme_assignments)
        self._put_recovery = _upsert(insert, schema.recoveries)
        self._put_golden = _upsert(insert, schema.golden_flags)
        self._put_action = _upsert(insert, schema.improvement_actions)

    @classmethod
    def open(cls, url: str | sa.URL, **options: int) -> SqlStore:
        """Open the database at ``url``, upgrading its schema to head first."""
        engine = make_engine(url)
        try:
            ensure_head(engine)
            return cls(engine, **options)
        except BaseException:
            engine.dispose()
            raise

    @contextmanager
    def _write(self) -> Iterator[sa.Connection]:
        with self.engine.connect() as conn:
            conn.execution_options(**{WRITE: True})
            with conn.begin(), _integrity():
                yield conn

    @contextmanager
    def _read(self) -> Iterator[sa.Connection]:
        with self.engine.connect() as conn, conn.begin():
            yield conn

    # -- writing ----------------------------------------------------------------------

    def ingest(self, items: Iterable[tuple[CaseRecord, CaseState]]) -> IngestReport:
        inserted = skipped = 0
        for batch in checked_batches(items, self.batch_size):
            new = self._ingest_batch(batch.items)
            inserted += new
            skipped += batch.duplicates + len(batch.items) - new
        return IngestReport(inserted=inserted, skipped=skipped)

    def ingest_parallel(self, items: Iterable[tuple[CaseRecord, CaseState]]) -> IngestReport:
        """:meth:`ingest`, with the database writes in a forked writer process
        (:mod:`~feedbackkit.storage.writer`): this process makes a batch's rows while
        the writer inserts the batch before. Batches are half :attr:`batch_size`, so
        that the two processes together hold about what a serial ingest holds. The
        writer is forked first thing, while this process's memory is smallest (fewer
        pages shared copy-on-write). Serial where the platform cannot fork."""
        if not can_fork():
            return self.ingest(items)
        offered = skipped = 0
        with WriterProcess(self._writer) as writer:
            for batch in checked_batches(items, max(1, self.batch_size // 2)):
                with self._read() as conn:
                    stored = _existing(conn, [str(r.feedback.id) for r, _ in batch.items])
                rows = self._rows(batch.items, stored, self._defer)
                offered += len(rows.ids)
                skipped += batch.duplicates + len(stored)
                writer.send(rows)
            inserted = writer.finish()
        return IngestReport(inserted=inserted, skipped=skipped + offered - inserted)

    @contextmanager
    def _writer(self) -> Iterator[Callable[[_Rows], int]]:
        """In a writer process: this store's writes on a new engine (the inherited one
        and its connections are left alone)."""
        engine = make_engine(self.engine.url, cache_kib=WRITER_CACHE_KIB)
        store = SqlStore(engine, batch_size=self.batch_size)

        def write(rows: _Rows) -> int:
            store._defer.finish(rows)
            return store._write_rows(rows)

        try:
            yield write
        finally:
            store.close()

    def _rows(
        self,
        items: Sequence[tuple[CaseRecord, CaseState]],
        stored: set[str],
        encode: CaseEncoder | None = None,
    ) -> _Rows:
        """The rows of the cases of ``items`` not in ``stored`` (made by ``encode``,
        this store's full encoder by default)."""
        encode = encode or self._encode
        rows = _Rows()
        for record, state in items:
            case_id = str(record.feedback.id)
            if case_id not in stored:
                encode(rows, record, state)
                self._add_terms(rows.terms, record.feedback, record.events, state)
                rows.facts.append(case_fact(record.feedback, state, record.outcomes))
                rows.mark(case_id)
        return rows

    def _ingest_batch(self, items: Sequence[tuple[CaseRecord, CaseState]]) -> int:
        """Insert the cases of ``items`` not stored yet, in one transaction; how many."""
        for _ in range(3):
            try:
                with self._write() as conn:
                    stored = self._take_turn(conn, [str(r.feedback.id) for r, _ in items])
                    return self._insert(conn, self._rows(items, stored))
            except _Raced:
                continue
        raise FeedbackkitError(_KEPT_RACING)

    def _write_rows(self, rows: _Rows) -> int:
        """Insert ``rows`` but those of cases stored meanwhile, in one transaction; how many."""
        for _ in range(3):
            try:
                with self._write() as conn:
                    stored = self._take_turn(conn, rows.ids)
                    return self._insert(conn, rows.without(stored) if stored else rows)
            except _Raced:
                continue
        raise FeedbackkitError(_KEPT_RACING)

    @staticmethod
    def _take_turn(conn: sa.Connection, ids: Sequence[str]) -> set[str]:
        """Wait for other ingests (:data:`_TAKE_TURNS`); which of ``ids`` are stored."""
        if conn.dialect.name in _TAKE_TURNS:
            conn.exec_driver_sql(_TAKE_TURNS[conn.dialect.name])
        return _existing(conn, ids)

    def _insert(self, conn: sa.Connection, rows: _Rows) -> int:
        """Write ``rows``; how many cases."""
        for name, bulk in self._bulk.items():
            table_rows = getattr(rows, name)
            if not table_rows:
                continue
            written = bulk.execute(conn, table_rows)
            if (
                name == "feedback"
                and written != len(table_rows)
                and conn.dialect.supports_sane_multi_rowcount
            ):
                raise _Raced
        return len(rows.feedback)

    def append(
        self, case_id: uuid.UUID, events: Sequence[Event], expected_version: int, state: CaseState
    ) -> None:
        check_append(case_id, events, expected_version, state)
        cases = schema.cases
        summary = STATE.row(state)
        del summary["case_id"]
        with self._write() as conn:
            updated = conn.execute(
                cases.update()
                .where(cases.c.case_id == str(case_id), cases.c.version == expected_version)
                .values(summary)
            ).rowcount
            if updated != 1:
                actual = conn.scalar(
                    sa.select(cases.c.version).where(cases.c.case_id == str(case_id))
                )
                if actual is None:
                    raise NotFoundError("case", case_id)
                raise ConflictError(case_id, expected_version, actual)
            if events:
                self._bulk["events"].execute(conn, [EVENT.row(e) for e in events])
            self._update_facts(conn, case_id, state)
            if self._terms is not None:
                self._replace_terms(conn, case_id, state)

    # -- case terms (feedbackkit.storage.terms): deadlines for in-database metrics ----

    def track_terms(self, tracker: TermTracker | None) -> None:
        """Store the terms ``tracker`` computes for every case written from now on."""
        self._terms = tracker

    def _add_terms(
        self,
        rows: list[Any],
        feedback: Feedback,
        events: Sequence[Event],
        state: CaseState,
    ) -> None:
        if self._terms is not None:
            rows.extend(map(self._encode.term, self._terms(feedback, events, state.procedure)))

    def _update_facts(self, conn: sa.Connection, case_id: uuid.UUID, state: CaseState) -> None:
        """Bring the case's ``case_facts`` row up to date with its new summary."""
        facts = schema.case_facts
        received = conn.execute(
            sa.select(schema.feedback.c.received_at).where(schema.feedback.c.id == str(case_id))
        ).scalar_one()
        lead = None if state.done_at is None else lead_seconds(received, state.done_at)
        conn.execute(
            facts.update()
            .where(facts.c.case_id == str(case_id))
            .values(procedure=state.procedure, done_at=state.done_at, lead_seconds=lead)
        )

    def _replace_terms(self, conn: sa.Connection, case_id: uuid.UUID, state: CaseState) -> None:
        """Recompute the terms of a case from its stored history, inside the write."""
        feedback = schema.feedback
        row = conn.execute(sa.select(*FEEDBACK.columns).where(feedback.c.id == str(case_id))).one()
        record = _load(conn, [row])[0]
        terms = schema.case_terms
        conn.execute(terms.delete().where(terms.c.case_id == str(case_id)))
        fresh: list[Any] = []
        self._add_terms(fresh, record.feedback, record.events, state)
        if fresh:
            self._bulk["terms"].execute(conn, fresh)

    def add_link(self, case_id: uuid.UUID, link: Link) -> None:
        links = schema.feedback_links
        with self._write() as conn:
            _lock_case(conn, case_id)
            position = conn.scalar(
                sa.select(sa.func.coalesce(sa.func.max(links.c.position), 0) + 1).where(
                    links.c.case_id == str(case_id)
                )
            )
            row = {"case_id": str(case_id), "position": position, **unstructure(link)}
            conn.execute(self._new_link, row)

    def add_outcome(self, outcome: RelationshipOutcome) -> None:
        with self._write() as conn:
            _lock_case(conn, outcome.case_id)
            conn.execute(self._new_outcome, OUTCOME.row(outcome))
            _keep_latest_outcome(conn, outcome.case_id)

    def put_party(self, party: Party) -> None:
        with self._write() as conn:
            conn.execute(self._put_party, PARTY.row(party))

    def erase_party(self, party_id: uuid.UUID) -> None:
        pid = str(party_id)
        with self._write() as conn:
            refs = schema.feedback_parties
            parties = schema.parties
            conn.execute(refs.delete().where(refs.c.party_id == pid))
            if conn.execute(parties.delete().where(parties.c.id == pid)).rowcount != 1:
                raise NotFoundError("party", party_id)

    # -- reading ----------------------------------------------------------------------

    def record(self, case_id: uuid.UUID) -> CaseRecord:
        feedback = schema.feedback
        with self._read() as conn:
            row = conn.execute(
                sa.select(*FEEDBACK.columns).where(feedback.c.id == str(case_id))
            ).first()
            if row is None:
                raise NotFoundError("case", case_id)
            return _load(conn, [row])[0]

    def feedback(self, case_id: uuid.UUID) -> Feedback:
        return self.record(case_id).feedback

    def events(self, case_id: uuid.UUID) -> tuple[Event, ...]:
        events = schema.events
        with self._read() as conn:
            rows = conn.execute(
                sa.select(*EVENT.columns)
                .where(events.c.case_id == str(case_id))
                .order_by(events.c.seq)
            ).all()
            if not rows:
                _require_case(conn, case_id)
        return tuple(EVENT.load(r._mapping) for r in rows)

    def case_state(self, case_id: uuid.UUID) -> CaseState:
        with self._read() as conn:
            row = conn.execute(
                sa.select(*STATE.columns).where(schema.cases.c.case_id == str(case_id))
            ).first()
        if row is None:
            raise NotFoundError("case", case_id)
        return STATE.load(row._mapping)

    def outcomes(self, case_id: uuid.UUID) -> tuple[RelationshipOutcome, ...]:
        outcomes = schema.outcomes
        with self._read() as conn:
            rows = conn.execute(
                sa.select(*OUTCOME.columns)
                .where(outcomes.c.case_id == str(case_id))
                .order_by(outcomes.c.recorded_at, outcomes.c.id)
            ).all()
            if not rows:
                _require_case(conn, case_id)
        return tuple(OUTCOME.load(r._mapping) for r in rows)

    def party(self, party_id: uuid.UUID) -> Party:
        parties = schema.parties
        with self._read() as conn:
            row = conn.execute(
                sa.select(*PARTY.columns).where(parties.c.id == str(party_id))
            ).first()
        if row is None:
            raise NotFoundError("party", party_id)
        return PARTY.load(row._mapping)

    def query(self, query: Query = _ALL) -> Iterator[CaseState]:
        with self._read() as conn:
            result = conn.execute(
                _select(STATE.columns, query), execution_options={"yield_per": self.read_chunk}
            )
            for row in result:
                yield STATE.load(row._mapping)

    def count(self, query: Query = _ALL) -> int:
        matching = _select([schema.feedback.c.id], query).subquery()
        with self._read() as conn:
            return conn.scalar(sa.select(sa.func.count()).select_from(matching)) or 0

    def records(self, query: Query = _ALL) -> Iterator[CaseRecord]:
        with self._read() as conn:
            result = conn.execute(
                _select(FEEDBACK.columns, query), execution_options={"yield_per": self.read_chunk}
            )
            for rows in result.partitions():
                yield from _load(conn, rows)

    def feedback_items(self, query: Query = _ALL) -> Iterator[Feedback]:
        with self._read() as conn:
            result = conn.execute(
                _select(FEEDBACK.columns, query), execution_options={"yield_per": self.read_chunk}
            )
            for rows in result.partitions():
                yield from _load_feedback(conn, rows)

    # -- the learning loop ------------------------------------------------------------

    def put_themes(self, assignments: Iterable[ThemeAssignment]) -> None:
        rows = [THEME.row(a) for a in assignments]
        if not rows:
            return
        with self._write() as conn:
            _require_cases(conn, {r["case_id"] for r in rows})
            for start in range(0, len(rows), _LOOKUP_CHUNK):
                conn.execute(self._put_theme, rows[start : start + _LOOKUP_CHUNK])

    def themes(self, case_ids: Iterable[uuid.UUID] | None = None) -> tuple[ThemeAssignment, ...]:
        table = schema.theme_assignments
        stmt = sa.select(*THEME.columns).order_by(table.c.case_id, table.c.theme)
        with self._read() as conn:
            if case_ids is None:
                return tuple(THEME.load(r._mapping) for r in conn.execute(stmt))
            ids = sorted({str(i) for i in case_ids})
            found = []
            for start in range(0, len(ids), _LOOKUP_CHUNK):
                chunk = ids[start : start + _LOOKUP_CHUNK]
                found += [
                    THEME.load(r._mapping)
                    for r in conn.execute(stmt.where(table.c.case_id.in_(chunk)))
                ]
        return tuple(found)

    def put_recovery(self, recovery: Recovery) -> None:
        with self._write() as conn:
            _require_cases(conn, {str(recovery.source_id), str(recovery.case_id)})
            conn.execute(self._put_recovery, RECOVERY.row(recovery))

    def recoveries(self, source_id: uuid.UUID | None = None) -> tuple[Recovery, ...]:
        table = schema.recoveries
        stmt = sa.select(*RECOVERY.columns).order_by(table.c.source_id, table.c.case_id)
        if source_id is not None:
            stmt = stmt.where(table.c.source_id == str(source_id))
        with self._read() as conn:
            return tuple(RECOVERY.load(r._mapping) for r in conn.execute(stmt))

    def put_golden(self, flag: GoldenFlag) -> None:
        with self._write() as conn:
            _lock_case(conn, flag.case_id)
            conn.execute(self._put_golden, GOLDEN.row(flag))

    def golden_flags(self) -> tuple[GoldenFlag, ...]:
        table = schema.golden_flags
        stmt = sa.select(*GOLDEN.columns).order_by(table.c.flagged_at, table.c.case_id)
        with self._read() as conn:
            return tuple(GOLDEN.load(r._mapping) for r in conn.execute(stmt))

    def put_action(self, action: ImprovementAction) -> None:
        data = unstructure(action)
        aid = data["id"]
        children = {
            schema.improvement_action_cases: [
                {"action_id": aid, "position": i, "case_id": c}
                for i, c in enumerate(data["cases"], 1)
            ],
            schema.improvement_action_themes: [
                {"action_id": aid, "position": i, "theme": t}
                for i, t in enumerate(data["themes"], 1)
            ],
            schema.improvement_action_notices: [{"action_id": aid, **n} for n in data["notices"]],
        }
        with self._write() as conn:
            _require_cases(conn, set(data["cases"]))
            conn.execute(self._put_action, ACTION.split(data))
            for table, rows in children.items():
                conn.execute(table.delete().where(table.c.action_id == aid))
                if rows:
                    conn.execute(table.insert(), rows)

    def action(self, action_id: uuid.UUID) -> ImprovementAction:
        table = schema.improvement_actions
        with self._read() as conn:
            found = _load_actions(
                conn, sa.select(*ACTION.columns).where(table.c.id == str(action_id))
            )
        if not found:
            raise NotFoundError("improvement action", action_id)
        return found[0]

    def actions(self) -> tuple[ImprovementAction, ...]:
        table = schema.improvement_actions
        stmt = sa.select(*ACTION.columns).order_by(table.c.created_at, table.c.id)
        with self._read() as conn:
            return tuple(_load_actions(conn, stmt))

    def close(self) -> None:
        self.engine.dispose()


def _upsert(insert: Callable[[sa.Table], Any], table: sa.Table) -> Any:
    """``INSERT`` into ``table`` that replaces the row with the same primary key."""
    stmt = insert(table)
    keys = [c.name for c in table.primary_key.columns]
    return stmt.on_conflict_do_update(
        index_elements=keys,
        set_={c.name: stmt.excluded[c.name] for c in table.c if c.name not in keys},
    )


@contextmanager
def _integrity() -> Iterator[None]:
    """Constraint violations (e.g. an event id used twice) and values the database cannot
    hold (e.g. NUL in PostgreSQL text) as a typed error."""
    try:
        yield
    except sa.exc.IntegrityError as exc:
        raise ValidationError("store", f"clashes with stored data: {exc.orig}") from exc
    except sa.exc.DataError as exc:
        raise ValidationError("store", f"cannot hold the data: {exc.orig}") from exc


def _existing(conn: sa.Connection, ids: Sequence[str]) -> set[str]:
    """Which of ``ids`` are stored cases."""
    column = schema.feedback.c.id
    found: set[str] = set()
    for start in range(0, len(ids), _LOOKUP_CHUNK):
        chunk = ids[start : start + _LOOKUP_CHUNK]
        found.update(conn.scalars(sa.select(column).where(column.in_(chunk))))
    return found


def _require_case(conn: sa.Connection, case_id: uuid.UUID) -> None:
    cases = schema.cases
    if conn.scalar(sa.select(cases.c.case_id).where(cases.c.case_id == str(case_id))) is None:
        raise NotFoundError("case", case_id)


def _require_cases(conn: sa.Connection, case_ids: set[str]) -> None:
    """:class:`NotFoundError` naming the first of ``case_ids`` that is not a stored case."""
    missing = sorted(case_ids - _existing(conn, sorted(case_ids)))
    if missing:
        raise NotFoundError("case", missing[0])


def _load_actions(conn: sa.Connection, stmt: sa.Select[Any]) -> list[ImprovementAction]:
    """The improvement actions selected by ``stmt`` (``ACTION.columns``) with their children."""
    rows = conn.execute(stmt).all()
    ids = [row.id for row in rows]
    ac, at = schema.improvement_action_cases, schema.improvement_action_themes
    an = schema.improvement_action_notices
    children = {
        "cases": _group(
            conn,
            sa.select(ac.c.action_id, ac.c.case_id)
            .where(ac.c.action_id.in_(ids))
            .order_by(ac.c.position),
            "action_id",
        ),
        "themes": _group(
            conn,
            sa.select(at.c.action_id, at.c.theme)
            .where(at.c.action_id.in_(ids))
            .order_by(at.c.position),
            "action_id",
        ),
        "notices": _group(
            conn,
            sa.select(an).where(an.c.action_id.in_(ids)).order_by(an.c.at, an.c.case_id),
            "action_id",
        ),
    }
    return [
        ACTION.load(
            row._mapping,
            cases=[r["case_id"] for r in children["cases"][row.id]],
            themes=[r["theme"] for r in children["themes"][row.id]],
            notices=[
                {k: v for k, v in r.items() if k != "action_id"}
                for r in children["notices"][row.id]
            ],
        )
        for row in rows
    ]


def _keep_latest_outcome(conn: sa.Connection, case_id: uuid.UUID) -> None:
    """Bring the case's ``case_facts`` row up to date with its latest outcome."""
    outcomes, facts = schema.outcomes, schema.case_facts
    rows = conn.execute(sa.select(*OUTCOME.columns).where(outcomes.c.case_id == str(case_id))).all()
    latest = outcome_facts(OUTCOME.load(r._mapping) for r in rows)
    conn.execute(facts.update().where(facts.c.case_id == str(case_id)).values(latest))


def _lock_case(conn: sa.Connection, case_id: uuid.UUID) -> None:
    """Require the case and hold its summary row until commit (``FOR UPDATE`` where
    supported; SQLite's write transaction already excludes other writers)."""
    cases = schema.cases
    found = conn.scalar(
        sa.select(cases.c.case_id).where(cases.c.case_id == str(case_id)).with_for_update()
    )
    if found is None:
        raise NotFoundError("case", case_id)


def _select(columns: Sequence[sa.ColumnElement[Any]], query: Query) -> sa.Select[Any]:
    """``columns`` of the cases matching ``query``, ordered by receipt, then id."""
    f, c = schema.feedback, schema.cases
    stmt = sa.select(*columns).select_from(f.join(c, c.c.case_id == f.c.id))
    if query.kinds:
        stmt = stmt.where(f.c.kind.in_([str(k) for k in query.kinds]))
    if query.channels:
        stmt = stmt.where(f.c.channel.in_([str(ch) for ch in query.channels]))
    if query.procedures:
        stmt = stmt.where(c.c.procedure.in_(query.procedures))
    if query.states:
        stmt = stmt.where(c.c.state.in_(query.states))
    if query.received_from is not None:
        stmt = stmt.where(f.c.received_at >= query.received_from)
    if query.received_until is not None:
        stmt = stmt.where(f.c.received_at < query.received_until)
    if query.done is not None:
        stmt = stmt.where(c.c.done == query.done)
    if query.handler is not None:
        stmt = stmt.where(c.c.handler == query.handler)
    if query.tag is not None:
        tags = schema.feedback_tags
        stmt = stmt.where(sa.exists().where(tags.c.case_id == f.c.id, tags.c.tag == query.tag))
    if query.party_id is not None:
        refs = schema.feedback_parties
        stmt = stmt.where(
            sa.exists().where(refs.c.case_id == f.c.id, refs.c.party_id == str(query.party_id))
        )
    for column, value in (
        (f.c.reference, query.reference),
        (f.c.subject, query.subject),
        (f.c.org_unit, query.org_unit),
    ):
        if value is not None:
            stmt = stmt.where(column == value)
    stmt = stmt.order_by(f.c.received_at, f.c.id)
    if query.offset:
        stmt = stmt.offset(query.offset)
    if query.limit is not None:
        stmt = stmt.limit(query.limit)
    return stmt


def _load(conn: sa.Connection, rows: Sequence[sa.Row[Any]]) -> list[CaseRecord]:
    """Whole cases for feedback ``rows`` (selected with ``FEEDBACK.columns``): one query
    per child table for all of them."""
    ids = [row.id for row in rows]
    fp = schema.feedback_parties
    events = _group(
        conn,
        sa.select(*EVENT.columns)
        .where(schema.events.c.case_id.in_(ids))
        .order_by(schema.events.c.case_id, schema.events.c.seq),
    )
    outcomes = _group(
        conn,
        sa.select(*OUTCOME.columns)
        .where(schema.outcomes.c.case_id.in_(ids))
        .order_by(schema.outcomes.c.case_id, schema.outcomes.c.recorded_at, schema.outcomes.c.id),
    )
    party_rows = conn.execute(
        sa.select(*PARTY.columns).where(
            schema.parties.c.id.in_(sa.select(fp.c.party_id).where(fp.c.case_id.in_(ids)))
        )
    )
    parties = {uuid.UUID(row.id): PARTY.load(row._mapping) for row in party_rows}
    records = []
    for row, feedback in zip(rows, _load_feedback(conn, rows), strict=True):
        records.append(
            CaseRecord(
                feedback=feedback,
                parties=tuple(parties[i] for i in dict.fromkeys(feedback.party_ids())),
                events=tuple(EVENT.load(r) for r in events[row.id]),
                outcomes=tuple(OUTCOME.load(r) for r in outcomes[row.id]),
            )
        )
    return records


def _load_feedback(conn: sa.Connection, rows: Sequence[sa.Row[Any]]) -> list[Feedback]:
    """The feedback of ``rows`` (selected with ``FEEDBACK.columns``) with its tags, links and
    party roles."""
    ids = [row.id for row in rows]
    t, lk, fp = schema.feedback_tags, schema.feedback_links, schema.feedback_parties
    tags = _group(conn, sa.select(t.c.case_id, t.c.tag).where(t.c.case_id.in_(ids)))
    links = _group(
        conn,
        sa.select(lk.c.case_id, lk.c.type, lk.c.target)
        .where(lk.c.case_id.in_(ids))
        .order_by(lk.c.case_id, lk.c.position),
    )
    refs = _group(
        conn,
        sa.select(fp.c.case_id, fp.c.party_id, fp.c.role)
        .where(fp.c.case_id.in_(ids))
        .order_by(fp.c.case_id, fp.c.position),
    )
    return [
        FEEDBACK.load(
            row._mapping,
            tags=[r["tag"] for r in tags[row.id]],
            links=[{"type": r["type"], "target": r["target"]} for r in links[row.id]],
            parties=[{"party_id": r["party_id"], "role": r["role"]} for r in refs[row.id]],
        )
        for row in rows
    ]


def _group(
    conn: sa.Connection, stmt: sa.Select[Any], key: str = "case_id"
) -> defaultdict[str, list[sa.RowMapping]]:
    """Rows of ``stmt`` by their ``key`` column, in their order."""
    grouped: defaultdict[str, list[sa.RowMapping]] = defaultdict(list)
    for row in conn.execute(stmt).mappings():
        grouped[row[key]].append(row)
    return grouped

"""Several handler processes on one new database at once: no lost update, nothing twice.

HANDLERS real processes (``spawn``) start together at a barrier on an SQLite database
that does not exist yet, then on a PostgreSQL database without tables (the same
processes: starting them is the slow part). Each opens it (so they race to migrate
it), ingests the same cases (so they race to insert them) and then adds notes to those
cases through ``FeedbackKit.act``, retrying when another handler got there first
(``ConflictError``).
"""

from __future__ import annotations

import random
import traceback
from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timedelta
from multiprocessing import get_context
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from feedbackkit import migrations
from feedbackkit.clock import AMSTERDAM
from feedbackkit.errors import ConflictError
from feedbackkit.models import CaseRecord, Feedback
from feedbackkit.plugins import load_plugins
from feedbackkit.service import FeedbackKit

if TYPE_CHECKING:  # not imported by the handler processes: they start faster
    from feedbackkit.testing.postgres import PostgresServer

SPAWN = get_context("spawn")
HANDLERS = 3
ACTS = 20
"""Notes each handler adds per database, spread over the cases at random."""


@pytest.fixture
def urls(postgres: PostgresServer, tmp_path: Path) -> Iterator[list[str]]:
    """A database that does not exist yet (SQLite) and one without tables (PostgreSQL)."""
    with postgres.database() as url:
        yield [f"sqlite:///{tmp_path / 'zaken.sqlite'}", url]


def handle(urls: list[str], cases: list[Feedback], name: str, start: Any, out: Any) -> None:
    """One handler process: per database, open it, ingest ``cases`` and add ACTS notes;
    put what it wrote. The handlers start on each database together."""
    plugins = load_plugins(entry_point_plugins=False)  # takes a while: before the barrier
    done: list[dict[str, Any]] = []
    try:
        for url in urls:
            start.wait(timeout=120)
            with FeedbackKit.open(url, plugins=plugins) as kit:
                inserted = kit.ingest(CaseRecord(feedback=f) for f in cases).inserted
                done.append({"url": url, "inserted": inserted, "written": notes(kit, cases, name)})
    except BaseException:
        start.abort()  # the others stop waiting too
        out.put([{"error": traceback.format_exc()}])
    else:
        out.put(done)


def notes(kit: FeedbackKit, cases: list[Feedback], name: str) -> list[tuple[str, int, str]]:
    """Add ACTS notes to random ``cases``, retrying on conflict; (case id, seq, text) each."""
    rng = random.Random(name)
    written = []
    for number in range(ACTS):
        case_id = rng.choice(cases).id
        text = f"{name}: notitie {number}"
        while True:
            try:
                view = kit.act(case_id, "note", actor=name, payload={"text": text})
            except ConflictError:
                continue
            written.append((str(case_id), view.events[-1].seq, text))
            break
    return written


def test_parallel_handlers_lose_no_update_and_store_nothing_twice(urls: list[str]) -> None:
    received = datetime.now(AMSTERDAM) - timedelta(days=1)
    cases = [Feedback("complaint", "email", received, f"Klacht {i}") for i in range(3)]
    start = SPAWN.Barrier(HANDLERS)
    out = SPAWN.Queue()
    processes = [
        SPAWN.Process(target=handle, args=(urls, cases, f"behandelaar {i}", start, out))
        for i in range(HANDLERS)
    ]
    for process in processes:
        process.start()
    try:
        results = [result for _ in processes for result in out.get(timeout=300)]
    finally:
        for process in processes:
            process.join(timeout=60)
            if process.is_alive():
                process.kill()
                process.join()
    errors = [r["error"] for r in results if "error" in r]
    assert not errors, errors[0]
    for url in urls:
        check(url, cases, [r for r in results if r["url"] == url])


def check(url: str, cases: list[Feedback], results: list[dict[str, Any]]) -> None:
    """Each case stored once, every note stored once, versions contiguous."""
    assert migrations.current(url) == migrations.head()
    assert sum(r["inserted"] for r in results) == len(cases)
    written = [entry for r in results for entry in r["written"]]
    assert len(written) == HANDLERS * ACTS
    assert len({(case, seq) for case, seq, _ in written}) == len(written)  # no seq given twice
    per_case = Counter(case for case, _, _ in written)
    with FeedbackKit.open(url, plugins=load_plugins(entry_point_plugins=False)) as kit:
        assert kit.count() == len(cases)
        stored = set()
        for feedback in cases:
            events = kit.store.events(feedback.id)
            assert [e.seq for e in events] == list(range(1, per_case[str(feedback.id)] + 1))
            assert kit.store.case_state(feedback.id).version == len(events)
            stored |= {(str(e.case_id), e.seq, e.payload["text"]) for e in events}
    assert stored == set(written)

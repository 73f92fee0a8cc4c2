"""An import killed at random points (SIGKILL) and run again stores exactly its input.

A real process imports a JSON Lines file into SQLite and into PostgreSQL the way
``feedbackkit import`` does (``import_items`` on the jsonl channel), with a store batch
of BATCH cases, so it commits several transactions. The test kills it several times at
seeded random points while it is storing (a random part of a batch's time after its
second commit), reruns it to completion and checks that
the database holds every input case once, whole: nothing lost, nothing duplicated,
nothing half-written. It does so for a serial import and for a parallel one (a writer
process inserting one batch while the importer prepares the next), killing the whole
process group: importer and writer at once.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import sqlalchemy as sa

from feedbackkit.demo import generate
from feedbackkit.interchange.jsonl import encode
from feedbackkit.models import CaseRecord
from feedbackkit.storage.checks import canonical_record
from feedbackkit.storage.engine import make_engine
from feedbackkit.storage.sql import SqlStore

if TYPE_CHECKING:
    from feedbackkit.testing.postgres import PostgresServer

BATCH = 50
KILLS = 3
CASES = 3 * (KILLS + 1) * BATCH + 37
"""Each killed run stores about three batches: enough are left for the last run."""
IMPORTER = """
import sys
from pathlib import Path
from feedbackkit.interchange import RejectFile, choose_channel, import_items
from feedbackkit.plugins import load_plugins
from feedbackkit.service import FeedbackKit
from feedbackkit.storage.sql import SqlStore

url, source, rejects, batch, mode = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), *sys.argv[4:]
plugins = load_plugins(entry_point_plugins=False)
channel = choose_channel(plugins.channels(), source)
with FeedbackKit(SqlStore.open(url, batch_size=int(batch)), plugins=plugins) as kit:
    with RejectFile(rejects) as sink:
        report = import_items(
            kit, channel.read(source), source=str(source), rejects=sink, parallel=mode == "parallel"
        )
print(report.summary(), file=sys.stderr)
"""
"""What ``feedbackkit import`` does, with a smaller store batch: argv is URL FILE REJECTS BATCH
MODE (``serial``, or ``parallel``: with a writer process)."""


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[CaseRecord]]:
    """A JSON Lines file of CASES demo cases, and those cases."""
    records = list(generate(CASES, seed=20261202))
    path = tmp_path_factory.mktemp("crash") / "zaken.jsonl"
    path.write_text("".join(f"{encode(r)}\n" for r in records), "utf-8")
    return path, records


@pytest.fixture
def urls(postgres: PostgresServer, tmp_path: Path) -> Iterator[list[str]]:
    """A database that does not exist yet (SQLite) and one without tables (PostgreSQL)."""
    with postgres.database() as url:
        yield [f"sqlite:///{tmp_path / 'zaken.sqlite'}", url]


def stored(engine: sa.Engine) -> int:
    """Cases committed so far (0 while the tables are not there yet)."""
    try:
        with engine.connect() as conn:
            return int(conn.execute(sa.text("SELECT count(*) FROM feedback")).scalar_one())
    except sa.exc.DBAPIError:
        return 0


def run_import(url: str, source: Path, mode: str) -> subprocess.Popen[str]:
    """The import in a session of its own (its writer process, if any, included)."""
    rejects = source.with_name(f"rejects-{sa.make_url(url).get_backend_name()}-{mode}.jsonl")
    return subprocess.Popen(
        [sys.executable, "-c", IMPORTER, url, str(source), str(rejects), str(BATCH), mode],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def commit(engine: sa.Engine, process: subprocess.Popen[str], after: int) -> int:
    """Wait until the import has committed more than ``after`` cases; how many."""
    while (count := stored(engine)) <= after:
        assert process.poll() is None, f"the import ended early: {process.communicate()}"
        time.sleep(0.01)
    return count


def kill_while_storing(
    url: str, source: Path, mode: str, rng: random.Random, engine: sa.Engine
) -> None:
    """Start an import; once it has committed two batches, SIGKILL it (with its writer
    process) a random part of the time the last batch took later (mostly while it
    prepares or writes the next)."""
    process = run_import(url, source, mode)
    try:
        first = commit(engine, process, stored(engine))
        started = time.monotonic()
        commit(engine, process, first)
        time.sleep(rng.uniform(0.0, time.monotonic() - started))
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
    assert process.returncode == -signal.SIGKILL


def crash_then_finish(url: str, source: Path, mode: str) -> tuple[int, str]:
    """Kill an import KILLS times, then run it to the end: the cases stored before the
    last run, and what the last run reported."""
    rng = random.Random(f"crash {sa.make_url(url).get_backend_name()} {mode}")
    engine = make_engine(url)
    try:
        for _ in range(KILLS):
            kill_while_storing(url, source, mode, rng, engine)
        before = stored(engine)
    finally:
        engine.dispose()
    process = run_import(url, source, mode)
    _, stderr = process.communicate(timeout=300)
    assert process.returncode == 0, stderr
    return before, stderr


@pytest.mark.parametrize("mode", ["serial", "parallel"])
def test_an_import_killed_again_and_again_stores_exactly_its_input(
    urls: list[str], cases: tuple[Path, list[CaseRecord]], mode: str
) -> None:
    source, records = cases
    with ThreadPoolExecutor(len(urls)) as pool:  # both databases at once: it halves the wait
        runs = list(pool.map(crash_then_finish, urls, [source] * len(urls), [mode] * len(urls)))
    expected = {r.feedback.id: canonical_record(r) for r in records}
    for url, (before, report) in zip(urls, runs, strict=True):
        assert 0 < before < CASES
        summary = f"{CASES} read = {CASES - before} imported + {before} already present"
        assert f"{summary} + 0 rejected" in report
        store = SqlStore.open(url)
        try:
            found = {r.feedback.id: r for r in store.records()}
            assert store.count() == len(found) == CASES
            assert set(found) == set(expected)
            assert {i: len(r.events) for i, r in found.items()} == {
                i: len(r.events) for i, r in expected.items()
            }
            assert found == expected
            assert sum(1 for _ in store.query()) == CASES  # every case has its summary row
        finally:
            store.close()

"""Bulk ingest at scale: demo cases through feedbackkit, against raw ``sqlite3``.

    .venv/bin/python bench/ingest.py --size 100000 [--db URL] [--seed N] [--keep]

1. **generate + import**: ``FeedbackKit.ingest`` streams the demo generator's
   cases into the store (checking each history, deriving its state and deadline
   terms, writing rows in batches). The time spent inside the generator is
   measured apart, so *import* is feedbackkit's own share. Every INSERT the store
   sends to the driver is spooled to a scratch file (that time is left out too).
2. **raw**: the spooled rows are replayed with plain ``sqlite3`` ``executemany``
   into a fresh database with the same schema and connection settings, one
   transaction per store batch, timing only the inserts and commits.

Peak RSS is the process's high-water mark at the end of the import (the raw
pass runs after it). Times are wall-clock, with the process's CPU time beside
them: on a shared machine wall-clock time depends on the load, CPU time much
less. The last lines are ``cpu_ratio_vs_raw_sqlite3=X.XX`` and
``ratio_vs_raw_sqlite3=X.XX`` (import seconds / raw seconds, CPU and wall-clock).
"""

from __future__ import annotations

import argparse
import pickle
import resource
import sqlite3
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

import sqlalchemy as sa

from feedbackkit.demo import generate
from feedbackkit.models import CaseRecord
from feedbackkit.service import FeedbackKit

_COMMIT = "COMMIT"
_SETTINGS = ("journal_mode", "synchronous", "foreign_keys", "cache_size", "temp_store")
"""SQLite connection settings the raw connection copies from the store's."""


class Stopwatch:
    """Seconds (wall-clock and CPU) spent inside an iterator, measured around each ``next``."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.cpu = 0.0

    def timed(self, items: Iterable[CaseRecord]) -> Iterator[CaseRecord]:
        clock, cpu = time.perf_counter, time.process_time
        iterator = iter(items)
        while True:
            start, start_cpu = clock(), cpu()
            item = next(iterator, None)
            self.seconds += clock() - start
            self.cpu += cpu() - start_cpu
            if item is None:
                return
            yield item


class Spool:
    """Every INSERT a connection sends to the driver, and its commits, pickled to a file."""

    def __init__(self, file: IO[bytes]) -> None:
        self.file = file
        self.seconds = 0.0
        self.cpu = 0.0
        self.events = 0
        self.statements = 0

    def attach(self, engine: sa.Engine) -> None:
        sa.event.listen(engine, "before_cursor_execute", self._execute)
        sa.event.listen(engine, "commit", self._commit)

    def _execute(
        self, conn: Any, cursor: Any, sql: str, params: Any, context: Any, many: bool
    ) -> None:
        if not sql.startswith("INSERT"):
            return
        start, start_cpu = time.perf_counter(), time.process_time()
        rows = params if many else [params]
        if sql.startswith("INSERT INTO events "):
            self.events += len(rows)
        pickle.dump((sql, rows), self.file, pickle.HIGHEST_PROTOCOL)
        self.statements += 1
        self.seconds += time.perf_counter() - start
        self.cpu += time.process_time() - start_cpu

    def _commit(self, conn: Any) -> None:
        pickle.dump((_COMMIT, None), self.file, pickle.HIGHEST_PROTOCOL)

    def replay(self) -> Iterator[tuple[str, Any]]:
        self.file.seek(0)
        while True:
            try:
                yield pickle.load(self.file)
            except EOFError:
                return


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def settings(engine: sa.Engine) -> dict[str, Any]:
    with engine.connect() as conn:
        return {name: conn.exec_driver_sql(f"PRAGMA {name}").scalar() for name in _SETTINGS}


def raw_sqlite3(path: Path, spool: Spool, pragmas: dict[str, Any]) -> tuple[float, float]:
    """Replay the spooled INSERTs into ``path`` (schema in place); seconds inserting
    (wall-clock, CPU)."""
    conn = sqlite3.connect(path, isolation_level=None)
    for name, value in pragmas.items():
        conn.execute(f"PRAGMA {name}={value}")
    seconds = cpu = 0.0
    began = False
    for sql, rows in spool.replay():
        start, start_cpu = time.perf_counter(), time.process_time()
        if sql == _COMMIT:
            if began:
                conn.execute("COMMIT")
                began = False
        else:
            if not began:
                conn.execute("BEGIN IMMEDIATE")
                began = True
            conn.executemany(sql, rows)
        seconds += time.perf_counter() - start
        cpu += time.process_time() - start_cpu
    conn.close()
    return seconds, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100_000, help="demo feedback items")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--db", help="store URL (default: a new SQLite file in a temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary databases")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="fk-ingest-"))
    url = args.db or f"sqlite:///{folder / 'import.sqlite'}"
    generation = Stopwatch()
    pragmas: dict[str, Any] = {}
    with tempfile.TemporaryFile(dir=folder) as spool_file:
        spool = Spool(spool_file)
        with FeedbackKit.open(url) as kit:
            engine = getattr(kit.store, "engine", None)
            if engine is not None:
                pragmas = settings(engine)
                spool.attach(engine)
            start, start_cpu = time.perf_counter(), time.process_time()
            report = kit.ingest(generation.timed(generate(args.size, seed=args.seed)))
            total, total_cpu = time.perf_counter() - start, time.process_time() - start_cpu
        rss = peak_rss_mb()
        importing = total - generation.seconds - spool.seconds
        importing_cpu = total_cpu - generation.cpu - spool.cpu
        raw = raw_cpu = None
        if engine is not None and engine.dialect.name == "sqlite":
            raw_path = folder / "raw.sqlite"
            FeedbackKit.open(f"sqlite:///{raw_path}").close()  # the same schema, migrated
            raw, raw_cpu = raw_sqlite3(raw_path, spool, pragmas)
    if not args.keep:
        for file in folder.iterdir():
            file.unlink()
        folder.rmdir()

    items, events = args.size, spool.events
    print(f"store: {url if args.db else 'sqlite (temporary file)'}; seed {args.seed}")
    print(f"items: {items} ({report.inserted} inserted, {report.skipped} skipped)")
    print(f"events: {events} ({events / max(items, 1):.1f} per item)")
    print(
        f"generate: {generation.seconds:8.1f} s  {items / generation.seconds:9.0f} items/s"
        f"  (CPU {generation.cpu:.1f} s)"
    )
    print(
        f"import:   {importing:8.1f} s  {items / importing:9.0f} items/s"
        f"  {events / importing:9.0f} events/s  (CPU {importing_cpu:.1f} s)"
    )
    if raw is not None and raw_cpu is not None:
        print(
            f"raw:      {raw:8.1f} s  {items / raw:9.0f} items/s  {events / raw:9.0f} events/s"
            f"  (CPU {raw_cpu:.1f} s; sqlite3 executemany of the same rows)"
        )
    print(f"peak RSS: {rss:8.0f} MB (generate + import)")
    if raw and raw_cpu:
        print(f"cpu_ratio_vs_raw_sqlite3={importing_cpu / raw_cpu:.2f}")
        print(f"ratio_vs_raw_sqlite3={importing / raw:.2f}")
    else:
        print("ratio_vs_raw_sqlite3=n/a")


if __name__ == "__main__":
    main()

"""Bulk ingest into PostgreSQL: ``COPY`` against ``executemany`` for the plain INSERTs.

    .venv/bin/python bench/postgres_ingest.py --size 10000 [--seed N] [--rounds N]

Starts a throwaway PostgreSQL 15 (``feedbackkit.testing.postgres``), prepares
``--size`` demo cases once, then ingests them into two fresh databases: with the
store as it is (``COPY ... FROM STDIN`` for every table written without
``ON CONFLICT``) and with COPY switched off (psycopg ``executemany`` throughout).
The two alternate ``--rounds`` times; it prints the median seconds of the whole
ingest and of the time spent in the bulk statements (driver and server). Figures
are wall-clock on a shared machine: noisy.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Sequence
from typing import Any

import attrs
import sqlalchemy as sa

from feedbackkit.demo import generate
from feedbackkit.plugins import load_plugins
from feedbackkit.service import FeedbackKit
from feedbackkit.storage.bulk import BulkInsert
from feedbackkit.storage.memory import MemoryStore
from feedbackkit.storage.sql import SqlStore
from feedbackkit.testing.postgres import PostgresServer

SPENT = [0.0]
"""Seconds spent inside the store's bulk statements."""


@attrs.frozen
class TimedInsert(BulkInsert):
    def execute(self, conn: sa.Connection, rows: Sequence[Any]) -> int:
        start = time.perf_counter()
        try:
            return super().execute(conn, rows)
        finally:
            SPENT[0] += time.perf_counter() - start


def run(server: PostgresServer, pairs: list[Any], *, copy: bool) -> tuple[float, float]:
    """Seconds of the whole ingest of ``pairs`` into a new database, and inside statements."""
    with server.database() as url:
        store = SqlStore.open(url)
        store._bulk = {
            name: TimedInsert(
                **attrs.asdict(bulk, recurse=False) | ({} if copy else {"copy": None})
            )
            for name, bulk in store._bulk.items()
        }
        SPENT[0] = 0.0
        start = time.perf_counter()
        report = store.ingest(pairs)
        seconds = time.perf_counter() - start
        store.close()
    assert report.inserted == len(pairs)
    return seconds, SPENT[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=3, help="Ingests per variant, alternated.")
    args = parser.parse_args()
    kit = FeedbackKit(MemoryStore(), plugins=load_plugins(entry_point_plugins=False))
    pairs = [kit.prepare(record) for record in generate(args.size, seed=args.seed)]
    figures: dict[bool, list[tuple[float, float]]] = {True: [], False: []}
    with PostgresServer.start() as server:
        for _ in range(args.rounds):
            for copy in (True, False):
                figures[copy].append(run(server, pairs, copy=copy))
    for copy, runs in figures.items():
        ingest = statistics.median(seconds for seconds, _ in runs)
        spent = statistics.median(spent for _, spent in runs)
        print(
            f"{'copy' if copy else 'executemany':<12} cases={len(pairs)} rounds={args.rounds} "
            f"median ingest={ingest:.2f}s statements={spent:.2f}s rate={len(pairs) / ingest:.0f}/s"
        )


if __name__ == "__main__":
    main()

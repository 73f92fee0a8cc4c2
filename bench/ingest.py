"""Bulk ingest at scale: demo cases through feedbackkit, against raw ``sqlite3``.

    .venv/bin/python bench/ingest.py --size 100000 [--mode both|serial|parallel]
        [--db URL] [--seed N] [--keep]

1. **serial import**: ``FeedbackKit.ingest`` streams the demo generator's cases
   into the store (checking each history, deriving its state and deadline terms,
   writing rows in batches). The time spent inside the generator is measured
   apart, so *import* is feedbackkit's own share. Every INSERT the store sends to
   the driver is spooled to a scratch file (that time is left out too).
2. **raw**: the spooled rows are replayed with plain ``sqlite3`` ``executemany``
   into a fresh database with the same schema and connection settings, one
   transaction per store batch, timing only the inserts and commits. The replay
   runs twice and the faster counts: on a shared machine a slow replay would
   flatter the ratio.
3. **parallel import**: the same items into a new database with
   ``FeedbackKit.ingest(..., parallel=True)`` (what ``feedbackkit import`` does):
   a forked writer process inserts each batch while the next one is made.

Each import runs in a process of its own; its peak RSS is that process's
high-water mark at the end of the import (the raw pass runs after it), and the
writer process's is given beside it. Times are wall-clock, with CPU time beside
them: on a shared machine wall-clock time depends on the load, CPU time much
less. The last lines give, per mode, ``<mode>_cpu_ratio_vs_raw_sqlite3`` (the CPU
of all its processes) and ``<mode>_ratio_vs_raw_sqlite3`` (wall-clock), then
``ratio_vs_raw_sqlite3=X.XX``: the faster mode's wall-clock ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
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


class MemorySampler:
    """Samples, every 0.2 s, the proportional set size (PSS) of this process and its
    children together, and each child's unique set size (USS). A forked child's RSS
    counts every page it shares with its parent, so PSS and USS are its honest cost."""

    def __init__(self) -> None:
        self.peak_pss = 0.0
        self.peak_child_uss = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        me = os.getpid()
        while not self._stop.wait(0.2):
            children = [pid for pid in _pids() if _parent(pid) == me]
            try:
                sizes = [_smaps(pid) for pid in (me, *children)]
            except OSError:  # a child just ended
                continue
            self.peak_pss = max(self.peak_pss, sum(pss for pss, _ in sizes))
            for _, uss in sizes[1:]:
                self.peak_child_uss = max(self.peak_child_uss, uss)


def _pids() -> list[int]:
    return [int(name) for name in os.listdir("/proc") if name.isdigit()]


def _parent(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return -1


def _smaps(pid: int) -> tuple[float, float]:
    """``(PSS, USS)`` of ``pid`` in MB."""
    fields = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value, *_ = line.split()
        fields[name.rstrip(":")] = int(value) / 1024
    return fields["Pss"], fields["Private_Clean"] + fields["Private_Dirty"]


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


def import_once(args: argparse.Namespace, url: str, folder: Path) -> dict[str, Any]:
    """One import of the demo items (``args.run``: serial or parallel); with a serial
    import into SQLite, also the raw ``sqlite3`` replay of its rows. Figures as a dict."""
    generation = Stopwatch()
    spool = Spool(tempfile.TemporaryFile(dir=folder))  # noqa: SIM115 (closed below)
    pragmas: dict[str, Any] = {}
    parallel = args.run == "parallel"
    with FeedbackKit.open(url) as kit:
        if kit.store.count():
            raise SystemExit(f"{url} already holds cases: the benchmark needs an empty store")
        engine = getattr(kit.store, "engine", None)
        if engine is not None and engine.dialect.name == "sqlite" and not parallel:
            pragmas = settings(engine)
            spool.attach(engine)
        start, start_cpu = time.perf_counter(), time.process_time()
        with MemorySampler() as memory:
            report = kit.ingest(
                generation.timed(generate(args.size, seed=args.seed)), parallel=parallel
            )
        total, total_cpu = time.perf_counter() - start, time.process_time() - start_cpu
    writer = resource.getrusage(resource.RUSAGE_CHILDREN)
    figures: dict[str, Any] = {
        "inserted": report.inserted,
        "skipped": report.skipped,
        "events": spool.events,
        "generate": generation.seconds,
        "generate_cpu": generation.cpu,
        "import": total - generation.seconds - spool.seconds,
        "import_cpu": total_cpu - generation.cpu - spool.cpu,
        "writer_cpu": writer.ru_utime + writer.ru_stime,
        "rss": peak_rss_mb(),
        "writer_uss": memory.peak_child_uss,
        "pss": memory.peak_pss,
    }
    if spool.statements:  # twice, each into a new database; the faster counts
        replays = []
        for attempt in range(2):
            raw_path = folder / f"raw{attempt}.sqlite"
            FeedbackKit.open(f"sqlite:///{raw_path}").close()  # the same schema, migrated
            replays.append(raw_sqlite3(raw_path, spool, pragmas))
            if not args.keep:
                for path in folder.glob(f"raw{attempt}.sqlite*"):
                    path.unlink()
        figures["raw"], figures["raw_cpu"] = min(replays)
        figures["raw_runs"] = [seconds for seconds, _ in replays]
    spool.file.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100_000, help="demo feedback items")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--db", help="store URL (default: a new SQLite file in a temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary databases")
    parser.add_argument(
        "--mode",
        choices=["both", "serial", "parallel"],
        default="both",
        help="serial: kit.ingest(records); parallel: kit.ingest(records, parallel=True) "
        "(a writer process, as `feedbackkit import` does); both: one after the other",
    )
    parser.add_argument("--run", choices=["serial", "parallel"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.db and args.mode == "both" and not args.run:
        parser.error("with --db, pick one --mode: each import needs an empty database")
    if args.run:  # one import, in a process of its own (for its own peak RSS)
        folder = Path(tempfile.mkdtemp(prefix="fk-ingest-"))
        url = args.db or f"sqlite:///{folder / 'import.sqlite'}"
        figures = import_once(args, url, folder)
        if not args.keep:
            shutil.rmtree(folder)
        print(json.dumps(figures))
        return

    modes = ["serial", "parallel"] if args.mode == "both" else [args.mode]
    runs = {}
    for mode in modes:
        command = [sys.executable, __file__, "--run", mode, "--size", str(args.size)]
        command += ["--seed", str(args.seed), *(["--db", args.db] if args.db else [])]
        command += ["--keep"] if args.keep else []
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode:
            sys.exit(done.stderr.strip() or f"the {mode} import failed ({done.returncode})")
        runs[mode] = json.loads(done.stdout.splitlines()[-1])

    items = args.size
    print(f"store: {args.db or 'sqlite (temporary file)'}; seed {args.seed}; {items} items")
    for mode, run in runs.items():
        print(f"{mode}: {run['inserted']} inserted, {run['skipped']} skipped")
        if run["events"]:
            print(f"  events: {run['events']} ({run['events'] / max(items, 1):.1f} per item)")
        print(
            f"  generate: {run['generate']:8.1f} s  (CPU {run['generate_cpu']:.1f} s; "
            "left out of the import)"
        )
        writer = f" + writer process {run['writer_cpu']:.1f} s" if mode == "parallel" else ""
        print(
            f"  import:   {run['import']:8.1f} s  {items / run['import']:9.0f} items/s"
            f"  (CPU {run['import_cpu']:.1f} s{writer})"
        )
        if "raw" in run:
            runs_text = " / ".join(f"{seconds:.1f}" for seconds in run["raw_runs"])
            print(
                f"  raw:      {run['raw']:8.1f} s  {items / run['raw']:9.0f} items/s"
                f"  (CPU {run['raw_cpu']:.1f} s; sqlite3 executemany of the same rows;"
                f" best of {runs_text} s)"
            )
        rss = f"  peak RSS: {run['rss']:8.0f} MB (generate + import)"
        if mode == "parallel":
            rss += f"; writer process USS {run['writer_uss']:.0f} MB"
        print(f"{rss}; PSS of all processes {run['pss']:.0f} MB")
    raw = runs.get("serial", {}).get("raw")
    raw_cpu = runs.get("serial", {}).get("raw_cpu")
    if not raw:
        print("ratio_vs_raw_sqlite3=n/a")
        return
    for mode, run in runs.items():
        cpu = run["import_cpu"] + (run["writer_cpu"] if mode == "parallel" else 0.0)
        print(f"{mode}_cpu_ratio_vs_raw_sqlite3={cpu / raw_cpu:.2f}")
        print(f"{mode}_ratio_vs_raw_sqlite3={run['import'] / raw:.2f}")
    best = min(run["import"] for run in runs.values())
    print(f"ratio_vs_raw_sqlite3={best / raw:.2f}")


if __name__ == "__main__":
    main()

"""The full metric set over N demo items, in the database, checked against DuckDB.

    .venv/bin/python bench/metrics.py --size N [--file PATH] [--db URL]

Builds (or reuses, with ``--file``) a SQLite database of N demo items, times every
metric of ``kit.metrics`` on it, computes the same metrics with DuckDB from the same
rows (exported to CSV and loaded into DuckDB: ``pip install 'feedbackkit[bench]'``)
and says per metric whether the answers agree. With ``--db`` (a PostgreSQL URL) the
metrics run there too and are compared with DuckDB's: an empty database is filled
from the SQLite file first, table by table with ``COPY`` (after ``FeedbackKit.open``
created the schema; then ``VACUUM (ANALYZE)``), much faster than ingesting the items
again. Times are wall-clock and CPU: this process's, and on PostgreSQL on this host
also the server's (its processes' CPU time, read from ``/proc``). Prints
``seconds_sqlite=X.XX`` (and ``seconds_postgresql=X.XX``) and ends with
``seconds=X.XX``: the larger of the totals.
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from itertools import islice
from pathlib import Path
from typing import Any

from feedbackkit.demo import DEFAULT_SEED, generate, reference_day
from feedbackkit.service import FeedbackKit
from feedbackkit.storage import schema
from feedbackkit.storage.measures import (
    INFORMAL_CHANNELS,
    PERCENTILES,
    ChannelUse,
    Count,
    LeadTime,
    Learning,
    Metrics,
    RelationshipCount,
    Repeats,
    Resolution,
    Satisfaction,
    Shares,
    TermCompliance,
)

AS_OF = reference_day()
BATCH = 10_000

MetricCall = Callable[[Metrics], Any]

METRICS: dict[str, MetricCall] = {
    "received by kind": lambda m: m.received("kind"),
    "received by channel": lambda m: m.received("channel"),
    "received by initiative": lambda m: m.received("initiative"),
    "received by origin": lambda m: m.received("origin"),
    "received by form": lambda m: m.received("form"),
    "received per month": lambda m: m.received(per="month"),
    "received by kind per quarter": lambda m: m.received("kind", per="quarter"),
    "received per year": lambda m: m.received(per="year"),
    "channels in use": lambda m: m.channels(),
    "informal/oral/internal/proactive": lambda m: m.shares(),
    "deadline compliance": lambda m: m.compliance(as_of=AS_OF),
    "complaint compliance, Q2": lambda m: m.compliance(
        as_of=AS_OF, kinds=["complaint"], start=date(AS_OF.year, 4, 1), end=date(AS_OF.year, 7, 1)
    ),
    "lead times by kind": lambda m: m.lead_times("kind"),
    "lead times by procedure": lambda m: m.lead_times("procedure"),
    "relationship": lambda m: m.relationship(),
    "relationship per month": lambda m: m.relationship(per="month"),
    "satisfaction": lambda m: m.satisfaction(),
    "repeats": lambda m: m.repeats(),
    "resolutions": lambda m: m.resolutions(),
    "learning loop": lambda m: m.learning(),
}
"""The full metric set, as the audit and the reports ask for it."""


def build(kit: FeedbackKit, size: int, seed: int = DEFAULT_SEED) -> float:
    """Ingest ``size`` demo items (unless the store holds them already); seconds taken."""
    if kit.count() >= size:
        return 0.0
    start = time.perf_counter()
    records = generate(size, seed=seed)
    done = 0
    while batch := list(islice(records, BATCH)):
        kit.ingest(batch)
        done += len(batch)
        print(f"\r  ingested {done:,} of {size:,}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    return time.perf_counter() - start


def term_cost(kit: FeedbackKit, sample: int = 20_000) -> float:
    """Microseconds per item that computing the stored deadline rows takes."""
    records = list(generate(sample, seed=DEFAULT_SEED))
    pairs = [kit.prepare(r) for r in records]
    start = time.perf_counter()
    for record, state in pairs:
        kit.terms(record.feedback, record.events, state.procedure)
    return (time.perf_counter() - start) / sample * 1e6


Clock = Callable[[], float]


def run_all(metrics: Metrics, *clocks: Clock) -> tuple[dict[str, Any], dict[str, list[float]]]:
    """Every metric's answer, and its wall-clock seconds followed by what each clock
    advanced by meanwhile."""
    results, seconds = {}, {}
    for name, call in METRICS.items():
        before = [clock() for clock in (time.perf_counter, *clocks)]
        results[name] = call(metrics)
        after = [clock() for clock in (time.perf_counter, *clocks)]
        seconds[name] = [b - a for a, b in zip(before, after, strict=True)]
    return results, seconds


# -- PostgreSQL: filled from the SQLite file, its server's CPU time -----------------------


def fill_postgresql(kit: FeedbackKit, sqlite_file: Path) -> float:
    """Copy every table of ``sqlite_file`` into the empty database of ``kit`` (whose
    schema ``FeedbackKit.open`` created), parents first, one ``COPY`` per table, then
    ``VACUUM (ANALYZE)``; seconds taken. SQLite's values are PostgreSQL's text input
    (UUIDs as 32 hex digits, instants as ISO 8601, booleans as 0/1, JSON as text)."""
    engine = kit.store.engine  # type: ignore[attr-defined]
    source = sqlite3.connect(sqlite_file)
    start = time.perf_counter()
    with engine.connect() as conn:
        raw = conn.connection.driver_connection
        for table in schema.metadata.sorted_tables:
            names = ", ".join(c.name for c in table.columns)
            tick = time.perf_counter()
            with (
                raw.cursor() as cursor,
                cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy,
            ):
                rows = source.execute(f"SELECT {names} FROM {table.name}")
                count = 0
                while chunk := rows.fetchmany(10_000):
                    for row in chunk:
                        copy.write_row(row)
                    count += len(chunk)
            raw.commit()
            took = time.perf_counter() - tick
            print(f"  copied {table.name}: {count:,} rows in {took:.1f} s", file=sys.stderr)
        raw.autocommit = True
        tick = time.perf_counter()
        raw.execute("VACUUM (ANALYZE)")
        raw.autocommit = False
        print(f"  VACUUM (ANALYZE) in {time.perf_counter() - tick:.1f} s", file=sys.stderr)
    source.close()
    return time.perf_counter() - start


def server_cpu(kit: FeedbackKit) -> Clock | None:
    """A clock of the CPU seconds used by the PostgreSQL server of ``kit`` (its postmaster,
    the children it reaped and those alive), or ``None`` when it runs on another host."""
    engine = kit.store.engine  # type: ignore[attr-defined]
    with engine.connect() as conn:
        backend = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
    try:
        postmaster = int(_stat(backend)[1])
    except OSError:
        return None
    tick = os.sysconf("SC_CLK_TCK")

    def clock() -> float:
        fields = _stat(postmaster)
        used = sum(int(f) for f in fields[11:15])  # utime, stime, cutime, cstime
        for entry in os.scandir("/proc"):
            if entry.name.isdigit():
                try:
                    child = _stat(int(entry.name))
                except OSError:
                    continue
                if int(child[1]) == postmaster:
                    used += int(child[11]) + int(child[12])
        return used / tick

    return clock


def _stat(pid: int) -> list[str]:
    """The fields of ``/proc/<pid>/stat`` after the command name (``state`` first)."""
    text = Path(f"/proc/{pid}/stat").read_text()
    return text[text.rindex(")") + 2 :].split()


# -- the DuckDB reference --------------------------------------------------------------

_EXPORT = {
    "feedback": "id, kind, channel, initiative, origin, form, received_at",
    "cases": "case_id, procedure, done_at",
    "outcomes": "id, case_id, recorded_at, relationship, satisfaction_handling, "
    "satisfaction_solution, fairly_treated, would_recommend, expectations_exceeded",
    "feedback_links": "case_id, type",
    "case_terms": "case_id, term, round, procedure, statutory, status, due, met_on, action",
    "golden_flags": "case_id",
    "improvement_actions": "id, status, created_at",
    "improvement_action_notices": "action_id",
}
_TYPES = {
    "received_at": "TIMESTAMPTZ",
    "done_at": "TIMESTAMPTZ",
    "recorded_at": "TIMESTAMPTZ",
    "created_at": "TIMESTAMPTZ",
    "due": "DATE",
    "met_on": "DATE",
    "round": "INTEGER",
    "statutory": "BOOLEAN",
    "fairly_treated": "BOOLEAN",
    "expectations_exceeded": "BOOLEAN",
    "satisfaction_handling": "INTEGER",
    "satisfaction_solution": "INTEGER",
    "would_recommend": "INTEGER",
}


def load_duckdb(sqlite_file: Path, folder: Path) -> Any:
    """A DuckDB database holding the rows the metrics read, copied via CSV."""
    import duckdb

    con = duckdb.connect()
    source = sqlite3.connect(sqlite_file)
    for table, columns in _EXPORT.items():
        path = folder / f"{table}.csv"
        names = [c.strip() for c in columns.split(",")]
        with path.open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(names)
            writer.writerows(source.execute(f"SELECT {columns} FROM {table}"))
        types = ", ".join(f"'{n}': '{_TYPES.get(n, 'VARCHAR')}'" for n in names)
        con.execute(
            f"CREATE TABLE {table} AS SELECT * FROM read_csv('{path}', header = true, "
            f"columns = {{{types}}}, nullstr = '')"
        )
    source.close()
    con.execute("SET TimeZone = 'Europe/Amsterdam'")
    return con


def _period(per: str) -> str:
    local = "(f.received_at AT TIME ZONE 'Europe/Amsterdam')"
    return {
        "month": f"strftime({local}, '%Y-%m')",
        "quarter": f"(year({local})::VARCHAR || '-Q' || quarter({local})::VARCHAR)",
        "year": f"year({local})::VARCHAR",
    }[per]


def duckdb_metrics(con: Any) -> dict[str, Any]:
    """The metric set in DuckDB's own SQL, written apart from the SQLAlchemy queries."""

    def rows(sql: str) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in con.execute(sql).fetchall()]

    def counts(key: str | None, per: str | None, where: str = "") -> tuple[Count, ...]:
        k = f"f.{key}" if key else "NULL"
        p = _period(per) if per else "NULL"
        found = rows(f"SELECT {k}, {p}, count(*) FROM feedback f {where} GROUP BY ALL")
        return tuple(
            sorted(
                (Count(a, b, n) for a, b, n in found), key=lambda c: (c.period or "", c.key or "")
            )
        )

    def compliance(where: str = "") -> tuple[TermCompliance, ...]:
        found = rows(f"""
            SELECT t.procedure, t.term, t.statutory,
              count(*) FILTER (t.status = 'met'), count(*) FILTER (t.status = 'late'),
              count(*) FILTER (t.status = 'missed'),
              count(*) FILTER (t.status = 'open' AND t.due < DATE '{AS_OF}'),
              count(*) FILTER (t.status = 'suspended'
                OR (t.status IN ('open', 'conditional') AND t.due >= DATE '{AS_OF}'))
            FROM case_terms t JOIN feedback f ON f.id = t.case_id
            WHERE t.round = 1 {where} GROUP BY ALL ORDER BY 1, 2, 3""")
        return tuple(TermCompliance(*r) for r in found)

    def lead_times(key: str) -> tuple[LeadTime, ...]:
        ranks = ", ".join(f"l[({'n'} * {p} + 99) // 100]" for p in PERCENTILES)
        found = rows(f"""
            SELECT key, n, {ranks} FROM (
              SELECT {key} AS key, count(*) AS n,
                list_sort(list(floor(epoch(c.done_at)) - floor(epoch(f.received_at)))) AS l
              FROM feedback f JOIN cases c ON c.case_id = f.id
              WHERE c.done_at IS NOT NULL GROUP BY 1) ORDER BY 1""")
        return tuple(
            LeadTime(k, n, *(timedelta(seconds=int(v)) for v in values)) for k, n, *values in found
        )

    latest = """(SELECT * FROM outcomes QUALIFY row_number() OVER
        (PARTITION BY case_id ORDER BY recorded_at DESC, id DESC) = 1) o
        JOIN feedback f ON f.id = o.case_id"""

    def relationship(per: str | None) -> tuple[RelationshipCount, ...]:
        p = _period(per) if per else "NULL"
        found = rows(f"""
            SELECT {p}, count(*) FILTER (relationship = 'stronger'),
              count(*) FILTER (relationship = 'unchanged'),
              count(*) FILTER (relationship = 'weaker')
            FROM {latest} GROUP BY 1 ORDER BY 1""")
        return tuple(RelationshipCount(*r) for r in found)

    informal = ", ".join(f"'{c.value}'" for c in sorted(INFORMAL_CHANNELS))
    (shares,) = rows(f"""
        SELECT count(*), count(*) FILTER (form = 'oral' OR channel IN ({informal})),
          count(*) FILTER (form = 'oral'), count(*) FILTER (origin = 'internal'),
          count(*) FILTER (initiative = 'proactive') FROM feedback""")
    (satisfaction,) = rows(f"""
        SELECT count(*), count(satisfaction_handling), coalesce(sum(satisfaction_handling), 0),
          count(satisfaction_solution), coalesce(sum(satisfaction_solution), 0),
          count(fairly_treated), count(*) FILTER (fairly_treated),
          count(would_recommend), count(*) FILTER (would_recommend >= 9),
          count(*) FILTER (would_recommend <= 6),
          count(expectations_exceeded), count(*) FILTER (expectations_exceeded)
        FROM {latest}""")
    links = dict(
        rows(
            "SELECT type, count(DISTINCT case_id) FROM feedback_links "
            "WHERE type IN ('repeat_of', 'escalated_from') GROUP BY 1"
        )
    )
    total = rows("SELECT count(*) FROM feedback")[0][0]
    channels = rows("""
        SELECT channel, count(*), arg_min(id, (received_at, id)) FROM feedback f
        GROUP BY 1 ORDER BY 1""")
    (actions,) = rows("""
        SELECT count(*), count(*) FILTER (status = 'done'),
          count(*) FILTER (status = 'done'
            AND id IN (SELECT action_id FROM improvement_action_notices))
        FROM improvement_actions""")
    golden = rows("SELECT count(*) FROM golden_flags g JOIN feedback f ON f.id = g.case_id")[0][0]
    q2 = f"AND f.kind = 'complaint' AND f.received_at >= TIMESTAMPTZ '{AS_OF.year}-04-01 00:00' "
    q2 += f"AND f.received_at < TIMESTAMPTZ '{AS_OF.year}-07-01 00:00'"
    return {
        "received by kind": counts("kind", None),
        "received by channel": counts("channel", None),
        "received by initiative": counts("initiative", None),
        "received by origin": counts("origin", None),
        "received by form": counts("form", None),
        "received per month": counts(None, "month"),
        "received by kind per quarter": counts("kind", "quarter"),
        "received per year": counts(None, "year"),
        "channels in use": tuple(ChannelUse(c, n, e) for c, n, e in channels),
        "informal/oral/internal/proactive": Shares(*shares),
        "deadline compliance": compliance(),
        "complaint compliance, Q2": compliance(q2),
        "lead times by kind": lead_times("f.kind"),
        "lead times by procedure": lead_times("c.procedure"),
        "relationship": relationship(None),
        "relationship per month": relationship("month"),
        "satisfaction": Satisfaction(*satisfaction),
        "repeats": Repeats(total, links.get("repeat_of", 0), links.get("escalated_from", 0)),
        "resolutions": tuple(
            Resolution(*r)
            for r in rows("""
                SELECT procedure, term, action, count(*) FROM case_terms
                WHERE round = 1 AND action IS NOT NULL GROUP BY ALL ORDER BY 1, 2, 3""")
        ),
        "learning loop": Learning(total, golden, *actions),
    }


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b)
    return bool(a == b)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument(
        "--db", help="a PostgreSQL URL to run the metrics on as well (filled when empty)"
    )
    parser.add_argument("--file", type=Path, help="the SQLite file (reused if it holds N items)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        sqlite_file = args.file or Path(folder) / "metrics.sqlite"
        with FeedbackKit.open(sqlite_file) as kit:
            built = build(kit, args.size)
            if built:
                print(f"built {sqlite_file}: {args.size:,} items in {built:.1f} s")
            print(f"deadline rows on ingest: {term_cost(kit):.0f} µs per item (computing them)")
            runs = {"sqlite": run_all(kit.metrics, time.process_time)}
        start = time.perf_counter()
        reference = duckdb_metrics(load_duckdb(sqlite_file, Path(folder)))
        loaded = time.perf_counter() - start
        if args.db:
            with FeedbackKit.open(args.db) as pg:
                stored = pg.count()
                if stored == 0:
                    filled = fill_postgresql(pg, sqlite_file)
                    print(f"filled {args.db} from {sqlite_file} in {filled:.1f} s")
                elif stored != args.size:
                    sys.exit(f"{args.db} holds {stored:,} items, not {args.size:,}: empty it first")
                server = server_cpu(pg)
                clocks = (time.process_time, *([server] if server is not None else []))
                runs["postgresql"] = run_all(pg.metrics, *clocks)
    print(f"\n{args.size:,} items; DuckDB reference loaded and computed in {loaded:.1f} s")
    print("per metric: wall-clock s, CPU s of this process (and of the PostgreSQL server)")
    header = f"{'metric':34}"
    for name, (_, seconds) in runs.items():
        columns = len(next(iter(seconds.values())))
        header += f" {name + ' s':>13} {'cpu':>6}" + (f" {'server':>6}" if columns > 2 else "")
        header += "  duckdb"
    print(header)
    ok = True
    for name in METRICS:
        line = f"{name:34}"
        for results, seconds in runs.values():
            same = _same(results[name], reference[name])
            ok &= same
            wall, *cpu = seconds[name]
            line += f" {wall:13.3f}" + "".join(f" {c:6.2f}" for c in cpu)
            line += f"  {'yes' if same else 'NO':6}"
        print(line)
        for store, (results, _) in runs.items():
            if not _same(results[name], reference[name]):
                print(f"  {store}: {results[name]}\n  duckdb: {reference[name]}")
    print(f"all agree: {'yes' if ok else 'NO'}")
    totals = {}
    for store, (_, seconds) in runs.items():
        wall, *cpu = (sum(column) for column in zip(*seconds.values(), strict=True))
        totals[store] = wall
        print(f"{store}: metric set {wall:.2f} s, CPU {', '.join(f'{c:.2f}' for c in cpu)} s")
    for store, total in totals.items():
        print(f"seconds_{store}={total:.2f}")
    print(f"seconds={max(totals.values()):.2f}")


if __name__ == "__main__":
    main()

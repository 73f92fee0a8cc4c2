"""A full Gouden Oor audit of N demo items on SQLite: indicators from the database, scoring,
and the reports in every format.

    .venv/bin/python bench/audit.py --size N [--file PATH] [--no-pdf]

Builds (or reuses, with ``--file``) the demo database as ``bench/metrics.py`` does, then
times each step of the audit ``feedbackkit audit`` runs. Ends with ``seconds=X.XX``:
the whole audit, database to report files.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from metrics import build  # bench/metrics.py, next to this file

from feedbackkit.audit import audit_report, registered_framework, registered_scorer, run
from feedbackkit.commands.audit import outcome_line, register_evidence
from feedbackkit.demo import reference_day
from feedbackkit.reports import renderer_for
from feedbackkit.service import FeedbackKit


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--file", type=Path, help="the SQLite file (reused if it holds N items)")
    parser.add_argument("--no-pdf", action="store_true", help="leave out the PDF (WeasyPrint)")
    args = parser.parse_args(argv)
    formats = ("html", "md", "json") if args.no_pdf else ("html", "md", "json", "pdf")
    steps: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        sqlite_file = args.file or Path(folder) / "audit.sqlite"
        with FeedbackKit.open(sqlite_file) as kit:
            built = build(kit, args.size)
            if built:
                print(f"built {sqlite_file}: {args.size:,} items in {built:.1f} s")
            start = time.perf_counter()
            framework = registered_framework(kit.plugins, "gouden-oor")
            found = register_evidence(kit.metrics, framework, None, None)
            steps["indicators (in the database)"] = time.perf_counter() - start
            assert found is not None
            evidence = found[0]
            start = time.perf_counter()
            result = run(framework, evidence, registered_scorer(kit.plugins))
            view = audit_report(framework, result, evidence=evidence, on=reference_day())
            steps["scoring and report view"] = time.perf_counter() - start
            for fmt in formats:
                start = time.perf_counter()
                data = renderer_for(kit.plugins.renderers(), fmt).render(view, fmt)
                (Path(folder) / f"audit.{fmt}").write_bytes(data)
                steps[f"render {fmt} ({len(data) // 1024} KiB)"] = time.perf_counter() - start
    print(
        f"\n{args.size:,} items: {len(evidence.indicators)} indicators, {len(evidence.gaps)} gaps"
    )
    print(outcome_line(framework, result))
    for name, seconds in steps.items():
        print(f"{name:34} {seconds:8.2f} s")
    print(f"seconds={sum(steps.values()):.2f}")


if __name__ == "__main__":
    main()

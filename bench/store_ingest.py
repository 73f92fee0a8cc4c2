"""A quick figure for the SQLite store's ingest: N complaint cases with five events each.

    .venv/bin/python bench/store_ingest.py [CASES]

Cases are generated lazily (as an importer streams them), so the store's memory
stays bounded. Generating them alone is timed first and reported apart.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

from feedbackkit.models import CaseRecord, Party
from feedbackkit.storage.sql import SqlStore
from feedbackkit.testing import make_case
from feedbackkit.testing.contract import T0
from feedbackkit.vocabulary import PartyRole, Relationship
from feedbackkit.workflow.case import CaseState

STEPS = (
    ("acknowledge", {}),
    ("assign_handler", {"handler": "anna"}),
    ("start_informal", {}),
    ("contact_made", {"medium": "phone"}),
    ("resolve_informally", {}),
)


def cases(n: int) -> Iterator[tuple[CaseRecord, CaseState]]:
    for i in range(n):
        yield make_case(
            received_at=T0 + timedelta(seconds=i),
            steps=STEPS,
            tags=["wachttijd"],
            parties=[(Party(name=f"Klager {i}"), PartyRole.COMPLAINANT)],
            outcomes=[Relationship.STRONGER],
        )


def main(n: int) -> None:
    start = time.perf_counter()
    for _ in cases(n):
        pass
    generate = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as folder:
        store = SqlStore.open(f"sqlite:///{Path(folder) / 'bench.sqlite'}")
        start = time.perf_counter()
        report = store.ingest(cases(n))
        total = time.perf_counter() - start
        start = time.perf_counter()
        read = sum(1 for _ in store.records())
        stream = time.perf_counter() - start
        store.close()
    print(f"{report.inserted} cases (5 events, 1 party, 1 tag, 1 outcome each)")
    print(f"generating the cases:  {generate:6.1f} s")
    print(f"ingest incl. generate: {total:6.1f} s -> store {total - generate:6.1f} s")
    print(f"streaming {read} records back: {stream:6.1f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)

"""Bulk ingest streams: input is pulled one batch at a time, each batch is one
transaction, and a rerun after a failure stores exactly what is missing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner

from feedbackkit.cli import cli
from feedbackkit.demo import generate
from feedbackkit.errors import ValidationError
from feedbackkit.interchange import RejectFile, encode, import_items, read
from feedbackkit.models import CaseRecord
from feedbackkit.service import FeedbackKit
from feedbackkit.storage.sql import SqlStore
from feedbackkit.workflow.case import CaseState

BATCH = 4


@pytest.fixture
def kit(tmp_path: Path) -> Iterator[FeedbackKit]:
    with FeedbackKit(SqlStore.open(f"sqlite:///{tmp_path / 'db.sqlite'}", batch_size=BATCH)) as kit:
        yield kit


def demo_cases(kit: FeedbackKit, size: int) -> list[tuple[CaseRecord, CaseState]]:
    return [kit.prepare(record) for record in generate(size, seed=11)]


def test_input_is_pulled_one_batch_at_a_time_and_each_batch_is_committed(
    kit: FeedbackKit,
) -> None:
    items = demo_cases(kit, 3 * BATCH + 2)
    stored_when_pulled: list[int] = []

    def stream() -> Iterator[tuple[CaseRecord, CaseState]]:
        for item in items:
            stored_when_pulled.append(kit.count())  # another connection: committed cases
            yield item

    report = kit.store.ingest(stream())
    assert (report.inserted, report.skipped) == (len(items), 0)
    assert stored_when_pulled == [BATCH * (n // BATCH) for n in range(len(items))]


def test_a_failing_batch_writes_nothing_and_a_rerun_adds_only_what_is_missing(
    kit: FeedbackKit,
) -> None:
    items = demo_cases(kit, 3 * BATCH)
    record, state = items[BATCH + 1]
    clash = attrs.evolve(record.events[0], id=items[0][0].events[0].id)  # an id already used
    broken = (attrs.evolve(record, events=(clash, *record.events[1:])), state)
    with pytest.raises(ValidationError, match="store"):
        kit.store.ingest([*items[: BATCH + 1], broken, *items[BATCH + 2 :]])
    assert kit.count() == BATCH  # the first batch only: the second failed as a whole
    report = kit.store.ingest(iter(items))
    assert (report.inserted, report.skipped) == (2 * BATCH, BATCH)
    assert [r.feedback.id for r in kit.store.records()] == sorted(
        (r.feedback.id for r, _ in items),
        key=lambda i: (kit.store.feedback(i).received_at, str(i)),
    )
    assert kit.store.record(record.feedback.id) == record


def test_import_streams_the_file_into_the_stores_batches(kit: FeedbackKit, tmp_path: Path) -> None:
    path = tmp_path / "cases.jsonl"
    path.write_text("".join(encode(r) + "\n" for r in generate(2 * BATCH + 1, seed=5)))
    stored_when_read: list[int] = []

    def lines() -> Iterator[object]:
        for item in read(path):
            stored_when_read.append(kit.count())
            yield item

    with RejectFile(tmp_path / "rejects.jsonl") as rejects:
        report = import_items(kit, lines(), source=str(path), rejects=rejects)  # type: ignore[arg-type]
    assert (report.read, report.inserted, report.rejected) == (2 * BATCH + 1, 2 * BATCH + 1, 0)
    assert stored_when_read == [BATCH * (n // BATCH) for n in range(2 * BATCH + 1)]


@pytest.mark.parametrize(
    ("flag", "shown"), [(["--progress"], True), (["--no-progress"], False), ([], False)]
)
def test_demo_and_import_show_progress_on_stderr_when_asked(
    tmp_path: Path, flag: list[str], shown: bool
) -> None:
    runner = CliRunner()
    db = str(tmp_path / "demo.sqlite")
    out = tmp_path / "reports"
    demo = runner.invoke(cli, ["--db", db, "demo", "--size", "30", "--out", str(out), *flag])
    assert demo.exit_code == 0, demo.output
    assert ("Demodata aanmaken en opslaan: 30/30" in demo.stderr) is shown
    exported = tmp_path / "cases.jsonl"
    assert runner.invoke(cli, ["--db", db, "export", "--out", str(exported)]).exit_code == 0
    again = runner.invoke(cli, ["--db", str(tmp_path / "b.sqlite"), "import", str(exported), *flag])
    assert again.exit_code == 0, again.output
    assert ("Importing cases.jsonl: 30" in again.stderr) is shown
    assert "30 read = 30 imported" in again.stderr

"""The synthetic demo year: deterministic, complete, legal histories, ground truth; the CLI."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import datetime, timedelta
from itertools import islice
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from feedbackkit.builtin.procedures import builtin_procedures
from feedbackkit.cli import cli
from feedbackkit.clock import AMSTERDAM
from feedbackkit.deadlines import DeadlineStatus
from feedbackkit.demo import MIN_COVERAGE_SIZE, generate, group_of, reference_day
from feedbackkit.errors import ValidationError
from feedbackkit.models import CaseRecord
from feedbackkit.service import FeedbackKit
from feedbackkit.vocabulary import (
    Channel,
    Form,
    Initiative,
    Kind,
    LinkType,
    Origin,
    PartyKind,
    PartyRole,
    Relationship,
    label,
)
from feedbackkit.workflow.case import CaseState

SEED = 11
SIZE = 1500
DOC = Path(__file__).parent.parent / "docs" / "demo.md"
EXAMPLES = re.findall(r"```python\n(.*?)```", DOC.read_text("utf-8"), re.S)


@pytest.fixture(scope="module")
def kit() -> Iterator[FeedbackKit]:
    with FeedbackKit.open(":memory:") as kit:
        yield kit


@pytest.fixture(scope="module")
def year() -> list[CaseRecord]:
    """One demo year, shared by the tests that only read it."""
    return list(generate(SIZE, seed=SEED))


@pytest.fixture(scope="module")
def states(year: list[CaseRecord], kit: FeedbackKit) -> dict[object, CaseState]:
    """Every case's state as the facade derives it (``prepare`` raises on an illegal history)."""
    return {r.feedback.id: kit.prepare(r)[1] for r in year}


def links(record: CaseRecord, kind: LinkType) -> list[object]:
    return [link.target for link in record.feedback.links if link.type is kind]


# -- determinism and streaming ------------------------------------------------------------


def test_the_same_seed_and_size_give_identical_records_ids_included(
    year: list[CaseRecord],
) -> None:
    assert list(generate(SIZE, seed=SEED)) == year


def test_another_seed_gives_another_year() -> None:
    one, other = list(generate(200, seed=1)), list(generate(200, seed=2))
    assert not {r.feedback.id for r in one} & {r.feedback.id for r in other}
    assert [r.feedback.text for r in one] != [r.feedback.text for r in other]


def test_the_output_does_not_depend_on_the_interpreter_hash_seed() -> None:
    script = (
        "import hashlib; from feedbackkit.demo import generate; "
        "print(hashlib.sha256(repr(list(generate(300, seed=3))).encode()).hexdigest())"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", script],
            env={**os.environ, "PYTHONHASHSEED": hash_seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for hash_seed in ("1", "2")
    }
    expected = hashlib.sha256(repr(list(generate(300, seed=3))).encode()).hexdigest()
    assert digests == {expected + "\n"}


def test_records_are_streamed_not_built_up_front() -> None:
    first = list(islice(generate(10**9, seed=4), 50))
    assert len({r.feedback.id for r in first}) == 50


@pytest.mark.parametrize(
    ("size", "year", "field"), [(-1, 2026, "size"), (True, 2026, "size"), (10, 1800, "year")]
)
def test_bad_arguments_are_named(size: int, year: int, field: str) -> None:
    with pytest.raises(ValidationError) as error:
        generate(size, year=year)
    assert error.value.field == field


# -- coverage -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "seed", "year"),
    [(MIN_COVERAGE_SIZE, 1, 2026), (MIN_COVERAGE_SIZE, 2, 2027), (40, 3, 2028), (SIZE, SEED, 2026)],
)
def test_from_the_minimum_size_on_every_kind_channel_origin_and_form_occurs(
    size: int, seed: int, year: int
) -> None:
    records = list(generate(size, seed=seed, year=year))
    assert len(records) == size
    feedback = [r.feedback for r in records]
    assert {f.kind for f in feedback} == set(Kind)
    assert {f.channel for f in feedback} == set(Channel)
    assert {f.initiative for f in feedback} == set(Initiative)
    assert {f.origin for f in feedback} == set(Origin)
    assert {f.form for f in feedback} == set(Form)


def test_histories_use_every_action_of_every_procedure(
    year: list[CaseRecord], kit: FeedbackKit
) -> None:
    used: defaultdict[str, set[str]] = defaultdict(set)
    for record in year:
        used[kit.procedure_for(record.feedback).name].update(e.action for e in record.events)
    for procedure in builtin_procedures():
        unused = set(procedure.actions) - used[procedure.name]
        # ambassadors monitor informal feedback, not formal objections
        assert unused <= ({"assign_ambassador"} if procedure.name == "objection" else set())


# -- legal, realistic histories -----------------------------------------------------------


@pytest.mark.parametrize(("seed", "year_"), [(5, 2027), (6, 2028)])
def test_every_record_replays_under_its_procedure_in_other_years(
    kit: FeedbackKit, seed: int, year_: int
) -> None:
    for record in generate(400, seed=seed, year=year_):
        kit.prepare(record)
        assert record.feedback.received_at.year == year_


def test_events_follow_receipt_in_order_within_the_year(
    year: list[CaseRecord], states: dict[object, CaseState]
) -> None:
    end = datetime(2027, 1, 1, tzinfo=AMSTERDAM)
    for record in year:
        moments = [record.feedback.received_at, *(e.at for e in record.events)]
        assert moments == sorted(moments)
        assert moments[-1] < end
        assert record.feedback.received_at.year == 2026
        for outcome in record.outcomes:
            done_at = states[record.feedback.id].done_at
            assert done_at is not None
            assert done_at < outcome.recorded_at < end


def test_ids_are_unique_except_for_parties_in_several_cases(year: list[CaseRecord]) -> None:
    ids = [
        item.id for record in year for item in (record.feedback, *record.events, *record.outcomes)
    ]
    assert len(ids) == len(set(ids))
    shared = Counter(p.id for record in year for p in record.parties)
    assert set(shared.values()) != {1}, "employees are beklaagde in several complaints"


def test_the_year_ends_with_open_cases_and_missed_deadlines_in_every_procedure(
    year: list[CaseRecord], states: dict[object, CaseState], kit: FeedbackKit
) -> None:
    missed: Counter[str] = Counter()
    late_cases = 0
    for record in year:
        deadlines = kit.compute_deadlines(record.feedback, record.events, reference_day())
        statuses = {d.status for d in deadlines}
        missed[states[record.feedback.id].procedure] += DeadlineStatus.MISSED in statuses
        late_cases += DeadlineStatus.MISSED in statuses
    assert set(missed) == {p.name for p in builtin_procedures()}
    assert 0.05 < late_cases / SIZE < 0.5
    still_open = [r for r in year if not states[r.feedback.id].done]
    assert 0.01 < len(still_open) / SIZE < 0.2
    forgotten = [r for r in still_open if r.feedback.received_at.month < 11]
    assert forgotten, "some cases stay open long after their terms ran out"


def test_closed_cases_carry_relationship_outcomes(
    year: list[CaseRecord], states: dict[object, CaseState]
) -> None:
    closed = [r for r in year if states[r.feedback.id].done]
    answered = [r for r in closed if r.outcomes]
    assert len(answered) > 0.15 * len(closed)
    assert all(states[r.feedback.id].done for r in year if r.outcomes)
    assert {o.relationship for r in answered for o in r.outcomes} == set(Relationship)


# -- ground truth for learning: escalations and same-problem groups ----------------------------


def test_unresolved_meldingen_reported_again_became_linked_complaints(
    year: list[CaseRecord],
) -> None:
    position = {r.feedback.id: i for i, r in enumerate(year)}
    escalated = [r for r in year if links(r, LinkType.ESCALATED_FROM)]
    assert escalated
    for complaint in escalated:
        (original_id,) = links(complaint, LinkType.ESCALATED_FROM)
        assert links(complaint, LinkType.REPEAT_OF) == [original_id]
        original = year[position[original_id]]
        assert position[original_id] < position[complaint.feedback.id]
        assert (original.feedback.kind, complaint.feedback.kind) == (Kind.MELDING, Kind.COMPLAINT)
        (repeat,) = [e for e in original.events if e.action == "repeat_reported"]
        assert repeat.payload["complaint"] == str(complaint.feedback.id)
        assert repeat.at == complaint.feedback.received_at
        reporters = original.feedback.party_ids(PartyRole.REPORTER)
        if reporters:
            assert complaint.feedback.party_ids(PartyRole.COMPLAINANT) == reporters


def test_meldingen_reported_again_after_closing_are_linked_repeats(
    year: list[CaseRecord], states: dict[object, CaseState]
) -> None:
    by_id = {r.feedback.id: r for r in year}
    repeats = [
        r for r in year if links(r, LinkType.REPEAT_OF) and not links(r, LinkType.ESCALATED_FROM)
    ]
    assert repeats
    for repeat in repeats:
        (original_id,) = links(repeat, LinkType.REPEAT_OF)
        original = by_id[original_id]
        assert repeat.feedback.kind is original.feedback.kind is Kind.MELDING
        closed = [e.at for e in original.events if e.action == "close"]
        assert closed
        assert closed[-1] < repeat.feedback.received_at


def test_same_problem_groups_share_problem_place_and_period(year: list[CaseRecord]) -> None:
    groups: defaultdict[int, list[CaseRecord]] = defaultdict(list)
    for record in year:
        group = group_of(record.feedback)
        if group is not None:
            groups[group].append(record)
    assert len(groups) >= 3
    assert sum(len(members) >= 3 for members in groups.values()) >= 3
    member_ids = {r.feedback.id: g for g, members in groups.items() for r in members}
    for group, members in groups.items():
        feedback = [r.feedback for r in members]
        assert len({(f.subject, f.org_unit) for f in feedback}) == 1
        neighbourhoods = {f.location.rsplit(", ", 1)[1] for f in feedback if f.location}
        assert len(neighbourhoods) <= 1
        days = sorted(f.received_at.date() for f in feedback)
        assert days[-1] - days[0] <= timedelta(days=60)
        for record in members:
            for target in links(record, LinkType.SAME_PROBLEM_AS):
                assert member_ids[target] == group


# -- synthetic people ---------------------------------------------------------------------


def test_parties_are_clearly_fake_and_varied(year: list[CaseRecord]) -> None:
    parties = {p.id: p for r in year for p in r.parties}.values()
    fake_mail = re.compile(r"^[a-z0-9.]+@([a-z0-9.]+\.)?(example\.(org|com|net)|[a-z]+\.invalid)$")
    assert all(fake_mail.match(p.email) for p in parties if p.email)
    assert all(re.fullmatch(r"06-0000\d{4}", p.phone) for p in parties if p.phone)
    assert {p.kind for p in parties} == set(PartyKind)
    assert any(p.vulnerable for p in parties)
    roles = {ref.role for r in year for ref in r.feedback.parties}
    assert roles == set(PartyRole)
    anonymous = [r for r in year if not r.parties]
    assert anonymous
    assert all(r.feedback.kind not in (Kind.COMPLAINT, Kind.OBJECTION) for r in anonymous)


# -- feedbackkit demo ---------------------------------------------------------------------


def demo(db: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", str(db), "demo", *args], catch_exceptions=False)


def test_demo_fills_the_database_prints_a_summary_and_a_rerun_adds_nothing(
    tmp_path: Path, kit: FeedbackKit
) -> None:
    db, size = tmp_path / "demo.sqlite", 300
    first = demo(db, "--size", str(size), "--seed", "7")
    assert first.exit_code == 0
    records = list(generate(size, seed=7))
    kinds = Counter(r.feedback.kind for r in records)
    late = sum(
        any(
            d.status is DeadlineStatus.MISSED
            for d in kit.compute_deadlines(r.feedback, r.events, reference_day())
        )
        for r in records
    )
    lines = first.stdout.splitlines()
    assert lines[:2] == [
        f"{size} zaken in 2026 (seed 7): {size} nieuw opgeslagen, 0 waren er al",
        "Stand per 31 december 2026",
    ]
    for kind, count in kinds.items():
        assert re.search(rf"^  {re.escape(label(kind))} +{count} ", first.stdout, re.M)
    assert re.search(rf"^  Zaken met een gemiste termijn +{late} ", first.stdout, re.M)
    with FeedbackKit.open(db) as stored:
        assert stored.count() == size

    again = demo(db, "--size", str(size), "--seed", "7")
    assert again.stdout.splitlines()[0].endswith(f"0 nieuw opgeslagen, {size} waren er al")
    assert again.stdout.splitlines()[1:] == lines[1:]
    with FeedbackKit.open(db) as stored:
        assert stored.count() == size


def test_demo_summary_in_english(tmp_path: Path) -> None:
    result = demo(tmp_path / "demo.sqlite", "--size", "60", "--lang", "en")
    assert result.exit_code == 0
    assert result.stdout.startswith("60 cases in 2026 (seed 2026): 60 newly stored")
    for heading in ("Kind", "Channel", "Deadlines", "Cases with a missed deadline"):
        assert heading in result.stdout


# -- docs/demo.md -------------------------------------------------------------------------


def test_the_doc_has_examples() -> None:
    assert len(EXAMPLES) >= 2


@pytest.mark.parametrize("index", range(len(EXAMPLES)))
def test_the_examples_in_the_doc_run(index: int) -> None:
    exec(compile(EXAMPLES[index], f"{DOC.name}[{index}]", "exec"), {"__name__": "docs_example"})

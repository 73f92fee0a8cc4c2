"""kit.metrics: known answers on a hand-built register, the same on every store.

Every test runs on the in-memory store (metrics streamed in Python), SQLite and
PostgreSQL (metrics computed in the database).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from feedbackkit import FeedbackKit, migrations
from feedbackkit.clock import FixedClock
from feedbackkit.errors import ValidationError
from feedbackkit.learning.models import GoldenFlag, ImprovementAction, Notice
from feedbackkit.models import RelationshipOutcome
from feedbackkit.plugins import load_plugins
from feedbackkit.storage import schema
from feedbackkit.storage.measures import (
    ChannelUse,
    Count,
    LeadTime,
    Learning,
    RelationshipCount,
    Repeats,
    Resolution,
    Satisfaction,
    Shares,
    TermCompliance,
)
from feedbackkit.storage.metrics import SqlMetrics
from feedbackkit.storage.terms import OUTCOME_FACTS, TermStatus, case_fact
from metrics_data import at, case, register

PLUGINS = load_plugins(entry_point_plugins=False)
MARCH: dict[str, Any] = {"start": date(2026, 3, 1), "end": date(2026, 4, 1)}
AS_OF = date(2026, 3, 31)
STORES = ["memory", "sqlite", "postgresql"]


def _open(request: pytest.FixtureRequest, tmp_path: Any, which: str) -> FeedbackKit:
    clock = FixedClock(at(5, 1))
    if which == "memory":
        return FeedbackKit.open(":memory:", plugins=PLUGINS, clock=clock)
    if which == "sqlite":
        return FeedbackKit.open(tmp_path / "metrics.sqlite", plugins=PLUGINS, clock=clock)
    return FeedbackKit.open(request.getfixturevalue("postgres_url"), plugins=PLUGINS, clock=clock)


@pytest.fixture(params=STORES)
def store_name(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def kit(request: pytest.FixtureRequest, tmp_path: Any, store_name: str) -> Iterator[FeedbackKit]:
    opened = _open(request, tmp_path, store_name)
    opened.ingest(register().values())
    yield opened
    opened.close()


def ids(kit: FeedbackKit) -> dict[str, uuid.UUID]:
    return {r.feedback.reference or "": r.feedback.id for r in kit.store.records()}


def test_a_sql_store_computes_in_the_database(kit: FeedbackKit, store_name: str) -> None:
    assert isinstance(kit.metrics, SqlMetrics) == (store_name != "memory")


def test_received_counts_by_dimension_and_period(kit: FeedbackKit) -> None:
    metrics = kit.metrics
    assert metrics.received("kind", **MARCH) == (
        Count("complaint", None, 4),
        Count("compliment", None, 1),
        Count("melding", None, 2),
    )
    assert metrics.received("origin", **MARCH) == (
        Count("external", None, 6),
        Count("internal", None, 1),
    )
    assert metrics.received(per="month") == (Count(None, "2026-03", 7), Count(None, "2026-04", 1))
    assert metrics.received("form", per="quarter", kinds=["complaint", "remark"]) == (
        Count("oral", "2026-Q1", 1),
        Count("written", "2026-Q1", 3),
        Count("written", "2026-Q2", 1),
    )
    assert metrics.received(per="year") == (Count(None, "2026", 8),)
    assert metrics.received() == (Count(None, None, 8),)
    assert metrics.received("kind", procedures=["melding"]) == (Count("melding", None, 2),)
    assert metrics.received("kind", start=date(2027, 1, 1)) == ()
    assert metrics.received(per="month", start=date(2027, 1, 1)) == ()


def test_channels_in_use_with_the_first_case_of_each(kit: FeedbackKit) -> None:
    case = ids(kit)
    assert kit.metrics.channels(**MARCH) == (
        ChannelUse("app", 1, case["D"]),
        ChannelUse("counter", 1, case["E"]),
        ChannelUse("email", 1, case["A"]),
        ChannelUse("phone", 2, case["B"]),
        ChannelUse("survey", 1, case["G"]),
        ChannelUse("web_form", 1, case["C"]),
    )


def test_informal_oral_internal_and_proactive_shares(kit: FeedbackKit) -> None:
    shares = kit.metrics.shares(**MARCH)
    assert shares == Shares(cases=7, informal=3, oral=2, internal=1, proactive=1)
    assert shares.share("informal") == pytest.approx(3 / 7)
    assert kit.metrics.shares(start=date(2027, 1, 1)).share("oral") is None


def test_deadline_compliance_per_term_as_of_a_day(kit: FeedbackKit) -> None:
    found = kit.metrics.compliance(as_of=AS_OF, **MARCH)
    assert found == (
        TermCompliance("awb_complaint", "acknowledge", False, met=1, late=1, overdue=2),
        TermCompliance("awb_complaint", "handling", True, met=1, late=1, open=2),
        TermCompliance("awb_complaint", "not_handled_notice", True, open=1),
        TermCompliance("awb_complaint", "personal_contact", False, met=1, late=1, overdue=2),
        TermCompliance("generic", "acknowledge", False, overdue=1),
        TermCompliance("generic", "respond", False, overdue=1),
        TermCompliance("melding", "acknowledge", False, met=1, overdue=1),
        TermCompliance("melding", "handling", False, met=1, overdue=1),
        TermCompliance("melding", "inform_reporter", False, met=1),
    )
    handling = found[1]
    assert (handling.due, handling.in_time) == (2, 0.5)
    # Earlier, C's Awb 9:8 notice was still running; later, C's handling is overdue.
    earlier = kit.metrics.compliance(as_of=date(2026, 3, 20), kinds=["complaint"])
    assert earlier[2] == TermCompliance("awb_complaint", "not_handled_notice", True, open=2)
    later = kit.metrics.compliance(as_of=date(2026, 4, 20), kinds=["complaint"])
    assert later[1] == TermCompliance("awb_complaint", "handling", True, 1, 1, 0, 1, 1)


def test_compliance_as_of_defaults_to_today(kit: FeedbackKit) -> None:
    assert kit.metrics.compliance(**MARCH) == kit.metrics.compliance(
        as_of=date(2026, 5, 1), **MARCH
    )


def test_acting_on_a_case_rewrites_its_terms(kit: FeedbackKit) -> None:
    case = ids(kit)["C"]
    kit.act(case, "contact_made", actor="anna", payload={"medium": "visit"}, at=at(3, 4))
    contact = kit.metrics.compliance(as_of=AS_OF, kinds=["complaint"])[3]
    assert contact == TermCompliance("awb_complaint", "personal_contact", False, 2, 1, 0, 1, 0)


def test_lead_time_percentiles_from_receipt_to_done(kit: FeedbackKit) -> None:
    a, b, d = timedelta(days=4), timedelta(days=49, hours=-1), timedelta(days=2, hours=5)
    assert kit.metrics.lead_times("kind", **MARCH) == (
        LeadTime("complaint", 2, a, b, b),
        LeadTime("melding", 1, d, d, d),
    )
    assert kit.metrics.lead_times("procedure") == (
        LeadTime("awb_complaint", 2, a, b, b),
        LeadTime("generic", 1, timedelta(days=1), timedelta(days=1), timedelta(days=1)),
        LeadTime("melding", 1, d, d, d),
    )


def test_relationship_outcomes_count_each_case_latest(kit: FeedbackKit) -> None:
    assert kit.metrics.relationship(**MARCH) == (RelationshipCount(None, 1, 1, 1),)
    assert kit.metrics.relationship(per="month") == (RelationshipCount("2026-03", 1, 1, 1),)
    only = kit.metrics.relationship(kinds=["complaint"])[0]
    assert (only.responses, only.share("weaker")) == (2, 0.5)


def test_satisfaction_from_each_case_latest_outcome(kit: FeedbackKit) -> None:
    found = kit.metrics.satisfaction(**MARCH)
    assert found == Satisfaction(3, 2, 7, 2, 5, 2, 1, 2, 1, 1, 2, 1)
    assert (found.handling, found.solution, found.nps) == (3.5, 2.5, 0.0)
    assert found.fairly_treated == found.expectations_exceeded == 0.5
    assert kit.metrics.satisfaction(kinds=["tip"]).handling is None


def test_repeats_and_repeats_that_became_complaints(kit: FeedbackKit) -> None:
    assert kit.metrics.repeats(**MARCH) == Repeats(cases=7, repeats=2, escalated=1)
    assert kit.metrics.repeats(kinds=["complaint"]) == Repeats(cases=4, repeats=1, escalated=1)


def test_resolutions_say_which_action_met_each_term(kit: FeedbackKit) -> None:
    assert kit.metrics.resolutions(kinds=["complaint"]) == (
        Resolution("awb_complaint", "acknowledge", "acknowledge", 2),
        Resolution("awb_complaint", "handling", "resolve_informally", 1),
        Resolution("awb_complaint", "handling", "send_findings", 1),
        Resolution("awb_complaint", "personal_contact", "contact_made", 2),
    )
    melding = kit.metrics.resolutions(kinds=["melding"])
    assert Resolution("melding", "inform_reporter", "close", 1) in melding


def test_learning_loop_golden_flags_and_improvement_actions(kit: FeedbackKit) -> None:
    assert kit.metrics.learning(**MARCH) == Learning(7, 0, 0, 0, 0)
    case = ids(kit)
    kit.store.put_golden(GoldenFlag(case["B"], "anna", at(4, 21), "Klager ziet wat wij missen."))
    kit.store.put_golden(GoldenFlag(case["H"], "anna", at(4, 21), "Buiten maart."))

    def action(title: str, status: str, notices: Sequence[Notice] = ()) -> ImprovementAction:
        return ImprovementAction(
            title=title,
            owner="team",
            target_group="balie",
            created_at=at(3, 20),
            created_by="anna",
            status=status,
            cases=(case["B"],),
            notices=tuple(notices),
            done_at=at(3, 25) if status == "done" else None,
            change_made="Balie belt terug" if status == "done" else None,
        )

    told = Notice(case["B"], "brief", at(3, 26))
    for found in (action("X", "done", [told]), action("Y", "done"), action("Z", "open")):
        kit.store.put_action(found)
    assert kit.metrics.learning(**MARCH) == Learning(7, 1, 3, 2, 1)
    assert kit.metrics.learning(start=date(2026, 4, 1)) == Learning(1, 1, 0, 0, 0)


def test_span_of_receipt(kit: FeedbackKit) -> None:
    assert kit.metrics.span() == (date(2026, 3, 2), date(2026, 4, 2))
    assert kit.metrics.span(kinds=["melding"]) == (date(2026, 3, 10), date(2026, 3, 11))
    assert kit.metrics.span(kinds=["tip"]) is None


@pytest.mark.parametrize("which", STORES)
def test_periods_are_amsterdam_calendar_periods(
    request: pytest.FixtureRequest, tmp_path: Any, which: str
) -> None:
    with _open(request, tmp_path, which) as kit:
        kit.ingest(
            [
                case("new year", "tip", "email", at(1, 1, 0, 30)),  # 31 Dec 23:30 UTC
                case("march", "tip", "email", at(3, 31, 23, 30)),  # 21:30 UTC, summer time
                case("april", "tip", "email", at(4, 1, 0, 30)),
                case("old year", "tip", "email", at(12, 31, 23, 30, year=2025)),
            ]
        )
        assert kit.metrics.received(per="month") == (
            Count(None, "2025-12", 1),
            Count(None, "2026-01", 1),
            Count(None, "2026-03", 1),
            Count(None, "2026-04", 1),
        )
        assert kit.metrics.received(per="year") == (Count(None, "2025", 1), Count(None, "2026", 3))
        assert kit.metrics.shares(start=date(2026, 1, 1), end=date(2026, 4, 1)).cases == 2


def test_bad_filters_are_typed_errors_naming_the_field() -> None:
    with FeedbackKit.open(":memory:", plugins=PLUGINS) as kit:
        with pytest.raises(ValidationError, match="end: must lie after start"):
            kit.metrics.shares(start=date(2026, 3, 1), end=date(2026, 3, 1))
        with pytest.raises(ValidationError, match="by: unknown value 'colour'"):
            kit.metrics.received("colour")
        with pytest.raises(ValidationError, match="per: unknown value 'week'"):
            kit.metrics.relationship(per="week")
        with pytest.raises(ValidationError, match="kinds: unknown value 'klacht'"):
            kit.metrics.repeats(kinds=["klacht"])
        with pytest.raises(ValidationError, match="kinds: must be a list"):
            kit.metrics.repeats(kinds="complaint")
        with pytest.raises(ValidationError, match="start: must be a date"):
            kit.metrics.shares(start=at(3, 1))


def test_stored_terms_are_settled_by_the_history_alone(tmp_path: Any) -> None:
    """The rows hold what the history settles; 'overdue' is decided when asked."""
    with FeedbackKit.open(tmp_path / "t.sqlite", plugins=PLUGINS) as kit:
        records = register()
        c = records["C"]
        terms = {t.term: t for t in kit.terms(c.feedback, c.events, "awb_complaint")}
        assert terms["personal_contact"].status is TermStatus.OPEN
        assert terms["personal_contact"].due == date(2026, 3, 5)
        assert terms["not_handled_notice"].status is TermStatus.CONDITIONAL
        a = records["A"]
        terms = {t.term: t for t in kit.terms(a.feedback, a.events, "awb_complaint")}
        assert (terms["handling"].status, terms["handling"].action) == (
            TermStatus.MET,
            "resolve_informally",
        )
        assert terms["not_handled_notice"].status is TermStatus.LAPSED
        assert kit.terms(a.feedback, a.events, "no_such_procedure") == ()


# -- each case's latest outcome, kept on write (case_facts on the SQL stores) -------------

LOW, HIGH = uuid.UUID(int=1), uuid.UUID(int=2)
TIED = case(
    "tied",
    "tip",
    "email",
    at(3, 20),
    outcomes=[  # the same instant: the higher id is the latest, whatever the order
        {"recorded_at": at(3, 21), "relationship": "stronger", "id": HIGH},
        {"recorded_at": at(3, 21), "relationship": "weaker", "would_recommend": 2, "id": LOW},
    ],
)


def outcome_metrics(kit: FeedbackKit) -> list[Any]:
    """The outcome metrics in total, per month, scoped by a day and a kind, and by a month."""
    m = kit.metrics
    return [
        m.relationship(),
        m.relationship(per="month"),
        m.relationship(per="quarter", kinds=["complaint", "tip"], start=date(2026, 3, 2)),
        m.satisfaction(),
        m.satisfaction(**MARCH),
    ]


def test_the_latest_outcome_counts_when_outcomes_are_recorded_later(kit: FeedbackKit) -> None:
    case = ids(kit)
    record = kit.record_outcome
    # C had none; B's later one supersedes its weaker one; A's is older than its latest;
    # D's two come at the same instant, after its own: the higher id is the latest
    record(RelationshipOutcome(case["C"], at(3, 20), "unchanged", satisfaction_handling=3))
    record(RelationshipOutcome(case["B"], at(4, 26), "stronger", would_recommend=10))
    record(RelationshipOutcome(case["A"], at(3, 8), "weaker"))
    record(RelationshipOutcome(case["D"], at(3, 14), "weaker", id=HIGH))
    record(RelationshipOutcome(case["D"], at(3, 14), "stronger", id=LOW))
    kit.act(case["C"], "contact_made", actor="anna", payload={"medium": "visit"}, at=at(3, 21))
    # A stronger, B stronger, C unchanged, D weaker; E, F and G have none
    assert kit.metrics.relationship(**MARCH) == (RelationshipCount(None, 2, 1, 1),)
    assert kit.metrics.relationship(per="month", kinds=["complaint"]) == (
        RelationshipCount("2026-03", stronger=2, unchanged=1),
    )
    assert kit.metrics.satisfaction(**MARCH) == Satisfaction(4, 2, 8, 1, 4, 1, 1, 2, 2, 0, 1, 1)
    assert kit.metrics.satisfaction(kinds=["melding"]) == Satisfaction(1)


@pytest.mark.parametrize("which", ["sqlite", "postgresql"])
def test_outcomes_ingested_and_recorded_answer_as_the_python_reference(
    request: pytest.FixtureRequest, tmp_path: Any, which: str
) -> None:
    register_ = register()
    records = [*register_.values(), TIED]
    later = [
        RelationshipOutcome(TIED.feedback.id, at(3, 21), "unchanged", id=uuid.UUID(int=3)),
        RelationshipOutcome(register_["C"].feedback.id, at(3, 22), "weaker", fairly_treated=True),
    ]
    with _open(request, tmp_path, "memory") as memory, _open(request, tmp_path, which) as sql:
        for kit in (memory, sql):
            kit.ingest(records)
        assert outcome_metrics(sql) == outcome_metrics(memory)
        assert sql.metrics.relationship(kinds=["tip"]) == (RelationshipCount(None, stronger=1),)
        for outcome in later:
            memory.record_outcome(outcome)
            sql.record_outcome(outcome)
        assert outcome_metrics(sql) == outcome_metrics(memory)
        assert sql.metrics.relationship(kinds=["tip"]) == (RelationshipCount(None, unchanged=1),)


# -- the contract: every store gives the same answers on the same (demo) data -------------

FULL_SET: dict[str, Any] = {
    "received": lambda m: [
        m.received(d, per=p)
        for d in (None, "kind", "channel", "initiative", "origin", "form")
        for p in (None, "month", "quarter", "year")
    ],
    "received, scoped": lambda m: [
        m.received("channel", per="month", start=date(2026, 3, 15), end=date(2026, 8, 1)),
        m.received("form", per="quarter", procedures=["awb_complaint", "melding"]),
        m.received(kinds=["complaint", "melding"], start=date(2026, 2, 1)),
    ],
    "channels": lambda m: m.channels(),
    "channels, scoped": lambda m: m.channels(
        kinds=["complaint"], start=date(2026, 2, 10), end=date(2026, 11, 1)
    ),
    "shares": lambda m: m.shares(kinds=["complaint", "remark", "melding"]),
    "shares, scoped": lambda m: m.shares(start=date(2026, 5, 1), procedures=["melding"]),
    "compliance": lambda m: m.compliance(as_of=date(2026, 9, 30)),
    "compliance Q2": lambda m: m.compliance(
        as_of=date(2026, 6, 30), start=date(2026, 4, 1), end=date(2026, 7, 1)
    ),
    "lead times": lambda m: (m.lead_times("kind"), m.lead_times("procedure")),
    "relationship": lambda m: (
        m.relationship(),
        m.relationship(per="quarter"),
        m.relationship(per="month", kinds=["complaint"], end=date(2026, 10, 1)),
    ),
    "satisfaction": lambda m: m.satisfaction(),
    "repeats": lambda m: m.repeats(),
    "resolutions": lambda m: (
        m.resolutions(),
        m.resolutions(procedures=["awb_complaint", "objection"]),
        m.resolutions(start=date(2026, 6, 1)),
    ),
    "learning": lambda m: m.learning(),
    "span": lambda m: m.span(),
}


@pytest.mark.parametrize("which", ["sqlite", "postgresql"])
def test_sql_stores_answer_as_the_python_reference_on_demo_data(
    request: pytest.FixtureRequest, tmp_path: Any, which: str
) -> None:
    from feedbackkit.demo import generate

    records = list(generate(1500, seed=11))
    with _open(request, tmp_path, "memory") as memory, _open(request, tmp_path, which) as sql:
        memory.ingest(records)
        sql.ingest(records)
        for name, metric in FULL_SET.items():
            assert metric(sql.metrics) == metric(memory.metrics), name


DOC = Path(__file__).parent.parent / "docs" / "metrics.md"
BLOCKS = re.findall(r"```python\n(.*?)```", DOC.read_text("utf-8"), re.S)


@pytest.mark.parametrize("index", range(len(BLOCKS)))
def test_the_doc_examples_run(index: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    exec(compile(BLOCKS[index], f"{DOC.name}[{index}]", "exec"), {"__name__": "docs_example"})


def test_remembering_metrics_ask_each_question_once(kit: FeedbackKit) -> None:
    once = kit.metrics.remembering()
    assert once.compliance(as_of=AS_OF) is once.compliance(as_of=AS_OF)
    assert once.compliance(as_of=AS_OF) == kit.metrics.compliance(as_of=AS_OF)
    assert kit.metrics.shares() is not kit.metrics.shares()
    whole: dict[str, Any] = {"start": date(2026, 1, 1), "end": date(2027, 1, 1)}  # holds every case
    assert once.compliance(as_of=AS_OF, **whole) == kit.metrics.compliance(as_of=AS_OF, **whole)
    assert once.shares(**MARCH) == kit.metrics.shares(**MARCH)


@pytest.mark.parametrize("which", ["sqlite", "postgresql"])
def test_the_migration_fills_the_facts_of_cases_already_stored(
    request: pytest.FixtureRequest, tmp_path: Any, which: str
) -> None:
    """Cases stored before rev0002 get their facts (Amsterdam month included) from it,
    and their latest outcome from rev0004 (by the metrics' rule, ties by id)."""
    url = (
        f"sqlite:///{tmp_path / 'metrics.sqlite'}"
        if which == "sqlite"
        else request.getfixturevalue("postgres_url")
    )
    records = [
        *register().values(),
        case("new year", "tip", "email", at(1, 1, 0, 30)),  # 31 Dec 23:30 UTC
        case("summer", "tip", "email", at(3, 31, 23, 30)),  # 21:30 UTC, summer time
        case("old year", "tip", "email", at(12, 31, 23, 30, year=2025)),
        TIED,
    ]
    with _open(request, tmp_path, which) as kit:
        kit.ingest(records)
        expected = {
            str(r.feedback.id): case_fact(
                r.feedback, kit.store.case_state(r.feedback.id), r.outcomes
            )
            for r in records
        }
        before = [kit.metrics.received("kind", per="month"), *outcome_metrics(kit)]
    migrations.downgrade(url, "0001")
    migrations.upgrade(url)
    with _open(request, tmp_path, which) as kit:
        facts = schema.case_facts
        with kit.store.engine.connect() as conn:  # type: ignore[attr-defined]
            stored = {
                str(row.case_id).replace("-", ""): row._asdict()
                for row in conn.execute(sa.select(facts))
            }
        assert len(stored) == len(expected)
        checked = ("month", "kind", "procedure", "lead_seconds", *OUTCOME_FACTS)
        for case_id, fact in expected.items():
            row = stored[case_id.replace("-", "")]
            assert {k: row[k] for k in checked} == {k: fact[k] for k in checked}
        assert [kit.metrics.received("kind", per="month"), *outcome_metrics(kit)] == before

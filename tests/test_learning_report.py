"""The learning pages on the demo municipality, through the command line: the learning
report (internal and public: no personal data), the improvement-meeting agenda with the
decisions recorded back, Feedback Friday, and the reports `feedbackkit demo` writes."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from feedbackkit.cli import cli
from feedbackkit.learning.period import parse_period
from feedbackkit.learning.privacy import is_bsn
from feedbackkit.learning.taxonomy import default_taxonomy
from feedbackkit.learning.views import Texts, staff_and_parties
from feedbackkit.models import CaseRecord
from feedbackkit.service import FeedbackKit
from feedbackkit.vocabulary import Relationship

SIZE, SEED = 1500, 5
REFERENCE = re.compile(r"\b[A-Z]{2}-2026-\d{5}\b")


def run(db: Path, *args: str) -> Result:
    result = CliRunner().invoke(
        cli, ["--db", str(db), *args], catch_exceptions=False, env={"FEEDBACKKIT_ACTOR": "Noor"}
    )
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo year in a database; the demo wrote its reports beside it."""
    folder = tmp_path_factory.mktemp("demo")
    run(folder / "demo.sqlite", "demo", "--size", str(SIZE), "--seed", str(SEED))
    return folder


@pytest.fixture(scope="module")
def records(demo: Path) -> list[CaseRecord]:
    with FeedbackKit.open(demo / "demo.sqlite") as kit:
        return list(kit.store.records())


def personal_data(records: list[CaseRecord]) -> set[str]:
    """Every name, e-mail address and phone number of a party, and every BSN in a text."""
    found = set()
    for record in records:
        for party in record.parties:
            found.update(v for v in (party.name, party.email, party.phone) if v)
        found.update(n for n in re.findall(r"\b\d{9}\b", record.feedback.text) if is_bsn(n))
    return found


def test_the_demo_writes_the_learning_reports(demo: Path) -> None:
    for name in ("learning.html", "learning.md", "learning-public.html", "learning-public.md"):
        assert (demo / name).stat().st_size > 2000, name
    assert REFERENCE.search((demo / "learning.md").read_text("utf-8"))


def test_the_public_report_holds_none_of_the_personal_data_in_the_data(
    demo: Path, records: list[CaseRecord]
) -> None:
    quarter = parse_period("2026-Q4")
    texts = [r.feedback.text for r in records if quarter.contains(r.feedback.received_at.date())]
    secrets = personal_data(records)
    in_texts = {s for s in secrets if any(s in text for text in texts)}
    assert len({s for s in in_texts if "@" in s}) >= 3, "the demo writes e-mail addresses"
    assert len({s for s in in_texts if s.isdigit()}) >= 3, "the demo writes BSNs"
    assert len({s for s in in_texts if " " in s and "@" not in s}) >= 3, "... and names"
    for name in ("learning-public.md", "learning-public.html"):
        page = html.unescape((demo / name).read_text("utf-8"))
        leaked = sorted(s for s in secrets if s in page)
        assert not leaked, f"{name}: {leaked[:5]}"
        assert not REFERENCE.search(page)
    scrub = Texts("nl", default_taxonomy(), public=True, parties=staff_and_parties(records)).scrub
    scrubbed = [scrub(text) for text in texts]
    leaked = sorted({s for text in scrubbed for s in in_texts if s in text})
    assert not leaked, leaked[:5]


def test_the_report_leads_with_stories_and_keeps_counts_for_the_end(
    demo: Path, tmp_path: Path
) -> None:
    db = demo / "demo.sqlite"
    run(db, "learn", "report", "--period", "2026-Q3", "--out", str(tmp_path / "q3.html"),
        "--out", str(tmp_path / "q3.pdf"))  # fmt: skip
    page = (tmp_path / "q3.html").read_text("utf-8")
    headings = re.findall(r"<h2>(.*?)</h2>", page)
    assert headings == [
        "Verhalen die ertoe doen",
        "In de woorden van klanten",
        "Emoties",
        "Thema&#39;s en hun trend",
        "Wat we veranderden",
        "Is de relatie sterker geworden?",
        "Ter context: de aantallen",
    ]
    assert page.count("<svg") == 3
    assert REFERENCE.search(page)
    assert (tmp_path / "q3.pdf").read_bytes().startswith(b"%PDF")
    run(db, "learn", "report", "--period", "2026-Q3", "--public", "--lang", "en",
        "--out", str(tmp_path / "q3-en.md"))  # fmt: skip
    english = (tmp_path / "q3-en.md").read_text("utf-8")
    assert english.startswith("# What you told us and what we learned")
    assert "## Did the relationship become stronger?" in english


def test_the_agenda_prepares_the_meeting_and_its_decisions_come_back_as_actions(
    demo: Path, records: list[CaseRecord], tmp_path: Path
) -> None:
    db = demo / "demo.sqlite"
    september = [
        r
        for r in records
        if r.feedback.received_at.month == 9 and r.feedback.kind.value == "complaint"
    ]
    golden = september[0].feedback
    assert golden.reference is not None
    run(db, "learn", "flag", golden.reference, "--reason", "Raakt iedereen die belt.")
    action_id = run(
        db, "learn", "action", "add", "--title", "Terugbelnorm invoeren",
        "--owner", "Teamleider KCC", "--target-group", "Klantcontactcentrum",
        "--due", "2026-09-15", "--case", golden.reference,
        "--theme", "bereikbaarheid", "--origin", "verbeteroverleg 2026-09-01",
    ).stdout.strip()  # fmt: skip
    agenda = run(db, "learn", "agenda", "--since", "2026-09-01", "--until", "2026-09-30").stdout
    overdue = agenda.split("## Verbeteracties over de termijn")[1].split("## ")[0]
    assert "Terugbelnorm invoeren" in overdue
    golden_part = agenda.split("## Gouden klachten")[1].split("## ")[0]
    assert "gemarkeerd: Raakt iedereen die belt." in golden_part
    assert golden.reference in golden_part
    assert "## Nieuwe en stijgende thema's" in agenda
    assert '--origin "verbeteroverleg' in agenda
    listed = run(db, "learn", "action", "list", "--status", "open").stdout
    assert action_id in listed
    assert "(overdue)" in listed
    done = run(db, "learn", "action", "done", action_id, "--change", "We bellen binnen 2 dagen.")
    assert "customers told" in done.stderr
    run(db, "learn", "agenda", "--since", "2026-09-01", "--until", "2026-09-30",
        "--out", str(tmp_path / "agenda.html"))  # fmt: skip
    assert "Terugbelnorm" not in (tmp_path / "agenda.html").read_text("utf-8")
    bad = CliRunner().invoke(
        cli, ["--db", str(db), "learn", "agenda", "--since", "2026-09-30", "--until", "2026-09-01"]
    )
    assert bad.exit_code == 2
    assert "--until" in bad.output


def test_feedback_friday_puts_the_handlers_of_the_best_outcomes_in_the_spotlight(
    demo: Path, records: list[CaseRecord]
) -> None:
    week = parse_period("2026-W40")
    stronger = {
        r.feedback.reference
        for r in records
        for o in r.outcomes
        if week.contains(o.recorded_at.date()) and o.relationship is Relationship.STRONGER
    }
    assert stronger
    page = run(demo / "demo.sqlite", "learn", "spotlight", "--week", "2026-W40").stdout
    shown = re.findall(r"^### (.+) — (\S+)$", page, re.M)
    assert shown
    assert {reference for _, reference in shown} <= stronger
    with FeedbackKit.open(demo / "demo.sqlite") as kit:
        by_reference = {r.feedback.reference: r.feedback.id for r in records}
        for handler, reference in shown:
            assert handler == kit.store.case_state(by_reference[reference]).handler
    bad = CliRunner().invoke(cli, ["--db", str(demo / "demo.sqlite"), "learn", "spotlight",
                                   "--week", "2026-03"])  # fmt: skip
    assert bad.exit_code == 2
    assert "ISO week" in bad.output

"""``feedbackkit audit`` end to end through the command line: the questionnaire template,
the frameworks, and reports in every format from a database and evidence files."""

from __future__ import annotations

import csv
import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from markupsafe import escape

from feedbackkit import Feedback, FeedbackKit
from feedbackkit.audit import registered_framework
from feedbackkit.audit.reporting import AuditDocument
from feedbackkit.builtin.audit import builtin_frameworks
from feedbackkit.cli import cli
from feedbackkit.clock import AMSTERDAM
from feedbackkit.converter import structure
from feedbackkit.plugins import load_plugins

GOUDEN_OOR = registered_framework(load_plugins(entry_point_plugins=False), "gouden-oor")
TITLES = [g.title.nl for d in GOUDEN_OOR.dimensions for g in d.groups]  # 9 areas, 6 principles
LEVELS = {lv.id: lv.title.nl for lv in GOUDEN_OOR.recognition[0].levels}


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """Twenty cases in 2024 over four channels; every fifth one oral, every fourth proactive."""
    path = tmp_path / "register.sqlite"
    with FeedbackKit.open(path) as kit:
        start = datetime(2024, 1, 8, 10, tzinfo=AMSTERDAM)
        channels = ("email", "phone", "web_form", "counter")
        for n in range(20):
            kit.register(
                Feedback(
                    "complaint",
                    channels[n % 4],
                    start + timedelta(days=7 * n),
                    f"Klacht {n}",
                    form="oral" if n % 5 == 0 else "written",
                    initiative="proactive" if n % 4 == 0 else "reactive",
                )
            )
    return path


@pytest.fixture
def questionnaire(tmp_path: Path) -> Path:
    """The template as written by ``audit template``, filled in for all but three criteria."""
    path = tmp_path / "zelfevaluatie.csv"
    result = invoke("audit", "template", "--framework", "gouden_oor", "--out", str(path))
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(path.read_text("utf-8-sig").splitlines(), delimiter=";"))
    header = rows[0]
    for n, row in enumerate(rows[1:-3]):
        for column, level in zip(("opzet", "werking", "evaluatie"), (n % 5, 3, 2), strict=True):
            row[header.index(column)] = str(level)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh, delimiter=";").writerows(rows)
    return path


@pytest.fixture
def observations(tmp_path: Path) -> Path:
    path = tmp_path / "observaties.toml"
    path.write_text(
        f"""framework = "gouden-oor"
version = "{GOUDEN_OOR.version}"
auditor = "A. de Vries"

[[observation]]
id = "O-1"
criteria = ["svk-alle-feedback"]
kind = "improvement"
facet = "operation"
level = 1
text = "Telefonische klachten worden niet geregistreerd <script>."
""",
        "utf-8",
    )
    return path


def test_the_template_is_the_questionnaire_for_every_criterion(questionnaire: Path) -> None:
    rows = list(csv.reader(questionnaire.read_text("utf-8-sig").splitlines(), delimiter=";"))
    assert rows[0][:2] == ["criterium", "onderdeel"]
    assert [row[0] for row in rows[1:]] == [c.id for c in GOUDEN_OOR.criteria]


def test_the_template_in_english(tmp_path: Path) -> None:
    path = tmp_path / "self-assessment.csv"
    assert invoke("audit", "template", "--lang", "en", "--out", str(path)).exit_code == 0
    assert path.read_text("utf-8-sig").startswith("criterion;part;title")


def test_the_frameworks_are_listed() -> None:
    listed = invoke("audit", "frameworks")
    assert listed.exit_code == 0
    names = [line.split()[0] for line in listed.output.splitlines()]
    assert names == sorted(f.name for f in builtin_frameworks())
    assert "gouden-oor 2012+feedbackkit.1: Gouden Oor Standaard (30 criteria" in listed.output


def test_one_run_writes_every_format(
    tmp_path: Path, db: Path, questionnaire: Path, observations: Path
) -> None:
    outputs = [tmp_path / f"rapport.{suffix}" for suffix in ("html", "pdf", "md", "json")]
    result = invoke(
        "--db", str(db), "audit",
        "--questionnaire", str(questionnaire),
        "--observations", str(observations),
        "--organisation", "Gemeente Voorbeeld",
        "--date", "2024-12-31",
        *(arg for path in outputs for arg in ("--out", str(path))),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "7 indicators from" in result.output  # channels, informal, proactive, backlog...
    html, pdf, md, data = (path.read_bytes() for path in outputs)
    document = structure(json.loads(data), AuditDocument)
    recognition = document.result.scoring.recognition
    assert recognition is not None
    assert recognition.level is not None
    level = LEVELS[recognition.level]
    assert f"erkenningsniveau: {level} (voorlopig)" in result.output
    page, text = html.decode("utf-8"), md.decode("utf-8")
    for title in [*TITLES, level]:
        assert str(escape(title)) in page
        assert title in text
    assert len(TITLES) == 15
    assert "31 december 2024" in page
    assert "&lt;script&gt;" in page
    assert "<script>" not in page
    assert pdf.startswith(b"%PDF-")
    assert {v.indicator for v in document.evidence.indicators} == {
        "feedback.informal_share",
        "feedback.proactive_share",
        "feedback.internal_share",
        "feedback.by_channel",
        "feedback.repeat_rate",
        "handling.within_norm",  # nothing acknowledged or contacted in time
        "handling.backlog",
    }
    informal = next(
        v for v in document.evidence.indicators if v.indicator == "feedback.informal_share"
    )
    assert informal.value == pytest.approx(12 / 20)  # phone or counter (10), or oral (+2)
    assert len(document.result.missing) == 3


def test_the_previous_audit_and_english(tmp_path: Path, questionnaire: Path) -> None:
    first = tmp_path / "2023.json"
    invoke("audit", "--db", str(tmp_path / "none.sqlite"), "--out", str(first))
    second = tmp_path / "2024.html"
    result = invoke(
        "audit", "--db", str(tmp_path / "none.sqlite"),
        "--questionnaire", str(questionnaire), "--previous", str(first),
        "--lang", "en", "--scheme", "b", "--out", str(second),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    page = second.read_text("utf-8")
    assert "Change since the previous audit" in page
    assert "Newly assessed criteria: 27" in page
    assert "Recognition: committed and 1 to 5 stars" in page
    assert "no database at" in result.output
    assert not (tmp_path / "none.sqlite").exists()  # an audit never creates a database


def test_an_audit_without_evidence_reports_everything_missing(tmp_path: Path) -> None:
    out = tmp_path / "leeg.md"
    result = invoke("audit", "--no-indicators", "--framework", "seven-shifts", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "0 van 14 criteria gescoord; erkenningsniveau: -" in result.output
    assert out.read_text("utf-8").count("Niet beoordeeld: er is geen bewijs.") == 14


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "name at least one report file with --out"),
        (
            ("--out", "rapport.docx"),
            "no renderer for format 'docx'; available: html, json, md, pdf",
        ),
        (("--framework", "nope", "--out", "r.md"), "unknown framework 'nope'; available: awb-"),
        (("--scheme", "z", "--out", "r.md"), "gouden-oor has no recognition scheme 'z'"),
    ],
)
def test_bad_invocations_are_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["audit", "--no-indicators", *args])
    assert result.exit_code != 0
    assert message in result.output
    assert list(tmp_path.iterdir()) == []


def test_a_bad_evidence_file_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "observaties.toml"
    bad.write_text('framework = "gouden-oor"\nversion = "0"\n', "utf-8")
    result = CliRunner().invoke(
        cli,
        ["audit", "--no-indicators", "--observations", str(bad), "--out", str(tmp_path / "r.md")],
    )
    assert result.exit_code == 1
    assert "observaties.toml" in result.output


def test_the_demo_writes_its_audit_and_the_audit_command_reports_on_it(tmp_path: Path) -> None:
    """``feedbackkit demo`` audits what it generated; ``feedbackkit audit`` on the demo
    database writes every format naming the six principles and nine areas, with scores,
    the evidence from the register and a recognition level."""
    db = tmp_path / "demo" / "demo.sqlite"
    db.parent.mkdir()
    demo = invoke("--db", str(db), "demo", "--size", "400")
    assert demo.exit_code == 0, demo.output
    assert "van 30 criteria gescoord; erkenningsniveau: " in demo.output
    written = structure(json.loads((db.parent / "audit.json").read_text("utf-8")), AuditDocument)
    assert written.result.framework == "gouden-oor"
    # with the demo's synthetic self-assessment, every principle and area has a score
    assert all(group.score is not None for group in written.result.scoring.groups)
    assert written.result.scoring.recognition is not None
    assert {"audit.html", "audit.md", "audit.json"} <= {p.name for p in db.parent.iterdir()}

    outputs = [tmp_path / f"demo.{suffix}" for suffix in ("html", "pdf", "md", "json")]
    result = invoke(
        "--db", str(db), "audit", "--date", "2025-12-31",
        *(arg for path in outputs for arg in ("--out", str(path))),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    html, pdf, md, data = (path.read_bytes() for path in outputs)
    document = structure(json.loads(data), AuditDocument)
    assert document.evidence.indicators  # the register's indicators are the evidence
    names = {v.indicator for v in document.evidence.indicators}
    assert {"handling.within_norm", "outcome.relationship", "feedback.by_channel"} <= names
    gaps = {g.indicator for g in document.evidence.gaps}
    assert "learning.golden_flagged" in gaps  # the demo flags none: missing, not zero
    scored = document.result.scoring.criterion("stu-regeling")
    assert scored.score is not None  # service norms: the share met in time
    recognition = document.result.scoring.recognition
    assert recognition is not None
    assert recognition.provisional
    page, text = html.decode("utf-8"), md.decode("utf-8")
    for title in TITLES:
        assert str(escape(title)) in page
        assert title in text
    assert "Nog geen erkenningsniveau" in page
    assert "Nog geen erkenningsniveau" in text
    assert "handling.within_norm" in page
    assert pdf.startswith(b"%PDF-")

"""The audit report: every format renders; customer text is escaped; charts are valid SVG;
missing evidence is shown as missing; strengths, points to improve and recommendations
follow the scores; the change since a previous audit; the JSON is stable (golden file).

The golden file is ``tests/golden/audit_report.json``. After an intended change of the
result or the JSON format, rewrite it with ``FEEDBACKKIT_UPDATE_GOLDEN=1 pytest
tests/test_audit_report.py`` and review the diff.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import uuid
import xml.etree.ElementTree as ET
import zlib
from datetime import date
from pathlib import Path

import pytest
from markupsafe import escape

from feedbackkit.audit import (
    AuditResult,
    CriterionRef,
    Evidence,
    Facet,
    Framework,
    IndicatorValue,
    Observation,
    ObservationKind,
    QuestionnaireAnswer,
    registered_framework,
    registered_scorer,
    run,
)
from feedbackkit.audit.reporting import (
    CASES_SHOWN,
    IMPROVE,
    STRENGTH,
    AuditDocument,
    AuditView,
    audit_report,
    read_result,
    report,
)
from feedbackkit.builtin.audit import builtin_frameworks
from feedbackkit.converter import structure, unstructure
from feedbackkit.errors import ValidationError
from feedbackkit.plugins import load_plugins

GOLDEN = Path(__file__).parent / "golden" / "audit_report.json"
PLUGINS = load_plugins(entry_point_plugins=False)
FRAMEWORK = registered_framework(PLUGINS, "gouden-oor")
SCORER = registered_scorer(PLUGINS)
HOSTILE = '<script>alert("x")</script> {{ 7*7 }} | **vet**'
ORGANISATION = "Gemeente <Voorbeeld> & {{ naam }}"
OBSERVED_CASE = uuid.UUID("0b7e4a4e-6a34-4a3c-9a3e-0d5c2f3b1f11")
INDICATOR_CASES = tuple(uuid.UUID(int=i) for i in range(1, CASES_SHOWN + 4))
PRINCIPLES = [g.title.nl for g in FRAMEWORK.dimension("principle").groups]
AREAS = [g.title.nl for g in FRAMEWORK.dimension("area").groups]


def ref(criterion: str) -> CriterionRef:
    return CriterionRef("gouden-oor", criterion)


def answers(shift: int, skip: int = 5, respondent: str = "KCC") -> tuple[QuestionnaireAnswer, ...]:
    """Levels that vary over the criteria; every ``skip``-th criterion left unanswered."""
    return tuple(
        QuestionnaireAnswer(
            ref(c.id), facet, (i + n + shift) % 5, respondent, HOSTILE, f"s.csv:{i}"
        )
        for i, c in enumerate(FRAMEWORK.criteria)
        if i % skip != skip - 1
        for n, facet in enumerate(Facet)
    )


EVIDENCE = Evidence(
    indicators=(
        IndicatorValue(
            "feedback.informal_share",
            (ref("svk-alle-feedback"),),
            0.25,
            unit="share",
            cases=INDICATOR_CASES,
            period_start=date(2024, 1, 1),
            period_end=date(2025, 1, 1),
        ),
    ),
    answers=answers(0),
    observations=(
        Observation(
            "O-1",
            (ref("svk-alle-feedback"),),
            ObservationKind.IMPROVEMENT,
            HOSTILE,
            Facet.OPERATION,
            1,
            cases=(OBSERVED_CASE,),
            documents=("Klachtenregeling <2023>",),
            auditor="A. de Vries",
            observed_on=date(2024, 3, 12),
            source="observaties.toml:5",
        ),
        Observation("O-2", (ref("stu-visie"),), ObservationKind.STRENGTH, "Breed gedragen visie."),
        Observation("O-3", (ref("lo-lus-sluiten"),), ObservationKind.RECOMMENDATION, "Elke maand."),
        Observation("O-4", (ref("lo-lus-sluiten"),), ObservationKind.TIP, "Feedback Friday."),
        Observation("O-5", (ref("stu-visie"),), ObservationKind.FINDING, "Visie in jaarplan."),
    ),
)
RESULT = run(FRAMEWORK, EVIDENCE, SCORER, scheme="a")
PREVIOUS = run(FRAMEWORK, Evidence(answers=answers(2, skip=3)), SCORER, scheme="a")
ON = date(2024, 4, 2)


def view(**options: object) -> AuditView:
    built = audit_report(FRAMEWORK, RESULT, evidence=EVIDENCE, on=ON, **options)  # type: ignore[arg-type]
    assert isinstance(built.content, AuditView)
    return built.content


def rendered(fmt: str, **options: object) -> bytes:
    return report(
        FRAMEWORK,
        RESULT,
        fmt,
        evidence=EVIDENCE,
        previous=PREVIOUS,
        organisation=ORGANISATION,
        on=ON,
        plugins=PLUGINS,
        **options,  # type: ignore[arg-type]
    )


def level_title(result: AuditResult) -> str:
    assert result.scoring.recognition is not None
    level = result.scoring.recognition.level
    scheme = FRAMEWORK.scheme(result.scheme)
    assert scheme is not None
    return next(lv.title.nl for lv in scheme.levels if lv.id == level)


# -- every format ------------------------------------------------------------------------


def test_the_fixture_reaches_a_level_and_leaves_criteria_missing() -> None:
    assert RESULT.scoring.recognition is not None
    assert RESULT.scoring.recognition.level is not None
    assert RESULT.missing
    assert PREVIOUS.missing != RESULT.missing


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_html_and_markdown_name_every_principle_area_and_the_level(fmt: str) -> None:
    text = rendered(fmt).decode("utf-8")
    for title in [*PRINCIPLES, *AREAS, level_title(RESULT)]:
        assert (escape(title) if fmt == "html" else title) in text, title
    assert len(PRINCIPLES) == 6
    assert len(AREAS) == 9


def test_the_json_report_is_the_result_with_its_evidence() -> None:
    document = structure(json.loads(rendered("json")), AuditDocument)
    assert document.result == RESULT
    assert document.evidence == EVIDENCE.for_framework("gouden-oor")


def test_the_json_report_matches_the_golden_file() -> None:
    data = rendered("json")
    if os.environ.get("FEEDBACKKIT_UPDATE_GOLDEN") == "1":
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_bytes(data)
    assert data.decode("utf-8") == GOLDEN.read_text("utf-8")
    assert rendered("json") == data  # and rendering twice gives the same bytes


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "rapport.pdf"
    path.write_bytes(rendered("pdf"))
    return path


def pdf_objects(data: bytes) -> bytes:
    """The PDF's objects, with its compressed streams (object streams included) inflated."""
    streams = re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S)
    inflated = []
    for stream in streams:
        try:
            inflated.append(zlib.decompress(stream))
        except zlib.error:
            continue  # not Flate-encoded
    return b"\n".join([data, *inflated])


def test_the_pdf_has_pages(pdf: Path) -> None:
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF")
    assert len(re.findall(rb"/Type\s*/Page\b", pdf_objects(data))) > 5


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs pdftoppm (poppler-utils)")
def test_the_first_pdf_page_is_not_blank(pdf: Path) -> None:
    image = subprocess.run(
        ["pdftoppm", "-r", "30", "-f", "1", "-l", "1", "-gray", str(pdf)],
        capture_output=True,
        check=True,
    ).stdout
    magic, width, height, _, pixels = image.split(maxsplit=4)
    assert magic == b"P5"
    assert len(pixels) == int(width) * int(height)
    dark = sum(1 for value in pixels if value < 128)
    assert dark > 0.005 * len(pixels)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)")
def test_the_pdf_text_names_the_principles_and_areas(pdf: Path) -> None:
    text = " ".join(
        subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, check=True, text=True
        ).stdout.split()
    )
    for title in [*PRINCIPLES, *AREAS, level_title(RESULT), "<script>"]:
        assert title in text


# -- escaping and charts -----------------------------------------------------------------


def test_customer_text_is_escaped_in_html() -> None:
    page = rendered("html").decode("utf-8")
    assert "<script>" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; {{ 7*7 }}" in page
    assert "Gemeente &lt;Voorbeeld&gt; &amp; {{ naam }}" in page
    assert "Klachtenregeling &lt;2023&gt;" in page


def test_customer_text_is_escaped_in_markdown() -> None:
    text = rendered("md").decode("utf-8")
    assert "<script>" not in text
    assert '\\<script\\>alert("x")\\</script\\> {{ 7\\*7 }} \\| \\*\\*vet\\*\\*' in text
    assert "Gemeente \\<Voorbeeld\\> & {{ naam }}" in text


def test_every_chart_in_the_html_is_valid_svg() -> None:
    page = rendered("html").decode("utf-8")
    charts = re.findall(r"<svg.*?</svg>", page, re.S)
    assert len(charts) == 3  # recognition, areas, principles
    for chart in charts:
        assert ET.fromstring(chart).tag == "{http://www.w3.org/2000/svg}svg"


# -- content -----------------------------------------------------------------------------


def test_missing_evidence_is_reported_as_missing_never_as_scored() -> None:
    shown = view()
    answered = {a.criterion.criterion for a in EVIDENCE.answers}
    observed = {
        r.criterion for o in EVIDENCE.observations if o.level is not None for r in o.criteria
    }
    expected = [c.id for c in FRAMEWORK.criteria if c.id not in answered | observed]
    assert "stu-visie" in expected  # only unrated observations (O-2, O-5): still missing
    assert [p.source for p in shown.missing] == expected
    cards = {c.id: c for s in shown.sections for c in s.criteria}
    for criterion in expected:
        assert cards[criterion].score is None
        assert all(f.score is None for f in cards[criterion].facets)
    listed = {p.source for p in (*shown.strengths, *shown.improvements)}
    assert listed.isdisjoint(expected)
    assert shown.scored == len(FRAMEWORK.criteria) - len(expected)
    page = rendered("html").decode("utf-8")
    assert page.count("Niet beoordeeld: er is geen bewijs.") == len(expected)


def test_an_audit_without_evidence_reaches_no_level_and_misses_everything() -> None:
    empty = run(FRAMEWORK, Evidence(), SCORER)
    built = audit_report(FRAMEWORK, empty)
    assert isinstance(built.content, AuditView)
    assert len(built.content.missing) == len(FRAMEWORK.criteria)
    assert built.content.recognition is not None
    assert built.content.recognition.level is None
    assert built.content.strengths == built.content.improvements == ()
    page = report(FRAMEWORK, empty, "html", plugins=PLUGINS).decode("utf-8")
    assert "Nog geen erkenningsniveau" in page
    assert page.count("geen score") >= 9


def test_strengths_and_points_to_improve_follow_the_scores() -> None:
    shown = view()
    scores = {s.criterion: s.score for s in RESULT.scoring.criteria if s.score is not None}
    strong = sorted((c for c, s in scores.items() if s >= STRENGTH), key=lambda c: -scores[c])
    weak = sorted((c for c, s in scores.items() if s < IMPROVE), key=lambda c: scores[c])
    assert strong
    assert weak
    assert [p.source for p in shown.strengths if p.score is not None] == strong
    assert [p.source for p in shown.improvements if p.score is not None] == weak
    assert [p.text for p in shown.strengths if p.score is None] == ["Breed gedragen visie."]
    assert [p.text for p in shown.improvements if p.score is None] == [HOSTILE]
    assert [p.text for p in shown.tips] == ["Feedback Friday."]
    assert [p.text for p in shown.findings] == ["Visie in jaarplan."]


def test_recommendations_come_from_the_auditor_then_weak_facets_then_missing_evidence() -> None:
    recommendations = view().recommendations
    assert recommendations[0].actions == ("Elke maand.",)
    derived = recommendations[1:-1]
    weak = [s for s in RESULT.scoring.criteria if s.score is not None and s.score < IMPROVE]
    assert [r.source for r in derived] == [
        s.criterion for s in sorted(weak, key=lambda s: s.score or 0)
    ]
    for rec, score in zip(derived, sorted(weak, key=lambda s: s.score or 0), strict=True):
        low = [f.facet for f in score.facets if f.score < IMPROVE] + list(score.missing_facets)
        assert len(rec.actions) == len(low)
        assert rec.goal == FRAMEWORK.criterion(score.criterion).description.nl
        assert rec.hints
    assert (
        recommendations[-1].title
        == f"Bewijs verzamelen voor {len(RESULT.missing)} criteria zonder beoordeling"
    )


def test_the_evidence_behind_every_score_is_shown_with_its_cases() -> None:
    cards = {c.id: c for s in view().sections for c in s.criteria}
    for score in RESULT.scoring.criteria:
        if score.score is not None:
            assert cards[score.criterion].evidence, score.criterion
    observation, indicator, answer = cards["svk-alle-feedback"].evidence
    assert observation.cases == (str(OBSERVED_CASE),)
    assert observation.rating == "1 = Beperkt"
    assert "Documenten: Klachtenregeling <2023>" in observation.details
    assert indicator.text == "Aandeel informele feedback in de registratie: 25%"
    assert indicator.cases == tuple(str(c) for c in INDICATOR_CASES[:CASES_SHOWN])
    assert indicator.more_cases == 3
    assert "1 januari 2024 t/m 31 december 2024" in indicator.details
    assert answer.rating is not None
    assert answer.rating.count("=") == 3  # one row per respondent, all three facets


def test_the_change_since_the_previous_audit() -> None:
    shown = view(previous=PREVIOUS)
    change = shown.change
    assert change is not None
    assert change.same_version
    before = {s.criterion: s.score for s in PREVIOUS.scoring.criteria}
    now = {s.criterion: s.score for s in RESULT.scoring.criteria}
    both = [c for c in now if now[c] is not None and before[c] is not None]
    assert {p.source for p in change.improved} == {c for c in both if now[c] > before[c]}  # type: ignore[operator]
    assert {p.source for p in change.declined} == {c for c in both if now[c] < before[c]}  # type: ignore[operator]
    assert change.newly_scored == sum(1 for c in now if now[c] is not None and before[c] is None)
    assert change.no_longer_scored == sum(
        1 for c in now if now[c] is None and before[c] is not None
    )
    for total, previous in zip(shown.totals, PREVIOUS.scoring.totals, strict=True):
        assert total.previous == previous.points
        assert total.delta == pytest.approx(total.points - previous.points)
    areas = shown.dimensions[0]
    for group, before_group in zip(
        areas.groups, [g for g in PREVIOUS.scoring.groups if g.dimension == "area"], strict=True
    ):
        assert group.previous == before_group.points
    assert change.recognition == (level_title(PREVIOUS), level_title(RESULT))
    assert "Verandering sinds de vorige audit" in rendered("html").decode("utf-8")
    assert view().change is None


def test_the_report_is_dutch_by_default_and_english_on_request() -> None:
    english = rendered("html", lang="en").decode("utf-8")
    for text in ("Summary", "Strengths to keep", "Points to improve", "Missing evidence"):
        assert text in english
    for group in FRAMEWORK.dimension("area").groups:
        assert escape(group.title.en) in english
    dutch = rendered("html").decode("utf-8")
    assert "Sterke punten om te behouden" in dutch
    assert 'lang="nl"' in dutch


def test_a_result_of_another_framework_or_version_is_refused() -> None:
    other = next(f for f in builtin_frameworks() if f.name == "seven-shifts")
    with pytest.raises(ValidationError, match="is an audit on gouden-oor"):
        audit_report(other, RESULT)
    shifted = run(other, Evidence(), SCORER)
    with pytest.raises(ValidationError, match="previous: is an audit on seven-shifts"):
        audit_report(FRAMEWORK, RESULT, previous=shifted)


@pytest.mark.parametrize("framework", builtin_frameworks(), ids=lambda f: f.name)
def test_every_built_in_framework_can_be_reported(framework: Framework) -> None:
    evidence = Evidence(
        answers=tuple(
            QuestionnaireAnswer(CriterionRef(framework.name, c.id), Facet.DESIGN, 1, "KCC")
            for c in framework.criteria[::2]
        )
    )
    result = run(framework, evidence, SCORER)
    page = report(framework, result, "html", evidence=evidence, plugins=PLUGINS).decode("utf-8")
    for chart in re.findall(r"<svg.*?</svg>", page, re.S):
        ET.fromstring(chart)
    for group in (g for d in framework.dimensions for g in d.groups):
        assert escape(group.title.nl) in page
    text = report(framework, result, "md", evidence=evidence, plugins=PLUGINS).decode("utf-8")
    assert framework.title.nl in text


def test_the_previous_result_is_read_from_a_report_or_a_bare_result(tmp_path: Path) -> None:
    as_report = tmp_path / "vorige.json"
    as_report.write_bytes(rendered("json"))
    bare = tmp_path / "result.json"
    bare.write_text(json.dumps(unstructure(PREVIOUS)), "utf-8")
    assert read_result(as_report) == RESULT
    assert read_result(bare) == PREVIOUS
    broken = tmp_path / "kapot.json"
    broken.write_text('{"framework": "gouden-oor"}', "utf-8")
    with pytest.raises(ValidationError, match=r"kapot\.json"):
        read_result(broken)
    (tmp_path / "geen.json").write_text("nee", "utf-8")
    with pytest.raises(ValidationError, match="not a readable JSON file"):
        read_result(tmp_path / "geen.json")

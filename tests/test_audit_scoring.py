"""The default maturity scorer: facets, precedence of evidence, aggregation to groups and
points, recognition at the edge of every threshold, and missing evidence kept missing."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from feedbackkit.audit import (
    CriterionRef,
    CriterionScore,
    Evidence,
    EvidenceKind,
    Facet,
    Framework,
    IndicatorValue,
    MaturityScorer,
    Observation,
    ObservationKind,
    QuestionnaireAnswer,
    RecognitionScheme,
    Scoring,
    aggregate,
    parse_framework,
    run,
)
from feedbackkit.builtin.audit import builtin_frameworks
from feedbackkit.errors import PluginError, ValidationError

GOUDEN_OOR = next(f for f in builtin_frameworks() if f.name == "gouden-oor")
SCORER = MaturityScorer()

TOY = parse_framework(
    """
name = "toy"
version = "1"
default_scale = "maturity"
title = { nl = "Speelgoed", en = "Toy" }
description = { nl = "Om te rekenen", en = "For arithmetic" }

[[scales]]
id = "maturity"
title = { nl = "Volwassenheid", en = "Maturity" }
levels = [
  { value = 0, label = { nl = "Niet", en = "None" } },
  { value = 1, label = { nl = "Beperkt", en = "Limited" } },
  { value = 2, label = { nl = "Deels", en = "Partly" } },
  { value = 3, label = { nl = "Grotendeels", en = "Largely" } },
  { value = 4, label = { nl = "Volledig", en = "Fully" } },
]

[[dimensions]]
id = "area"
title = { nl = "Gebied", en = "Area" }
groups = [
  { id = "org", title = { nl = "Organisatie", en = "Org" }, weight = 60, kind = "organisation" },
  { id = "res", title = { nl = "Resultaat", en = "Result" }, weight = 40, kind = "result" },
]

[[dimensions]]
id = "theme"
title = { nl = "Thema", en = "Theme" }
groups = [
  { id = "t1", title = { nl = "Een", en = "One" } },
  { id = "t2", title = { nl = "Twee", en = "Two" } },
]

[[recognition]]
id = "toy"
title = { nl = "Erkenning", en = "Recognition" }
levels = [
  { id = "brons", threshold = 25, basis = "organisation", title = { nl = "Brons", en = "Bronze" } },
  { id = "zilver", threshold = 50, basis = "all", title = { nl = "Zilver", en = "Silver" } },
]

[[criteria]]
id = "a1"
groups = { area = ["org"], theme = ["t1"] }
title = { nl = "A1", en = "A1" }
description = { nl = "Eerste", en = "First" }
evidence = [{ kind = "document", text = { nl = "Stuk", en = "Paper" } }]

[[criteria]]
id = "a2"
weight = 3
groups = { area = ["org"], theme = ["t2"] }
title = { nl = "A2", en = "A2" }
description = { nl = "Tweede", en = "Second" }
evidence = [{ kind = "document", text = { nl = "Stuk", en = "Paper" } }]

[[criteria]]
id = "b1"
groups = { area = ["res"], theme = ["t1"] }
title = { nl = "B1", en = "B1" }
description = { nl = "Derde", en = "Third" }
evidence = [{ kind = "document", text = { nl = "Stuk", en = "Paper" } }]
""",
    "toy.toml",
)


def ref(criterion: str, framework: str = "toy") -> CriterionRef:
    return CriterionRef(framework, criterion)


def answer(criterion: str, facet: Facet, level: int, who: str = "x") -> QuestionnaireAnswer:
    return QuestionnaireAnswer(ref(criterion), facet, level, respondent=who)


def observation(
    criterion: str, facet: Facet | None = None, level: int | None = None
) -> Observation:
    return Observation(
        id=f"o-{criterion}-{facet}-{level}",
        criteria=(ref(criterion),),
        kind=ObservationKind.FINDING if level is not None else ObservationKind.STRENGTH,
        text="Gezien in de steekproef.",
        facet=facet,
        level=level,
    )


HAND_BUILT = Evidence(
    answers=(
        answer("a1", Facet.DESIGN, 4),
        answer("a1", Facet.OPERATION, 2, who="x"),
        answer("a1", Facet.OPERATION, 4, who="y"),
        answer("a2", Facet.EVALUATION, 0),
    ),
    observations=(
        observation("a1", Facet.OPERATION, 1),
        observation("a2", Facet.DESIGN, 3),
        observation("b1"),
    ),
    indicators=(
        IndicatorValue("ind", (ref("a2"),), value=50.0, attainment=0.5, unit="%"),
        IndicatorValue("count", (ref("a2"),), value=12.0),
    ),
)


def test_criterion_scores_follow_the_precedence_of_evidence() -> None:
    scoring = SCORER.score(TOY, HAND_BUILT, None)
    a1 = scoring.criterion("a1")
    # design from the questionnaire (4/4); operation from the auditor (1/4) overriding
    # the two answers (2/4 and 4/4); evaluation without evidence
    assert [(f.facet, f.score, f.basis, f.count) for f in a1.facets] == [
        (Facet.DESIGN, 1.0, EvidenceKind.QUESTIONNAIRE, 1),
        (Facet.OPERATION, 0.25, EvidenceKind.OBSERVATION, 1),
    ]
    assert a1.missing_facets == (Facet.EVALUATION,)
    assert a1.score == pytest.approx(0.625)
    assert a1.evidence == 4
    a2 = scoring.criterion("a2")
    assert [(f.facet, f.score, f.basis) for f in a2.facets] == [
        (Facet.DESIGN, 0.75, EvidenceKind.OBSERVATION),
        (Facet.OPERATION, 0.5, EvidenceKind.INDICATOR),
        (Facet.EVALUATION, 0.0, EvidenceKind.QUESTIONNAIRE),
    ]
    assert a2.score == pytest.approx(1.25 / 3)
    assert a2.evidence == 4  # the indicator without a norm counts, but is not scored
    b1 = scoring.criterion("b1")
    assert (b1.score, b1.evidence, b1.missing_facets) == (None, 1, tuple(Facet))


def test_questionnaire_answers_of_several_respondents_are_averaged() -> None:
    evidence = Evidence(
        answers=(answer("b1", Facet.OPERATION, 1, "x"), answer("b1", Facet.OPERATION, 4, "y"))
    )
    facet = SCORER.score(TOY, evidence, None).criterion("b1").facets[0]
    assert (facet.score, facet.count) == (pytest.approx(0.625), 2)


def test_aggregation_to_groups_points_and_recognition() -> None:
    result = run(TOY, HAND_BUILT, SCORER)
    scoring = result.scoring
    org = scoring.group("area", "org")
    # weighted mean: (1 * 0.625 + 3 * 1.25/3) / 4
    assert org.score == pytest.approx(0.46875)
    assert (org.coverage, org.missing, org.points) == (1.0, (), pytest.approx(28.125))
    res = scoring.group("area", "res")
    assert (res.score, res.coverage, res.missing, res.points) == (None, 0.0, ("b1",), None)
    t1 = scoring.group("theme", "t1")
    assert (t1.score, t1.coverage, t1.missing, t1.weight) == (0.625, 0.5, ("b1",), None)
    assert scoring.group("theme", "t2").score == pytest.approx(1.25 / 3)
    totals = {t.basis: (t.points, t.maximum, t.unassessed) for t in scoring.totals}
    assert totals == {
        "organisation": (28.125, 60, 0),
        "result": (0, 40, 40),
        "all": (28.125, 100, 40),
    }
    assert result.scheme == "toy"
    recognition = scoring.recognition
    assert recognition is not None
    assert (recognition.level, recognition.next_level) == ("brons", "zilver")
    assert recognition.shortfall == pytest.approx(21.875)
    assert recognition.provisional
    assert result.missing == ("b1",)


def test_missing_evidence_is_reported_as_missing_not_scored() -> None:
    only = Evidence(
        answers=(QuestionnaireAnswer(ref("svk-laagdrempelig", "gouden-oor"), Facet.DESIGN, 4, "x"),)
    )
    result = run(GOUDEN_OOR, only, SCORER)
    scored = [c for c in result.scoring.criteria if c.score is not None]
    assert [(c.criterion, c.score) for c in scored] == [("svk-laagdrempelig", 1.0)]
    assert len(result.missing) == len(GOUDEN_OOR.criteria) - 1
    assert "svk-laagdrempelig" not in result.missing
    stem = result.scoring.group("area", "stem-van-de-klant")
    # the one scored aspect carries the area's points; the result says 3 of 4 are missing
    assert (stem.score, stem.points, stem.coverage) == (1.0, 10.0, 0.25)
    assert len(stem.missing) == 3
    assert result.scoring.group("area", "sturing").points is None
    organisation = result.scoring.total("organisation")
    assert (organisation.points, organisation.maximum, organisation.unassessed) == (10, 70, 67.5)
    recognition = result.scoring.recognition
    assert recognition is not None
    assert recognition.level is None
    assert recognition.provisional


def test_no_evidence_at_all_scores_nothing() -> None:
    result = run(GOUDEN_OOR, Evidence(), SCORER)
    assert result.missing == tuple(c.id for c in GOUDEN_OOR.criteria)
    assert all(g.score is None and g.coverage == 0 for g in result.scoring.groups)
    assert result.scoring.total("all").unassessed == 100
    assert result.scoring.recognition is not None
    assert result.scoring.recognition.shortfall == 25


# -- recognition at the edge of every threshold ------------------------------------------


def points_evidence(organisation: float, result: float) -> Evidence:
    """Evidence that puts every area of a kind at the same share of its points."""
    share = {"organisation": organisation / 70, "result": result / 30}
    indicators = []
    for group in GOUDEN_OOR.dimension("area").groups:
        for criterion in GOUDEN_OOR.members("area", group.id):
            for facet in Facet:
                indicators.append(
                    IndicatorValue(
                        indicator="test.share",
                        criteria=(CriterionRef("gouden-oor", criterion.id),),
                        value=share[group.kind or ""],
                        attainment=share[group.kind or ""],
                        facet=facet,
                    )
                )
    return Evidence(indicators=tuple(indicators))


SCHEME_A = [
    (24.9, 0, None),
    (25, 0, "gecommitteerd"),
    (49.9, 0, "gecommitteerd"),
    (50, 0, "niveau-1"),
    (50, 19.9, "niveau-1"),
    (50, 20, "niveau-2"),
    (70, 19.9, "niveau-2"),
    (70, 20, "niveau-3"),
    (60, 30, "niveau-3"),
    # all areas reach 70 or 90, but the organisation areas alone stay below 50
    (45, 25, "gecommitteerd"),
    (49.9, 30, "gecommitteerd"),
    (24.9, 30, None),
]

SCHEME_B = [
    (19.9, 0, None),
    (20, 0, "gecommitteerd"),
    (29.9, 0, "gecommitteerd"),
    (30, 0, "ster-1"),
    (49.9, 0, "ster-1"),
    (50, 0, "ster-2"),
    (60, 9.9, "ster-2"),
    (60, 10, "ster-3"),
    (70, 9.9, "ster-3"),
    (70, 10, "ster-4"),
    (70, 19.9, "ster-4"),
    (70, 20, "ster-5"),
]


@pytest.mark.parametrize(("organisation", "result", "level"), SCHEME_A)
def test_scheme_a_thresholds(organisation: float, result: float, level: str | None) -> None:
    audit = run(GOUDEN_OOR, points_evidence(organisation, result), SCORER, scheme="a")
    assert audit.scoring.total("organisation").points == pytest.approx(organisation, abs=1e-9)
    assert audit.scoring.total("all").points == pytest.approx(organisation + result, abs=1e-9)
    assert audit.scoring.recognition is not None
    assert audit.scoring.recognition.level == level
    assert not audit.scoring.recognition.provisional


@pytest.mark.parametrize(("organisation", "result", "level"), SCHEME_B)
def test_scheme_b_thresholds(organisation: float, result: float, level: str | None) -> None:
    audit = run(GOUDEN_OOR, points_evidence(organisation, result), SCORER, scheme="b")
    assert audit.scoring.recognition is not None
    assert audit.scoring.recognition.level == level


def test_the_organisation_areas_hold_back_level_2() -> None:
    audit = run(GOUDEN_OOR, points_evidence(45, 30), SCORER, scheme="a")
    recognition = audit.scoring.recognition
    assert recognition is not None
    assert (recognition.level, recognition.next_level) == ("gecommitteerd", "niveau-1")
    assert recognition.shortfall == pytest.approx(5)


@pytest.mark.parametrize(
    ("points", "expected"),
    [
        ({"organisation": 24.9, "all": 24.9}, None),
        ({"organisation": 25.0, "all": 25.0}, "gecommitteerd"),
        ({"organisation": 50.0, "all": 69.9}, "niveau-1"),
        ({"organisation": 50.0, "all": 70.0}, "niveau-2"),
        ({"organisation": 49.9, "all": 95.0}, "gecommitteerd"),
        ({"organisation": 70.0, "all": 89.9}, "niveau-2"),
        ({"organisation": 70.0, "all": 90.0}, "niveau-3"),
    ],
)
def test_scheme_a_attained_directly(points: Mapping[str, float], expected: str | None) -> None:
    scheme = GOUDEN_OOR.scheme("a")
    assert scheme is not None
    level = scheme.attained(points)
    assert (None if level is None else level.id) == expected


def test_rounding_noise_does_not_cost_a_level() -> None:
    # three areas of 10 at 1/3 and sturing at 3/4 make exactly 25 organisation points
    evidence = []
    for area, attainment in (
        ("stem-van-de-klant", 1 / 3),
        ("middelen", 1 / 3),
        ("leren-ontwikkelen", 1 / 3),
        ("sturing", 0.75),
        ("medewerkers", 0.0),
    ):
        for criterion in GOUDEN_OOR.members("area", area):
            evidence.append(
                IndicatorValue("test", (CriterionRef("gouden-oor", criterion.id),), 0.0, attainment)
            )
    audit = run(GOUDEN_OOR, Evidence(indicators=tuple(evidence)), SCORER)
    assert audit.scoring.total("organisation").points == 25
    assert audit.scoring.recognition is not None
    assert audit.scoring.recognition.level == "gecommitteerd"


def test_an_unknown_scheme_names_the_available_ones() -> None:
    with pytest.raises(ValidationError, match="available: a, b"):
        run(GOUDEN_OOR, Evidence(), SCORER, scheme="c")


def test_frameworks_without_points_have_no_totals_or_recognition() -> None:
    shifts = next(f for f in builtin_frameworks() if f.name == "seven-shifts")
    evidence = Evidence(
        answers=tuple(
            QuestionnaireAnswer(CriterionRef("seven-shifts", c.id), Facet.DESIGN, 2, "x")
            for c in shifts.criteria
        )
    )
    result = run(shifts, evidence, SCORER)
    assert (result.scoring.totals, result.scoring.recognition, result.scheme) == ((), None, None)
    assert {g.score for g in result.scoring.groups} == {0.5}
    assert result.missing == ()


# -- the rules run() holds every scorer to -----------------------------------------------


class Generous:
    """A scorer that gives every criterion full marks, evidence or not."""

    name = "generous"

    def score(
        self, framework: Framework, evidence: Evidence, scheme: RecognitionScheme | None
    ) -> Scoring:
        return aggregate(framework, [CriterionScore(c.id, 1.0) for c in framework.criteria], scheme)


def test_a_scorer_may_not_score_a_criterion_without_evidence() -> None:
    evidence = Evidence(answers=(answer("a1", Facet.DESIGN, 1),))
    with pytest.raises(PluginError, match="scorer generous: scored 'a2' although no evidence"):
        run(TOY, evidence, Generous())


def test_evidence_for_unknown_criteria_and_other_frameworks() -> None:
    evidence = Evidence(
        answers=(
            answer("a1", Facet.DESIGN, 4),
            QuestionnaireAnswer(ref("gone"), Facet.DESIGN, 4, "x"),
            QuestionnaireAnswer(ref("a1", "other"), Facet.OPERATION, 0, "x"),
        )
    )
    result = run(TOY, evidence, SCORER)
    assert result.unresolved == (ref("gone"),)
    assert result.scoring.criterion("a1").facets[0].score == 1.0
    assert [f.facet for f in result.scoring.criterion("a1").facets] == [Facet.DESIGN]


def test_a_level_off_the_scale_is_refused() -> None:
    with pytest.raises(ValidationError, match="5 is not on scale 'maturity'"):
        SCORER.score(TOY, Evidence(answers=(answer("a1", Facet.DESIGN, 5),)), None)

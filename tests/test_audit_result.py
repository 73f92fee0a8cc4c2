"""AuditResult is serialisable: it round-trips through the one converter and JSON; and
properties of any result on the Gouden Oor framework hold for random evidence."""

from __future__ import annotations

import json
import uuid
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from feedbackkit.audit import (
    AuditResult,
    CriterionRef,
    Evidence,
    Facet,
    IndicatorValue,
    MaturityScorer,
    Observation,
    ObservationKind,
    QuestionnaireAnswer,
    run,
)
from feedbackkit.builtin.audit import builtin_frameworks
from feedbackkit.converter import converter, structure, unstructure

GOUDEN_OOR = next(f for f in builtin_frameworks() if f.name == "gouden-oor")
IDS = [c.id for c in GOUDEN_OOR.criteria]


def ref(criterion: str) -> CriterionRef:
    return CriterionRef("gouden-oor", criterion)


RICH = Evidence(
    indicators=(
        IndicatorValue(
            "awb.acknowledgement",
            (ref("stu-regeling"), CriterionRef("awb-compliance", "awb-9-6")),
            value=0.92,
            attainment=0.92,
            unit="share",
            cases=(uuid.UUID(int=1), uuid.UUID(int=2)),
            period_start=date(2024, 1, 1),
            period_end=date(2025, 1, 1),
        ),
    ),
    answers=(QuestionnaireAnswer(ref("svk-beleving"), Facet.DESIGN, 3, "KCC", "Enquête loopt."),),
    observations=(
        Observation(
            id="O-1",
            criteria=(ref("lo-lus-sluiten"), ref("gone")),
            kind=ObservationKind.RECOMMENDATION,
            text="Vertel klanten wat er met hun klacht is gedaan.",
            facet=Facet.OPERATION,
            level=1,
            cases=(uuid.UUID(int=3),),
            documents=("Jaarverslag klachten 2024",),
            auditor="A. de Vries",
            observed_on=date(2025, 2, 3),
            source="observaties.toml:5",
        ),
    ),
)


def test_an_audit_result_round_trips_through_the_converter_and_json() -> None:
    result = run(GOUDEN_OOR, RICH, MaturityScorer(), scheme="b")
    assert result.unresolved == (ref("gone"),)
    assert result.scoring.recognition is not None
    data = json.loads(json.dumps(unstructure(result)))
    assert data["scoring"]["criteria"][0]["criterion"] == IDS[0]
    assert data["findings"][0]["cases"] == [str(uuid.UUID(int=3))]
    assert structure(data, AuditResult) == result
    assert converter.structure(converter.unstructure(result), AuditResult) == result


def test_evidence_round_trips_too() -> None:
    assert structure(json.loads(json.dumps(unstructure(RICH))), Evidence) == RICH


answers = st.dictionaries(
    st.tuples(st.sampled_from(IDS), st.sampled_from(list(Facet))),
    st.integers(0, 4),
    max_size=40,
)


@settings(max_examples=25, deadline=None)
@given(answers)
def test_any_result_reports_exactly_the_unanswered_criteria(
    given_answers: dict[tuple[str, Facet], int],
) -> None:
    evidence = Evidence(
        answers=tuple(
            QuestionnaireAnswer(ref(cid), facet, level, "x")
            for (cid, facet), level in given_answers.items()
        )
    )
    result = run(GOUDEN_OOR, evidence, MaturityScorer())
    answered = {cid for cid, _ in given_answers}
    assert set(result.missing) == set(IDS) - answered
    for score in result.scoring.criteria:
        rated = {facet for cid, facet in given_answers if cid == score.criterion}
        assert {f.facet for f in score.facets} == rated
        assert set(score.missing_facets) == set(Facet) - rated
    areas = GOUDEN_OOR.dimension("area").groups
    for total in result.scoring.totals:
        assert 0 <= total.points <= total.maximum
        assert 0 <= total.unassessed <= total.maximum
        counted = [
            c.id
            for area in areas
            if total.basis in ("all", area.kind)
            for c in GOUDEN_OOR.members("area", area.id)
        ]
        assert (total.unassessed == 0) == all(cid not in result.missing for cid in counted)
    recognition = result.scoring.recognition
    assert recognition is not None
    assert recognition.provisional == bool(result.missing)
    assert structure(json.loads(json.dumps(unstructure(result))), AuditResult) == result

"""The demo's synthetic self-assessment: deterministic, on the criteria's own scales,
with gaps left as gaps, and enough for a demo audit that scores every area."""

from __future__ import annotations

from feedbackkit.audit import Evidence, registered_framework, registered_scorer, run
from feedbackkit.demo.assessment import self_assessment
from feedbackkit.plugins import load_plugins

PLUGINS = load_plugins(entry_point_plugins=False)
GOUDEN_OOR = registered_framework(PLUGINS, "gouden-oor")


def test_same_seed_same_answers_other_seed_other_answers() -> None:
    assert self_assessment(GOUDEN_OOR, 1) == self_assessment(GOUDEN_OOR, 1)
    assert self_assessment(GOUDEN_OOR, 1) != self_assessment(GOUDEN_OOR, 2)


def test_answers_are_on_each_criterions_scale_and_some_criteria_stay_open() -> None:
    answers = self_assessment(GOUDEN_OOR, 2026)
    answered = {a.criterion.criterion for a in answers}
    for answer in answers:
        scale = GOUDEN_OOR.scale_of(GOUDEN_OOR.criterion(answer.criterion.criterion))
        scale.fraction(answer.level)  # raises off the scale
    assert 0 < len(answered) < len(GOUDEN_OOR.criteria)


def test_operation_and_evaluation_never_rate_above_design() -> None:
    by_criterion: dict[str, dict[str, int]] = {}
    for answer in self_assessment(GOUDEN_OOR, 2026):
        by_criterion.setdefault(answer.criterion.criterion, {})[answer.facet.value] = answer.level
    for levels in by_criterion.values():
        assert levels["operation"] <= levels["design"]
        assert levels["evaluation"] <= levels["design"]


def test_a_demo_audit_scores_every_principle_and_area_and_reports_the_gaps() -> None:
    evidence = Evidence(answers=self_assessment(GOUDEN_OOR, 2026))
    result = run(GOUDEN_OOR, evidence, registered_scorer(PLUGINS))
    groups = {(g.dimension, g.group): g for g in result.scoring.groups}
    assert sum(1 for d, _ in groups if d == "principle") == 6
    assert sum(1 for d, _ in groups if d == "area") == 9
    assert all(g.score is not None for g in groups.values())
    assert result.missing  # the unanswered criteria, reported as missing
    assert result.scoring.recognition is not None

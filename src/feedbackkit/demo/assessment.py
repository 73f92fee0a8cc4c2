"""A seeded, synthetic self-assessment for the demo audit: the maturity scan as the
quality team of the demo municipality might fill it in.

Organisations tend to rate their design (opzet) higher than its operation (werking)
and that higher than evaluation (evaluatie); a few criteria are left unanswered, so
the report shows missing evidence as missing.
"""

from __future__ import annotations

import random

from feedbackkit.audit.evidence import CriterionRef, Facet, QuestionnaireAnswer
from feedbackkit.audit.framework import Framework

__all__ = ["RESPONDENT", "self_assessment"]

RESPONDENT = "kwaliteitsteam demogemeente (synthetisch)"
_UNANSWERED = 0.1
_LAG = {Facet.DESIGN: 0, Facet.OPERATION: 1, Facet.EVALUATION: 2}
"""How many levels a facet tends to lag behind the design."""


def self_assessment(framework: Framework, seed: int) -> tuple[QuestionnaireAnswer, ...]:
    """Answers for most criteria of ``framework`` on their own scales, deterministic for
    ``seed``; each answer's source says it is synthetic."""
    dice = random.Random(f"{seed}:{framework.name}:{framework.version}")
    answers = []
    for criterion in framework.criteria:
        if dice.random() < _UNANSWERED:
            continue
        values = [level.value for level in framework.scale_of(criterion).levels]
        top = len(values) - 1
        design = dice.randint(top // 2, top)
        for facet, lag in _LAG.items():
            step = max(0, min(top, design - dice.randint(0, lag)))
            answers.append(
                QuestionnaireAnswer(
                    criterion=CriterionRef(framework.name, criterion.id),
                    facet=facet,
                    level=values[step],
                    respondent=RESPONDENT,
                    source="feedbackkit demo (synthetic self-assessment)",
                )
            )
    return tuple(answers)

"""The customer's answer to the relationship question after handling (ICTU, domain.md §3)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from feedbackkit.demo.dice import Dice, Weighted
from feedbackkit.demo.phrases import OUTCOME_TEXTS
from feedbackkit.models import RelationshipOutcome
from feedbackkit.vocabulary import Relationship

__all__ = ["survey"]

_BY_MOOD = {
    1: Weighted(
        ((Relationship.STRONGER, 55), (Relationship.UNCHANGED, 35), (Relationship.WEAKER, 10))
    ),
    0: Weighted(
        ((Relationship.STRONGER, 20), (Relationship.UNCHANGED, 60), (Relationship.WEAKER, 20))
    ),
    -1: Weighted(
        ((Relationship.STRONGER, 5), (Relationship.UNCHANGED, 35), (Relationship.WEAKER, 60))
    ),
}
_SCORE = {Relationship.STRONGER: 4, Relationship.UNCHANGED: 3, Relationship.WEAKER: 1}


def survey(
    dice: Dice, case_id: uuid.UUID, closed_at: datetime, mood: int, until: datetime
) -> RelationshipOutcome | None:
    """The answers of a customer asked one to ten days after closing (None if after ``until``)."""
    recorded_at = closed_at + timedelta(days=dice.between(1, 10), minutes=dice.below(600))
    if recorded_at > until:
        return None
    relationship = _BY_MOOD[max(-1, min(1, mood))].draw(dice)
    base = _SCORE[relationship]
    handling = min(5, base + dice.below(2))
    solution = max(1, min(5, base + dice.between(-1, 1)))
    return RelationshipOutcome(
        case_id=case_id,
        recorded_at=recorded_at,
        relationship=relationship,
        satisfaction_solution=solution,
        satisfaction_handling=handling,
        fairly_treated=handling >= 3 or dice.chance(0.2),
        would_recommend=min(10, max(0, 2 * base + dice.between(-2, 2))),
        expectations_exceeded=relationship is Relationship.STRONGER and dice.chance(0.5),
        may_contact=dice.chance(0.7),
        free_text=dice.pick(OUTCOME_TEXTS[relationship]) if dice.chance(0.35) else None,
        id=dice.uuid(recorded_at),
    )

"""Quotes in which emotion leads: the customers' own words a learning report starts with.

Every text is read with the analyser's emotion lexicon; the strongest sentences are
picked, a few per emotion so that one feeling does not crowd out the others.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import datetime

import attrs

from feedbackkit.learning.text import EmotionScore
from feedbackkit.models import CaseRecord

__all__ = ["Quote", "emotion_profile", "emotion_quotes"]


@attrs.frozen
class Quote:
    """One sentence of a customer, the emotion that leads in it and where it comes from."""

    case_id: uuid.UUID
    reference: str | None
    kind: str
    channel: str
    received_at: datetime
    text: str
    category: str
    intensity: float
    valence: float


def emotion_quotes(
    records: Iterable[CaseRecord],
    emotions: Mapping[uuid.UUID, EmotionScore],
    *,
    limit: int = 8,
    per_category: int = 2,
    positive: bool | None = None,
) -> tuple[Quote, ...]:
    """Up to ``limit`` quotes, strongest first, at most ``per_category`` per emotion;
    ``positive`` keeps only positive (``True``) or negative (``False``) emotion."""
    candidates = []
    for record in records:
        score = emotions[record.feedback.id]
        if score.quote is None or score.dominant is None:
            continue
        if positive is not None and (score.valence > 0) != positive:
            continue
        feedback = record.feedback
        candidates.append(
            Quote(
                case_id=feedback.id,
                reference=feedback.reference,
                kind=feedback.kind.value,
                channel=feedback.channel.value,
                received_at=feedback.received_at,
                text=score.quote,
                category=score.dominant,
                intensity=score.intensity,
                valence=score.valence,
            )
        )
    candidates.sort(key=lambda q: (-q.intensity, q.received_at, str(q.case_id)))
    chosen: list[Quote] = []
    per: Counter[str] = Counter()
    seen: set[str] = set()
    for quote in candidates:
        if per[quote.category] >= per_category or quote.text in seen:
            continue
        chosen.append(quote)
        per[quote.category] += 1
        seen.add(quote.text)
        if len(chosen) == limit:
            break
    return tuple(chosen)


def emotion_profile(emotions: Iterable[EmotionScore]) -> Counter[str]:
    """How many texts each emotion leads in."""
    return Counter(s.dominant for s in emotions if s.dominant is not None)

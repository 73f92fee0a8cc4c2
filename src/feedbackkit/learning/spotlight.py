"""Feedback Friday: each week, the exemplary handled cases and the people who handled them.

Appreciation is part of a customer-sensitive organisation (ICTU, domain.md §4): every
week, one complaint that was handled in an exemplary way is put in the spotlight with
its handler. :func:`spotlight` proposes candidates from the relationship outcomes the
customers gave that week (relationship stronger, expectations exceeded, handling rated
highly, the customer's own words) and the compliments about the handling received that
week. A person chooses; the page is internal (it names staff).
"""

from __future__ import annotations

from datetime import timedelta

import attrs

from feedbackkit.learning.loop import Learning
from feedbackkit.learning.period import Period
from feedbackkit.learning.quotes import emotion_quotes
from feedbackkit.learning.views import FAMILY, QuoteView, Texts
from feedbackkit.models import CaseRecord, RelationshipOutcome
from feedbackkit.reports import Report
from feedbackkit.storage.protocol import Query
from feedbackkit.vocabulary import Kind, Relationship

__all__ = ["Exemplar", "Spotlight", "spotlight"]

LOOKBACK = timedelta(days=180)
"""How long before the week a case may have been received to get its verdict that week."""


@attrs.frozen
class Exemplar:
    handler: str | None
    reference: str | None
    kind: str
    subject: str | None
    received: str
    reasons: tuple[str, ...]
    words: str | None
    """What the customer said about the handling."""
    score: int


@attrs.frozen
class Spotlight:
    page: str
    title: str
    period: str
    exemplars: tuple[Exemplar, ...]
    compliments: tuple[QuoteView, ...]


def _merits(outcome: RelationshipOutcome) -> list[tuple[int, str, dict[str, int]]]:
    """What makes an outcome exemplary: (weight, text key, values)."""
    found: list[tuple[int, str, dict[str, int]]] = []
    if outcome.relationship is Relationship.STRONGER:
        found.append((3, "merit_stronger", {}))
    if outcome.expectations_exceeded:
        found.append((2, "merit_exceeded", {}))
    if outcome.satisfaction_handling is not None and outcome.satisfaction_handling >= 4:
        found.append(
            (
                outcome.satisfaction_handling - 3,
                "merit_handling",
                {"score": outcome.satisfaction_handling},
            )
        )
    if outcome.would_recommend is not None and outcome.would_recommend >= 9:
        found.append((1, "merit_recommend", {"score": outcome.would_recommend}))
    if outcome.fairly_treated:
        found.append((1, "merit_fair", {}))
    return found


def spotlight(learning: Learning, week: Period, *, lang: str = "nl", limit: int = 5) -> Report:
    """Candidates for Feedback Friday in ``week``: best outcomes first, then compliments."""
    texts = Texts(lang, learning.taxonomy)
    window = Query(received_from=week.starts - LOOKBACK, received_until=week.ends)
    candidates: list[Exemplar] = []
    compliments: list[CaseRecord] = []
    for record in learning.kit.store.records(window):
        feedback = record.feedback
        if feedback.kind in (Kind.COMPLIMENT, Kind.SATISFACTION) and week.contains(
            feedback.received_at.date()
        ):
            compliments.append(record)
        verdicts = [o for o in record.outcomes if week.contains(o.recorded_at.date())]
        if not verdicts or any(o.relationship is Relationship.WEAKER for o in verdicts):
            continue
        merits = [m for outcome in verdicts for m in _merits(outcome)]
        score = sum(weight for weight, _, _ in merits)
        if score < 3:
            continue
        words = next((o.free_text for o in verdicts if o.free_text), None)
        if words and learning.analyzer.emotion(words).valence > 0:
            score += 1
        candidates.append(
            Exemplar(
                handler=learning.kit.store.case_state(feedback.id).handler,
                reference=feedback.reference,
                kind=texts.kind(feedback.kind.value),
                subject=feedback.subject,
                received=texts.day(feedback.received_at),
                reasons=tuple(texts.t(key, **values) for _, key, values in merits),
                words=words,
                score=score,
            )
        )
    candidates.sort(key=lambda e: (-e.score, e.reference or ""))
    emotions = learning.emotions(compliments)
    praise = emotion_quotes(compliments, emotions, limit=limit, per_category=limit, positive=True)
    content = Spotlight(
        page="spotlight",
        title=texts.t("spotlight_title"),
        period=texts.t(
            "week", week=week.label, start=texts.day(week.start), end=texts.day(week.last)
        ),
        exemplars=tuple(candidates[:limit]),
        compliments=tuple(texts.quote(q) for q in praise),
    )
    return Report(template=FAMILY, title=content.title, content=content, data=content, lang=lang)

"""Themes of stored feedback: suggestions stored for new cases, counts per period, and
clusters across kinds and channels found by the text analyser.

A person's (``manual``) themes on a case take precedence over suggestions: a case is
counted under its manual themes when it has any, else under its suggested ones.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime

import attrs

from feedbackkit.learning.models import ThemeAssignment, ThemeSource
from feedbackkit.learning.taxonomy import Taxonomy
from feedbackkit.learning.text import Document, TextAnalyzer
from feedbackkit.models import Feedback
from feedbackkit.storage.protocol import Store

__all__ = [
    "ThemeCluster",
    "case_themes",
    "clusters",
    "suggested_assignments",
    "theme_counts",
]


@attrs.frozen
class ThemeCluster:
    """A group of similar feedback, whatever its kind or channel: what customers bring up."""

    keywords: tuple[str, ...]
    cases: tuple[uuid.UUID, ...]
    exemplar: uuid.UUID
    """The most typical case of the group."""
    kinds: Mapping[str, int] = attrs.field(hash=False)
    channels: Mapping[str, int] = attrs.field(hash=False)

    @property
    def size(self) -> int:
        return len(self.cases)


def suggested_assignments(
    items: Iterable[Feedback],
    analyzer: TextAnalyzer,
    taxonomy: Taxonomy,
    *,
    at: datetime,
    actor: str,
    limit: int = 2,
    min_score: float = 0.5,
) -> list[ThemeAssignment]:
    """Theme suggestions for ``items`` scoring at least ``min_score``, as assignments."""
    return [
        ThemeAssignment(
            feedback.id,
            suggestion.code,
            ThemeSource.SUGGESTED,
            at,
            actor,
            score=suggestion.score,
            terms=suggestion.terms,
        )
        for feedback in items
        for suggestion in analyzer.suggest_themes(feedback.text, taxonomy, limit)
        if suggestion.score >= min_score
    ]


def case_themes(assignments: Iterable[ThemeAssignment]) -> dict[uuid.UUID, tuple[str, ...]]:
    """The themes each case counts under: its manual ones when it has any, else the
    suggested ones (never a rejected one)."""
    manual: dict[uuid.UUID, list[str]] = {}
    suggested: dict[uuid.UUID, list[str]] = {}
    for assignment in assignments:
        if assignment.source is ThemeSource.REJECTED:
            continue
        target = manual if assignment.source is ThemeSource.MANUAL else suggested
        target.setdefault(assignment.case_id, []).append(assignment.theme)
    return {
        case_id: tuple(manual.get(case_id) or suggested[case_id])
        for case_id in {*manual, *suggested}
    }


def theme_counts(store: Store, case_ids: Sequence[uuid.UUID]) -> Counter[str]:
    """How many of ``case_ids`` count under each theme."""
    counts: Counter[str] = Counter()
    for themes in case_themes(store.themes(case_ids)).values():
        counts.update(themes)
    return counts


def clusters(
    items: Sequence[Feedback], analyzer: TextAnalyzer, *, minimum: int = 3
) -> tuple[ThemeCluster, ...]:
    """Clusters of at least ``minimum`` cases among ``items``, largest first."""
    if len(items) < minimum:
        return ()
    index = analyzer.index(Document.from_feedback(f) for f in items)
    clustering = index.cluster()
    found = []
    for cluster in clustering.clusters:
        if cluster.size < minimum:
            continue
        members = [items[i] for i in clustering.members(cluster.label)]
        found.append(
            ThemeCluster(
                keywords=cluster.keywords,
                cases=tuple(f.id for f in members),
                exemplar=uuid.UUID(cluster.exemplar),
                kinds=dict(Counter(f.kind.value for f in members).most_common()),
                channels=dict(Counter(f.channel.value for f in members).most_common()),
            )
        )
    return tuple(found)

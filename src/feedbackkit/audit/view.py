"""What the audit report shows: a view of an :class:`AuditResult` with its texts in one
language, laid out by the report templates (``reports/templates/audit.*.j2``)."""

from __future__ import annotations

import attrs

__all__ = [
    "AuditView",
    "ChangeView",
    "CriterionView",
    "DimensionView",
    "EvidenceLine",
    "FacetView",
    "GroupView",
    "Point",
    "RecognitionView",
    "Recommendation",
    "Section",
    "SourcesView",
    "TotalView",
]


@attrs.frozen
class FacetView:
    """One facet of a criterion: its score and the kind of evidence it rests on."""

    label: str
    score: float | None
    basis: str | None = None
    count: int = 0


@attrs.frozen
class EvidenceLine:
    """One item of evidence under a criterion, with the cases behind it."""

    kind: str
    text: str
    facet: str | None = None
    rating: str | None = None
    details: tuple[str, ...] = ()
    cases: tuple[str, ...] = ()
    more_cases: int = 0


@attrs.frozen
class CriterionView:
    """A criterion with its score per facet and all evidence linked to it."""

    id: str
    title: str
    description: str
    reference: str | None
    parts: str
    """The groups it belongs to in the other dimensions (e.g. its principles)."""
    score: float | None
    facets: tuple[FacetView, ...]
    evidence: tuple[EvidenceLine, ...]
    hints: tuple[str, ...]
    """Where evidence for it can be found (the framework's hints)."""


@attrs.frozen
class Section:
    """The criteria of one group (an area, a shift...)."""

    title: str
    criteria: tuple[CriterionView, ...]


@attrs.frozen
class GroupView:
    """A group's score (and points) with the change since the previous audit."""

    title: str
    score: float | None
    coverage: float
    size: int
    missing: int
    weight: float | None = None
    points: float | None = None
    previous: float | None = None
    """The previous audit's points (weighted groups) or score."""
    delta: float | None = None


@attrs.frozen
class DimensionView:
    """Scores along one dimension (areas, principles...) with a chart."""

    title: str
    weighted: bool
    groups: tuple[GroupView, ...]
    chart: str


@attrs.frozen
class TotalView:
    """Points on one basis (organisation areas, result areas, all)."""

    label: str
    points: float
    maximum: float
    unassessed: float
    previous: float | None = None
    delta: float | None = None


@attrs.frozen
class RecognitionView:
    """The recognition level reached, and what the next one still needs."""

    scheme: str
    description: str | None
    level: str | None
    provisional: bool
    next_level: str | None
    shortfall: float | None
    next_basis: str | None
    valid_years: int | None
    chart: str
    previous: str | None = None
    """The previous audit's level (its title, or the text for none), when known."""


@attrs.frozen
class Point:
    """A strength, a point to improve, a tip or a finding."""

    title: str
    text: str
    score: float | None = None
    source: str | None = None


@attrs.frozen
class Recommendation:
    """What to do about a criterion (or about missing evidence), and how to show it."""

    title: str
    actions: tuple[str, ...]
    goal: str | None = None
    hints: tuple[str, ...] = ()
    score: float | None = None
    source: str | None = None


@attrs.frozen
class ChangeView:
    """What changed since the previous audit."""

    version: str
    same_version: bool
    recognition: tuple[str, str] | None
    improved: tuple[Point, ...]
    declined: tuple[Point, ...]
    newly_scored: int
    no_longer_scored: int


@attrs.frozen
class SourcesView:
    """The evidence the audit rests on, counted."""

    respondents: tuple[str, ...]
    answers: int
    observations: int
    auditors: tuple[str, ...]
    indicators: int
    periods: tuple[str, ...]


@attrs.frozen
class AuditView:
    """Everything the audit report shows, with its texts in one language."""

    title: str
    description: str
    framework: str
    version: str
    official: bool
    notice: str | None
    sources: tuple[str, ...]
    scorer: str
    organisation: str | None
    date: str | None
    criteria: int
    scored: int
    strength: float
    """The score from which a criterion is a strength (:data:`STRENGTH`)."""
    improve: float
    """The score below which a criterion is a point to improve (:data:`IMPROVE`)."""
    recognition: RecognitionView | None
    totals: tuple[TotalView, ...]
    dimensions: tuple[DimensionView, ...]
    strengths: tuple[Point, ...]
    improvements: tuple[Point, ...]
    recommendations: tuple[Recommendation, ...]
    tips: tuple[Point, ...]
    findings: tuple[Point, ...]
    missing: tuple[Point, ...]
    unresolved: tuple[str, ...]
    change: ChangeView | None
    sections: tuple[Section, ...]
    evidence: SourcesView

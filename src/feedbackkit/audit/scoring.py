"""Scoring evidence against a framework: the default maturity scorer, and the
aggregation to groups, points and recognition that any scorer may reuse.

Missing evidence stays missing: a criterion without a rating gets no score and is
listed in its groups' ``missing``; group scores and points are computed over what is
scored, and every group and point total says how much rests on unscored criteria.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from statistics import fmean

import attrs

from feedbackkit.audit.evidence import CriterionRef, Evidence, EvidenceKind, Facet
from feedbackkit.audit.framework import ALL, Dimension, Framework, Group, RecognitionScheme
from feedbackkit.errors import ValidationError

__all__ = [
    "PRECISION",
    "CriterionScore",
    "FacetScore",
    "GroupScore",
    "Linked",
    "MaturityScorer",
    "PointsTotal",
    "Recognition",
    "Scoring",
    "aggregate",
    "linked_evidence",
]

PRECISION = 6
"""Decimals points are rounded to before they are compared with thresholds."""


@attrs.frozen
class FacetScore:
    """The score (0..1) of one facet and the kind and number of ratings it rests on."""

    facet: Facet
    score: float
    basis: EvidenceKind
    count: int


@attrs.frozen
class CriterionScore:
    """A criterion's score (0..1), or ``None`` when nothing rated it.

    ``evidence`` counts every linked item, rated or not.
    """

    criterion: str
    score: float | None
    facets: tuple[FacetScore, ...] = ()
    missing_facets: tuple[Facet, ...] = ()
    evidence: int = 0

    def __attrs_post_init__(self) -> None:
        if self.score is not None and not 0 <= self.score <= 1:
            raise ValidationError("score", f"{self.criterion}: must be between 0 and 1")


@attrs.frozen
class GroupScore:
    """A group's weighted mean over its scored criteria; ``coverage`` is the scored share."""

    dimension: str
    group: str
    score: float | None
    coverage: float
    missing: tuple[str, ...] = ()
    """Criteria of the group without a score."""
    weight: float | None = None
    points: float | None = None


@attrs.frozen
class PointsTotal:
    """Points on one basis (a group kind or ``all``); ``unassessed`` rests on unscored criteria."""

    basis: str
    points: float
    maximum: float
    unassessed: float


@attrs.frozen
class Recognition:
    """The recognition level reached under one scheme.

    ``provisional`` is true while some points are unassessed; ``shortfall`` is what the
    next level still needs on its basis.
    """

    scheme: str
    level: str | None
    provisional: bool
    next_level: str | None = None
    shortfall: float | None = None


@attrs.frozen
class Scoring:
    """What a scorer returns: per criterion, per group, point totals and recognition."""

    criteria: tuple[CriterionScore, ...]
    groups: tuple[GroupScore, ...]
    totals: tuple[PointsTotal, ...] = ()
    recognition: Recognition | None = None

    def criterion(self, criterion_id: str) -> CriterionScore:
        for score in self.criteria:
            if score.criterion == criterion_id:
                return score
        raise ValidationError("criterion", f"no score for {criterion_id!r}")

    def group(self, dimension: str, group: str) -> GroupScore:
        for score in self.groups:
            if (score.dimension, score.group) == (dimension, group):
                return score
        raise ValidationError("group", f"no score for {dimension}:{group}")

    def total(self, basis: str) -> PointsTotal:
        for total in self.totals:
            if total.basis == basis:
                return total
        raise ValidationError("basis", f"no point total on {basis!r}")


@attrs.frozen
class Linked:
    """The evidence linked to one criterion: how many items, and their ratings (0..1)
    by facet and kind of evidence (unrated items only count)."""

    items: int = 0
    ratings: Mapping[tuple[Facet, EvidenceKind], tuple[float, ...]] = attrs.field(
        factory=dict, hash=False
    )


def linked_evidence(framework: Framework, evidence: Evidence) -> dict[str, Linked]:
    """Every criterion of ``framework`` with the evidence linked to it."""
    items: dict[str, int] = dict.fromkeys((c.id for c in framework.criteria), 0)
    scales = {c.id: framework.scale_of(c) for c in framework.criteria}
    ratings: dict[str, dict[tuple[Facet, EvidenceKind], list[float]]] = {
        c.id: defaultdict(list) for c in framework.criteria
    }

    def add(
        criterion_id: str, facet: Facet | None, kind: EvidenceKind, rating: float | None
    ) -> None:
        items[criterion_id] += 1
        if facet is not None and rating is not None:
            ratings[criterion_id][facet, kind].append(rating)

    def own(refs: Iterable[CriterionRef]) -> list[str]:
        return list(
            dict.fromkeys(
                ref.criterion
                for ref in refs
                if ref.framework == framework.name and ref.criterion in items
            )
        )

    for obs in evidence.observations:
        for criterion_id in own(obs.criteria):
            level = None if obs.level is None else scales[criterion_id].fraction(obs.level)
            add(criterion_id, obs.facet, EvidenceKind.OBSERVATION, level)
    for value in evidence.indicators:
        for criterion_id in own(value.criteria):
            add(criterion_id, value.facet, EvidenceKind.INDICATOR, value.attainment)
    for answer in evidence.answers:
        for criterion_id in own((answer.criterion,)):
            rating = scales[criterion_id].fraction(answer.level)
            add(criterion_id, answer.facet, EvidenceKind.QUESTIONNAIRE, rating)
    return {
        cid: Linked(items[cid], {key: tuple(found) for key, found in ratings[cid].items()})
        for cid in items
    }


class MaturityScorer:
    """The default scorer.

    Each facet (design, operation, evaluation) is the mean rating of the most
    authoritative kind of evidence present for it: auditor observations, then
    indicators, then questionnaire answers. A criterion's score is the mean of its
    rated facets; facets without a rating are listed as missing.
    """

    name = "maturity"
    precedence: tuple[EvidenceKind, ...] = (
        EvidenceKind.OBSERVATION,
        EvidenceKind.INDICATOR,
        EvidenceKind.QUESTIONNAIRE,
    )

    def score(
        self, framework: Framework, evidence: Evidence, scheme: RecognitionScheme | None
    ) -> Scoring:
        linked = linked_evidence(framework, evidence)
        criteria = (self.criterion_score(c.id, linked[c.id]) for c in framework.criteria)
        return aggregate(framework, criteria, scheme)

    def criterion_score(self, criterion_id: str, linked: Linked) -> CriterionScore:
        facets: list[FacetScore] = []
        missing: list[Facet] = []
        for facet in Facet:
            for kind in self.precedence:
                found = linked.ratings.get((facet, kind))
                if found:
                    facets.append(FacetScore(facet, fmean(found), kind, len(found)))
                    break
            else:
                missing.append(facet)
        score = fmean(f.score for f in facets) if facets else None
        return CriterionScore(criterion_id, score, tuple(facets), tuple(missing), linked.items)


def aggregate(
    framework: Framework, criteria: Iterable[CriterionScore], scheme: RecognitionScheme | None
) -> Scoring:
    """Group scores, point totals and recognition from one score per criterion."""
    scores = {score.criterion: score for score in criteria}
    expected = [c.id for c in framework.criteria]
    if sorted(scores) != sorted(expected):
        unknown = sorted(set(scores) - set(expected))
        absent = sorted(set(expected) - set(scores))
        raise ValidationError(
            "criteria", f"need one score per criterion; unknown: {unknown}, absent: {absent}"
        )
    if scheme is not None and scheme not in framework.recognition:
        raise ValidationError("scheme", f"{scheme.id!r} is not a scheme of {framework.name}")
    groups = tuple(
        _group_score(framework, dimension, group, scores)
        for dimension in framework.dimensions
        for group in dimension.groups
    )
    totals = _totals(framework, groups)
    return Scoring(
        criteria=tuple(scores[cid] for cid in expected),
        groups=groups,
        totals=totals,
        recognition=None if scheme is None else _recognise(scheme, totals),
    )


def _group_score(
    framework: Framework, dimension: Dimension, group: Group, scores: Mapping[str, CriterionScore]
) -> GroupScore:
    members = framework.members(dimension.id, group.id)
    rated = [(c.weight, scores[c.id].score) for c in members]
    scored = [(weight, score) for weight, score in rated if score is not None]
    scored_weight = sum(weight for weight, _ in scored)
    score = sum(weight * s for weight, s in scored) / scored_weight if scored else None
    points = None
    if group.weight is not None and score is not None:
        points = round(group.weight * score, PRECISION)
    return GroupScore(
        dimension=dimension.id,
        group=group.id,
        score=score,
        coverage=scored_weight / sum(c.weight for c in members),
        missing=tuple(c.id for c in members if scores[c.id].score is None),
        weight=group.weight,
        points=points,
    )


def _totals(framework: Framework, groups: tuple[GroupScore, ...]) -> tuple[PointsTotal, ...]:
    dimension = framework.points_dimension
    if dimension is None:
        return ()
    kind = {group.id: group.kind for group in dimension.groups}
    weighted = [g for g in groups if g.dimension == dimension.id and g.weight is not None]
    totals = []
    for basis in framework.bases():
        members = [g for g in weighted if basis == ALL or kind[g.group] == basis]
        totals.append(
            PointsTotal(
                basis=basis,
                points=round(sum((g.weight or 0.0) * (g.score or 0.0) for g in members), PRECISION),
                maximum=sum(g.weight or 0.0 for g in members),
                unassessed=round(
                    sum((g.weight or 0.0) * (1 - g.coverage) for g in members), PRECISION
                ),
            )
        )
    return tuple(totals)


def _recognise(scheme: RecognitionScheme, totals: tuple[PointsTotal, ...]) -> Recognition:
    points = {total.basis: total.points for total in totals}
    level = scheme.attained(points)
    following = scheme.next_level(level)
    shortfall = None
    if following is not None:
        shortfall = round(following.threshold - points[following.basis], PRECISION)
    return Recognition(
        scheme=scheme.id,
        level=None if level is None else level.id,
        provisional=any(total.unassessed > 0 for total in totals),
        next_level=None if following is None else following.id,
        shortfall=shortfall,
    )

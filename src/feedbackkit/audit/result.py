"""Running an audit: a framework, its evidence and a scorer in, an :class:`AuditResult` out.

:func:`run` is pure. It hands the scorer only the evidence linked to the framework,
holds every scorer to the rule that criteria without evidence get no score, and
lists evidence pointing at criteria the framework does not have.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from feedbackkit.audit.evidence import CriterionRef, Evidence, Observation
from feedbackkit.audit.framework import Framework
from feedbackkit.audit.scoring import Scoring, linked_evidence
from feedbackkit.errors import PluginError

if TYPE_CHECKING:
    from feedbackkit.ports import Scorer

__all__ = ["AuditResult", "run"]


@attrs.frozen
class AuditResult:
    """The outcome of an audit, serialisable through :data:`feedbackkit.converter`."""

    framework: str
    version: str
    scorer: str
    scheme: str | None
    scoring: Scoring
    missing: tuple[str, ...]
    """Criteria without a score, in framework order."""
    findings: tuple[Observation, ...] = ()
    """The auditor's observations on this framework (strengths, improvements, tips...)."""
    unresolved: tuple[CriterionRef, ...] = ()
    """Evidence links to criteria this framework version does not have."""


def run(
    framework: Framework, evidence: Evidence, scorer: Scorer, *, scheme: str | None = None
) -> AuditResult:
    """Score ``evidence`` against ``framework`` with ``scorer`` under recognition ``scheme``
    (default: the framework's first scheme)."""
    chosen = framework.scheme(scheme)
    relevant = evidence.for_framework(framework.name)
    scoring = scorer.score(framework, relevant, chosen)
    _check(scorer.name, framework, relevant, scoring)
    return AuditResult(
        framework=framework.name,
        version=framework.version,
        scorer=scorer.name,
        scheme=None if chosen is None else chosen.id,
        scoring=scoring,
        missing=tuple(s.criterion for s in scoring.criteria if s.score is None),
        findings=relevant.observations,
        unresolved=tuple(
            sorted(
                ref
                for ref in relevant.refs()
                if ref.framework == framework.name and not framework.has_criterion(ref.criterion)
            )
        ),
    )


def _check(name: str, framework: Framework, evidence: Evidence, scoring: Scoring) -> None:
    """Raise :class:`PluginError` if a scorer skipped a criterion or scored one without evidence."""
    ids = [score.criterion for score in scoring.criteria]
    if ids != [c.id for c in framework.criteria]:
        raise PluginError(f"scorer {name}: must score every criterion of {framework.name} in order")
    linked = linked_evidence(framework, evidence)
    for score in scoring.criteria:
        if score.score is not None and linked[score.criterion].items == 0:
            raise PluginError(
                f"scorer {name}: scored {score.criterion!r} although no evidence is linked to it"
            )

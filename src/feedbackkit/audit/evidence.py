"""Audit evidence, all of it linked to criteria: indicator values computed from the
case store, questionnaire answers (the self-assessment) and auditor observations.

Evidence is rated per facet of a criterion: its design (opzet), its operation
(werking) and its evaluation and adjustment (evaluatie).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol

import attrs

from feedbackkit.audit.framework import Text, check_lang
from feedbackkit.errors import InterchangeError, ValidationError

if TYPE_CHECKING:
    from feedbackkit.storage.measures import Metrics

__all__ = [
    "CriterionRef",
    "Evidence",
    "EvidenceFileError",
    "EvidenceKind",
    "Facet",
    "Indicator",
    "IndicatorPart",
    "IndicatorValue",
    "MissingIndicator",
    "Observation",
    "ObservationKind",
    "QuestionnaireAnswer",
]


class Facet(StrEnum):
    """What of a criterion is assessed (Gouden Oor audits look at all three)."""

    DESIGN = "design"
    OPERATION = "operation"
    EVALUATION = "evaluation"

    def label(self, lang: str = "nl") -> str:
        return _FACET_LABELS[self].get(lang)


_FACET_LABELS = {
    Facet.DESIGN: Text(nl="opzet", en="design"),
    Facet.OPERATION: Text(nl="werking", en="operation"),
    Facet.EVALUATION: Text(nl="evaluatie", en="evaluation"),
}


class ObservationKind(StrEnum):
    """What an auditor's observation is: the parts of a Gouden Oor audit report."""

    FINDING = "finding"
    STRENGTH = "strength"
    IMPROVEMENT = "improvement"
    RECOMMENDATION = "recommendation"
    TIP = "tip"


class EvidenceKind(StrEnum):
    """The three kinds of evidence."""

    OBSERVATION = "observation"
    INDICATOR = "indicator"
    QUESTIONNAIRE = "questionnaire"


class EvidenceFileError(InterchangeError):
    """A questionnaire or observation file is invalid; names the file, line and field."""

    def __init__(self, source: str, line: int, field: str, message: str) -> None:
        super().__init__(line, field, message)
        self.source = source
        self.args = (f"{source}, line {line}: {field}: {message}",)


@attrs.frozen(order=True)
class CriterionRef:
    """A criterion of a named framework, e.g. ``awb-compliance:awb-9-6``."""

    framework: str
    criterion: str

    def __str__(self) -> str:
        return f"{self.framework}:{self.criterion}"


def _blank(instance: object, attribute: attrs.Attribute[Any], value: str | None) -> None:
    if value is not None and not value.strip():
        raise ValidationError(attribute.name, "must not be blank")


def _some(instance: object, attribute: attrs.Attribute[Any], value: tuple[Any, ...]) -> None:
    if not value:
        raise ValidationError(attribute.name, "must name at least one criterion")


def _a_date(instance: object, attribute: attrs.Attribute[Any], value: date | None) -> None:
    if isinstance(value, datetime):
        raise ValidationError(attribute.name, f"must be a date, not a date and time: {value}")


@attrs.frozen
class IndicatorPart:
    """One line of an indicator's breakdown or trend, e.g. ``weaker`` or ``2025-03``."""

    label: str
    value: float
    unit: str = ""


@attrs.frozen
class IndicatorValue:
    """A value computed from the case store, with the criteria it informs and the cases behind it.

    ``attainment`` (0..1) says how far the value meets its norm; a value without a norm
    (``None``) is reported but not scored.
    """

    indicator: str = attrs.field(validator=_blank)
    criteria: tuple[CriterionRef, ...] = attrs.field(validator=_some)
    value: float
    attainment: float | None = attrs.field(default=None)
    facet: Facet = Facet.OPERATION
    unit: str = ""
    cases: tuple[uuid.UUID, ...] = ()
    period_start: date | None = attrs.field(default=None, validator=_a_date)
    period_end: date | None = attrs.field(default=None, validator=_a_date)
    parts: tuple[IndicatorPart, ...] = ()
    """The value broken down (per outcome, per term) or over time (per period)."""

    @attainment.validator
    def _check_attainment(self, attribute: attrs.Attribute[Any], value: float | None) -> None:
        if value is not None and not 0 <= value <= 1:
            raise ValidationError("attainment", f"must be between 0 and 1, got {value}")


@attrs.frozen
class MissingIndicator:
    """An indicator the register cannot give for the period: missing evidence, never a score.

    ``reason`` says what is absent, in Dutch and English (e.g. no golden complaints
    were ever flagged, or no term fell due).
    """

    indicator: str = attrs.field(validator=_blank)
    criteria: tuple[CriterionRef, ...] = attrs.field(validator=_some)
    reason: Text
    period_start: date | None = attrs.field(default=None, validator=_a_date)
    period_end: date | None = attrs.field(default=None, validator=_a_date)


@attrs.frozen
class QuestionnaireAnswer:
    """One facet of one criterion as a respondent rated it in the self-assessment."""

    criterion: CriterionRef
    facet: Facet
    level: int
    respondent: str = attrs.field(validator=_blank)
    remarks: str = ""
    source: str | None = None
    """Where it was read, e.g. ``zelfevaluatie.csv:7``."""


@attrs.frozen
class Observation:
    """What an auditor saw, with references to the cases and documents behind it.

    A rated observation (``level`` on the criterion's scale) needs a ``facet``.
    """

    id: str = attrs.field(validator=_blank)
    criteria: tuple[CriterionRef, ...] = attrs.field(validator=_some)
    kind: ObservationKind
    text: str = attrs.field(validator=_blank)
    facet: Facet | None = None
    level: int | None = None
    lang: str = attrs.field(default="nl", validator=lambda _i, _a, value: check_lang(value))
    cases: tuple[uuid.UUID, ...] = ()
    documents: tuple[str, ...] = ()
    auditor: str | None = attrs.field(default=None, validator=_blank)
    observed_on: date | None = attrs.field(default=None, validator=_a_date)
    source: str | None = None
    """Where it was read, e.g. ``observaties.toml:12``."""

    def __attrs_post_init__(self) -> None:
        if self.level is not None and self.facet is None:
            raise ValidationError("facet", "a rated observation (level) needs a facet")


@attrs.frozen
class Evidence:
    """All evidence for an audit, by kind."""

    indicators: tuple[IndicatorValue, ...] = ()
    answers: tuple[QuestionnaireAnswer, ...] = ()
    observations: tuple[Observation, ...] = ()
    gaps: tuple[MissingIndicator, ...] = ()
    """Indicators the register could not give: reported as missing, not evidence."""

    @classmethod
    def merge(cls, parts: Iterable[Evidence]) -> Evidence:
        """All evidence of ``parts`` together, in order."""
        items = tuple(parts)
        return cls(
            indicators=tuple(i for part in items for i in part.indicators),
            answers=tuple(a for part in items for a in part.answers),
            observations=tuple(o for part in items for o in part.observations),
            gaps=tuple(g for part in items for g in part.gaps),
        )

    def refs(self) -> frozenset[CriterionRef]:
        """Every criterion some evidence links to."""
        return frozenset(
            (
                *(ref for i in self.indicators for ref in i.criteria),
                *(a.criterion for a in self.answers),
                *(ref for o in self.observations for ref in o.criteria),
            )
        )

    def for_framework(self, name: str) -> Evidence:
        """Only the evidence linked to a criterion of framework ``name``."""

        def linked(refs: Iterable[CriterionRef]) -> bool:
            return any(ref.framework == name for ref in refs)

        return Evidence(
            indicators=tuple(i for i in self.indicators if linked(i.criteria)),
            answers=tuple(a for a in self.answers if a.criterion.framework == name),
            observations=tuple(o for o in self.observations if linked(o.criteria)),
            gaps=tuple(g for g in self.gaps if linked(g.criteria)),
        )


class Indicator(Protocol):
    """Computes one indicator for a period from the register's metrics
    (:mod:`feedbackkit.audit.indicators`)."""

    @property
    def id(self) -> str: ...

    @property
    def criteria(self) -> tuple[CriterionRef, ...]:
        """The criteria it informs."""
        ...

    def compute(
        self, metrics: Metrics, start: date, end: date
    ) -> IndicatorValue | MissingIndicator:
        """The value over cases received from ``start`` (inclusive) to ``end`` (exclusive),
        or why the register cannot give it."""
        ...

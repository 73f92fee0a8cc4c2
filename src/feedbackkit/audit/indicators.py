"""Indicators from the register, as audit evidence, computed with the in-database metrics.

Each indicator is a :class:`StoreIndicator`: an id that framework files name in their
evidence hints (``indicator = "awb.handled_in_time"``), the criteria naming it, and a
*measure*, a documented function of :class:`~feedbackkit.storage.measures.Metrics`
and the period. A measure returns a :class:`Reading` or, when the register holds
no data for it, a :class:`Missing` reason: that becomes a
:class:`~feedbackkit.audit.evidence.MissingIndicator`, reported as missing
evidence and never scored (neither as zero nor as full marks).

Deadline indicators have a norm, every term met in time: their ``attainment`` is the
share met in time among the terms that fell due, and it is scored. The others are
reported with their breakdown and trend, not scored.

=================================== ==========================================================
``feedback.informal_share``          share received orally or through an informal channel
``feedback.proactive_share``         share the organisation asked for itself
``feedback.internal_share``          share from the organisation's own staff
``feedback.by_channel``              channels in use (one example case each)
``handling.within_norm``             acknowledgement and personal contact within the service
                                     norm (scored)
``awb.acknowledgement``              complaints acknowledged within the norm (Awb 9:6; scored)
``awb.handled_in_time``              complaints handled within the Awb 9:11 term (scored)
``awb.non_handling_notice_in_time``  notices of non-handling within 4 weeks (Awb 9:8; scored)
``objection.decided_in_time``        objections decided within the Awb 7:10 term (scored)
``handling.backlog``                 terms overdue at the end of the period
``handling.informal_resolution_share`` complaints resolved informally rather than by findings
``outcome.relationship``             relationship stronger or unchanged; per outcome and month
``outcome.satisfaction``             mean satisfaction with the handling (1-5)
``outcome.fair_treatment``           share feeling fairly treated
``feedback.repeat_rate``             share reporting a problem again; escalations to complaints
``learning.golden_flagged``          golden complaints flagged
``learning.improvements_realised``   improvement actions completed; reported back
=================================== ==========================================================
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from datetime import date, timedelta

import attrs

from feedbackkit.audit.evidence import (
    CriterionRef,
    Evidence,
    IndicatorPart,
    IndicatorValue,
    MissingIndicator,
)
from feedbackkit.audit.framework import Framework, Source, Text
from feedbackkit.errors import ValidationError
from feedbackkit.storage.measures import Metrics, Period, TermCompliance

__all__ = [
    "BY_CHANNEL",
    "MEASURES",
    "Measure",
    "Missing",
    "Reading",
    "StoreIndicator",
    "gather_indicators",
    "received_span",
    "store_indicators",
]

BY_CHANNEL = "feedback.by_channel"


@attrs.frozen
class Reading:
    """What a measure found: the value, its unit, and its attainment of a norm if it has one."""

    value: float
    unit: str = ""
    attainment: float | None = None
    cases: tuple[uuid.UUID, ...] = ()
    parts: tuple[IndicatorPart, ...] = ()


@attrs.frozen
class Missing:
    """Why a measure has no value: the register holds no data for it."""

    reason: Text


Measure = Callable[[Metrics, date, date], Reading | Missing]
"""``(metrics, start, end) -> Reading | Missing`` over cases received in ``[start, end)``."""


def _share(part: int, whole: int) -> float:
    return part / whole


def _no_cases(start: date, end: date) -> Missing:
    last = end - timedelta(days=1)
    return Missing(
        Text(
            nl=f"geen zaken ontvangen van {start} tot en met {last}",
            en=f"no cases received from {start} to {last}",
        )
    )


# -- what came in --------------------------------------------------------------------


def _shares(part: str) -> Measure:
    def measure(metrics: Metrics, start: date, end: date) -> Reading | Missing:
        shares = metrics.shares(start=start, end=end)
        if shares.cases == 0:
            return _no_cases(start, end)
        return Reading(_share(getattr(shares, part), shares.cases), "share")

    return measure


informal_share = _shares("informal")
informal_share.__doc__ = """Cases received orally or through an informal channel (phone,
counter, in person, neighbourhood team, social media), as a share of all received."""
proactive_share = _shares("proactive")
proactive_share.__doc__ = "Cases the organisation asked for itself, as a share of all received."
internal_share = _shares("internal")
internal_share.__doc__ = "Cases from the organisation's own staff, as a share of all received."


def channels_in_use(metrics: Metrics, start: date, end: date) -> Reading | Missing:
    """The number of channels cases came in through, the first case of each as an example,
    and each channel's share as parts."""
    channels = metrics.channels(start=start, end=end)
    total = sum(c.cases for c in channels)
    if total == 0:
        return _no_cases(start, end)
    return Reading(
        float(len(channels)),
        "channels",
        cases=tuple(c.example for c in channels),
        parts=tuple(
            IndicatorPart(c.channel.value, _share(c.cases, total), "share") for c in channels
        ),
    )


# -- deadlines -------------------------------------------------------------------------


def _compliance(
    metrics: Metrics, start: date, end: date, wanted: Callable[[TermCompliance], bool]
) -> Reading | Missing:
    """The terms ``wanted`` selects, met in time among those that fell due; scored."""
    as_of = end - timedelta(days=1)
    found = [t for t in metrics.compliance(as_of=as_of, start=start, end=end) if wanted(t)]
    due = sum(t.due for t in found)
    if due == 0:
        return Missing(
            Text(
                nl="geen termijn van deze soort verstreken of afgerond in de periode",
                en="no term of this kind fell due or was settled in the period",
            )
        )
    met = sum(t.met for t in found)
    parts = tuple(
        IndicatorPart(f"{t.procedure}:{t.term}:{bucket}", float(getattr(t, bucket)), "terms")
        for t in found
        for bucket in ("met", "late", "missed", "overdue", "open")
    )
    return Reading(_share(met, due), "share", attainment=_share(met, due), parts=parts)


def within_norm(metrics: Metrics, start: date, end: date) -> Reading | Missing:
    """Acknowledgement and personal contact within the service norm: the non-statutory
    ``acknowledge`` and ``personal_contact`` terms of every procedure met in time."""
    return _compliance(
        metrics,
        start,
        end,
        lambda t: not t.statutory and t.term in ("acknowledge", "personal_contact"),
    )


def _term(procedure: str, term: str, doc: str) -> Measure:
    def measure(metrics: Metrics, start: date, end: date) -> Reading | Missing:
        return _compliance(
            metrics, start, end, lambda t: (t.procedure, t.term) == (procedure, term)
        )

    measure.__doc__ = doc
    return measure


acknowledged = _term(
    "awb_complaint", "acknowledge", "Complaints acknowledged within the norm (Awb 9:6)."
)
handled_in_time = _term(
    "awb_complaint", "handling", "Complaints handled within 6 (10) weeks (Awb 9:11)."
)
non_handling_notice = _term(
    "awb_complaint",
    "not_handled_notice",
    "Notices that a complaint is not handled, within 4 weeks (Awb 9:8 lid 3).",
)
decided_in_time = _term("objection", "decision", "Objections decided within the Awb 7:10 term.")


def backlog(metrics: Metrics, start: date, end: date) -> Reading | Missing:
    """Terms still open after their due date at the end of the period (not scored)."""
    as_of = end - timedelta(days=1)
    found = metrics.compliance(as_of=as_of, start=start, end=end)
    if not found:
        return _no_cases(start, end)
    parts = tuple(
        IndicatorPart(f"{t.procedure}:{t.term}", float(t.overdue), "terms")
        for t in found
        if t.overdue
    )
    return Reading(float(sum(t.overdue for t in found)), "terms", parts=parts)


def informal_resolution(metrics: Metrics, start: date, end: date) -> Reading | Missing:
    """Complaints whose handling term was met by informal resolution, as a share of those
    met by informal resolution or by formal findings (Awb 9:5 against 9:12)."""
    counts = {
        r.action: r.cases
        for r in metrics.resolutions(start=start, end=end)
        if (r.procedure, r.term) == ("awb_complaint", "handling")
    }
    informal, formal = counts.get("resolve_informally", 0), counts.get("send_findings", 0)
    if informal + formal == 0:
        return Missing(
            Text(
                nl="geen klachten informeel opgelost of formeel afgedaan in de periode",
                en="no complaints resolved informally or by findings in the period",
            )
        )
    return Reading(
        _share(informal, informal + formal),
        "share",
        parts=(
            IndicatorPart("resolve_informally", float(informal), "cases"),
            IndicatorPart("send_findings", float(formal), "cases"),
        ),
    )


# -- outcomes ----------------------------------------------------------------------------

_NO_OUTCOMES = Text(
    nl="geen relatie-uitkomsten of tevredenheidsantwoorden vastgelegd in de periode",
    en="no relationship outcomes or satisfaction answers recorded in the period",
)


def relationship(metrics: Metrics, start: date, end: date) -> Reading | Missing:
    """Relationship stronger or unchanged after handling, as a share of the answers; parts:
    each outcome's share, and the trend: that share per month of receipt."""
    found = metrics.relationship(start=start, end=end)
    if not found:
        return Missing(_NO_OUTCOMES)
    (total,) = found
    kept = _share(total.stronger + total.unchanged, total.responses)
    parts = [
        IndicatorPart(name, _share(getattr(total, name), total.responses), "share")
        for name in ("stronger", "unchanged", "weaker")
    ]
    parts += [
        IndicatorPart(
            month.period or "", _share(month.stronger + month.unchanged, month.responses), "share"
        )
        for month in metrics.relationship(per=Period.MONTH, start=start, end=end)
    ]
    return Reading(kept, "share", parts=tuple(parts))


def satisfaction(metrics: Metrics, start: date, end: date) -> Reading | Missing:
    """Mean satisfaction with the handling (1-5); parts: with the solution, expectations
    exceeded, net promoter score."""
    found = metrics.satisfaction(start=start, end=end)
    if found.handling is None:
        return Missing(_NO_OUTCOMES)
    parts = [
        IndicatorPart(name, value, unit)
        for name, value, unit in (
            ("solution", found.solution, "score"),
            ("expectations_exceeded", found.expectations_exceeded, "share"),
            ("nps", found.nps, ""),
        )
        if value is not None
    ]
    return Reading(found.handling, "score", parts=tuple(parts))


def fair_treatment(metrics: Metrics, start: date, end: date) -> Reading | Missing:
    """Customers who felt fairly treated, as a share of those who answered."""
    found = metrics.satisfaction(start=start, end=end)
    if found.fairly_treated is None:
        return Missing(_NO_OUTCOMES)
    return Reading(found.fairly_treated, "share")


def repeat_rate(metrics: Metrics, start: date, end: date) -> Reading | Missing:
    """Cases reporting a problem again (``repeat_of``), as a share of all received; part:
    repeats that became a complaint (a melding not fixed in time)."""
    found = metrics.repeats(start=start, end=end)
    if found.cases == 0:
        return _no_cases(start, end)
    return Reading(
        _share(found.repeats, found.cases),
        "share",
        parts=(IndicatorPart("escalated", float(found.escalated), "cases"),),
    )


# -- the learning loop --------------------------------------------------------------------


def golden_flagged(metrics: Metrics, start: date, end: date) -> Reading | Missing:
    """Golden complaints flagged among the cases received. Missing when none is flagged:
    an organisation that does not flag them gives no evidence either way."""
    found = metrics.learning(start=start, end=end)
    if found.golden == 0:
        return Missing(
            Text(
                nl="geen gouden klachten gemarkeerd in het register",
                en="no golden complaints flagged in the register",
            )
        )
    return Reading(float(found.golden), "cases")


def improvements(metrics: Metrics, start: date, end: date) -> Reading | Missing:
    """Improvement actions completed (created in the period); parts: completed and
    reported back to the customers ("you said, we did"), and all actions. Missing when the
    register holds no improvement actions."""
    found = metrics.learning(start=start, end=end)
    if found.actions == 0:
        return Missing(
            Text(
                nl="geen verbeteracties vastgelegd in de periode",
                en="no improvement actions recorded in the period",
            )
        )
    return Reading(
        float(found.done),
        "actions",
        parts=(
            IndicatorPart("reported_back", float(found.reported), "actions"),
            IndicatorPart("all", float(found.actions), "actions"),
        ),
    )


MEASURES: dict[str, Measure] = {
    "feedback.informal_share": informal_share,
    "feedback.proactive_share": proactive_share,
    "feedback.internal_share": internal_share,
    BY_CHANNEL: channels_in_use,
    "handling.within_norm": within_norm,
    "awb.acknowledgement": acknowledged,
    "awb.handled_in_time": handled_in_time,
    "awb.non_handling_notice_in_time": non_handling_notice,
    "objection.decided_in_time": decided_in_time,
    "handling.backlog": backlog,
    "handling.informal_resolution_share": informal_resolution,
    "outcome.relationship": relationship,
    "outcome.satisfaction": satisfaction,
    "outcome.fair_treatment": fair_treatment,
    "feedback.repeat_rate": repeat_rate,
    "learning.golden_flagged": golden_flagged,
    "learning.improvements_realised": improvements,
}
"""Every indicator the register gives, by the id framework files use."""


@attrs.frozen
class StoreIndicator:
    """An :class:`~feedbackkit.audit.evidence.Indicator`: a measure linked to criteria."""

    id: str
    criteria: tuple[CriterionRef, ...]
    measure: Measure

    def compute(
        self, metrics: Metrics, start: date, end: date
    ) -> IndicatorValue | MissingIndicator:
        if end <= start:
            raise ValidationError("period", f"must end after it starts: {start} to {end}")
        found = self.measure(metrics, start, end)
        if isinstance(found, Missing):
            return MissingIndicator(self.id, self.criteria, found.reason, start, end)
        return IndicatorValue(
            indicator=self.id,
            criteria=self.criteria,
            value=found.value,
            attainment=found.attainment,
            unit=found.unit,
            cases=found.cases,
            period_start=start,
            period_end=end,
            parts=found.parts,
        )


def _informed(frameworks: Iterable[Framework], indicator: str) -> tuple[CriterionRef, ...]:
    """Every criterion whose evidence hints name ``indicator``."""
    return tuple(
        CriterionRef(framework.name, criterion.id)
        for framework in frameworks
        for criterion in framework.criteria
        if any(h.kind is Source.INDICATOR and h.indicator == indicator for h in criterion.evidence)
    )


def store_indicators(frameworks: Iterable[Framework]) -> tuple[StoreIndicator, ...]:
    """The indicators of :data:`MEASURES`, each linked to the criteria of ``frameworks``
    that name it; indicators no criterion names are left out."""
    chosen = tuple(frameworks)
    return tuple(
        StoreIndicator(name, criteria, measure)
        for name, measure in MEASURES.items()
        if (criteria := _informed(chosen, name))
    )


def received_span(metrics: Metrics) -> tuple[date, date] | None:
    """The days from the first case received to the day after the last (``None``: no cases)."""
    span = metrics.span()
    if span is None:
        return None
    first, last = span
    return first, last + timedelta(days=1)


def gather_indicators(
    metrics: Metrics, indicators: Iterable[StoreIndicator], start: date, end: date
) -> Evidence:
    """Every indicator for the period: values, and gaps where the register has no data.
    Nothing at all when no case was received in the period."""
    metrics = metrics.remembering()  # indicators share their questions (compliance...)
    if metrics.shares(start=start, end=end).cases == 0:
        return Evidence()
    values: list[IndicatorValue] = []
    gaps: list[MissingIndicator] = []
    for indicator in indicators:
        found = indicator.compute(metrics, start, end)
        if isinstance(found, MissingIndicator):
            gaps.append(found)
        else:
            values.append(found)
    return Evidence(indicators=tuple(values), gaps=tuple(gaps))

"""Simple indicators computed from the case store, as audit evidence.

Each implements :class:`~feedbackkit.audit.Indicator` and informs the criteria whose
evidence hints name its id (``indicator = "feedback.informal_share"`` in a framework
file). None has a norm: their values are reported with the cases behind them, never
scored (``attainment`` is ``None``). They stream the store and hold no more than a few
example case ids in memory.

=========================== ==================================================================
``feedback.informal_share``  share of cases received orally or through an informal channel
                             (phone, counter, in person, neighbourhood team, social media)
``feedback.proactive_share`` share of cases the organisation asked for itself (proactive)
``feedback.internal_share``  share of cases from the organisation's own staff (internal)
``feedback.by_channel``      number of channels through which cases were received
=========================== ==================================================================
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from datetime import date, datetime, time, timedelta

import attrs

from feedbackkit.audit.evidence import CriterionRef, Indicator, IndicatorValue
from feedbackkit.audit.framework import Framework, Source
from feedbackkit.clock import AMSTERDAM
from feedbackkit.errors import ValidationError
from feedbackkit.models import Feedback
from feedbackkit.storage.protocol import Query, Store
from feedbackkit.vocabulary import Channel, Form, Initiative, Origin

__all__ = [
    "BY_CHANNEL",
    "EXAMPLE_CASES",
    "INFORMAL_CHANNELS",
    "ChannelsInUse",
    "ShareIndicator",
    "gather_indicators",
    "is_informal",
    "is_internal",
    "is_proactive",
    "period_query",
    "received_span",
    "store_indicators",
]

BY_CHANNEL = "feedback.by_channel"

EXAMPLE_CASES = 10
"""Case ids an indicator value carries as examples of what it counts."""

INFORMAL_CHANNELS = frozenset(
    {Channel.PHONE, Channel.COUNTER, Channel.IN_PERSON, Channel.NEIGHBOURHOOD_TEAM, Channel.SOCIAL}
)
"""Channels through which feedback arrives informally, as a conversation or a post."""


def is_informal(feedback: Feedback) -> bool:
    """Received orally, or through an informal channel (:data:`INFORMAL_CHANNELS`)."""
    return feedback.form is Form.ORAL or feedback.channel in INFORMAL_CHANNELS


def is_proactive(feedback: Feedback) -> bool:
    """Asked for by the organisation itself (a survey, a conversation, a panel)."""
    return feedback.initiative is Initiative.PROACTIVE


def is_internal(feedback: Feedback) -> bool:
    """Given by the organisation's own staff."""
    return feedback.origin is Origin.INTERNAL


def period_query(start: date, end: date) -> Query:
    """Cases received from ``start`` (inclusive) to ``end`` (exclusive), Amsterdam days."""
    if end <= start:
        raise ValidationError("period", f"must end after it starts: {start} to {end}")

    def midnight(day: date) -> datetime:
        return datetime.combine(day, time(), AMSTERDAM)

    return Query(received_from=midnight(start), received_until=midnight(end))


def _received(store: Store, start: date, end: date) -> int:
    total = store.count(period_query(start, end))
    if total == 0:
        raise ValidationError("period", f"no cases were received from {start} to {end}")
    return total


@attrs.frozen
class ShareIndicator:
    """The share of the cases received in a period for which ``matches`` holds."""

    id: str
    criteria: tuple[CriterionRef, ...]
    matches: Callable[[Feedback], bool]

    def compute(self, store: Store, start: date, end: date) -> IndicatorValue:
        """Streams the period's cases once; raises :class:`ValidationError` if there are none."""
        total = _received(store, start, end)
        hits = 0
        examples: list[uuid.UUID] = []
        for record in store.records(period_query(start, end)):
            if self.matches(record.feedback):
                hits += 1
                if len(examples) < EXAMPLE_CASES:
                    examples.append(record.feedback.id)
        return IndicatorValue(
            indicator=self.id,
            criteria=self.criteria,
            value=hits / total,
            unit="share",
            cases=tuple(examples),
            period_start=start,
            period_end=end,
        )


@attrs.frozen
class ChannelsInUse:
    """How many channels cases arrived through in a period, with one example case each."""

    criteria: tuple[CriterionRef, ...]
    id: str = BY_CHANNEL

    def compute(self, store: Store, start: date, end: date) -> IndicatorValue:
        """Counts per channel in the store; raises :class:`ValidationError` if there are none."""
        _received(store, start, end)
        period = period_query(start, end)
        examples = []
        for channel in Channel:
            first = next(
                iter(store.query(attrs.evolve(period, channels=(channel,), limit=1))), None
            )
            if first is not None:
                examples.append(first.case_id)
        return IndicatorValue(
            indicator=self.id,
            criteria=self.criteria,
            value=float(len(examples)),
            unit="channels",
            cases=tuple(examples),
            period_start=start,
            period_end=end,
        )


SHARES: dict[str, Callable[[Feedback], bool]] = {
    "feedback.informal_share": is_informal,
    "feedback.proactive_share": is_proactive,
    "feedback.internal_share": is_internal,
}


def _informed(frameworks: Iterable[Framework], indicator: str) -> tuple[CriterionRef, ...]:
    """Every criterion whose evidence hints name ``indicator``."""
    return tuple(
        CriterionRef(framework.name, criterion.id)
        for framework in frameworks
        for criterion in framework.criteria
        if any(h.kind is Source.INDICATOR and h.indicator == indicator for h in criterion.evidence)
    )


def store_indicators(
    frameworks: Iterable[Framework],
) -> tuple[ShareIndicator | ChannelsInUse, ...]:
    """The indicators above, each linked to the criteria of ``frameworks`` that name it;
    indicators no criterion names are left out."""
    chosen = tuple(frameworks)
    found: list[ShareIndicator | ChannelsInUse] = [
        ShareIndicator(name, criteria, matches)
        for name, matches in SHARES.items()
        if (criteria := _informed(chosen, name))
    ]
    channels = _informed(chosen, BY_CHANNEL)
    if channels:
        found.append(ChannelsInUse(channels))
    return tuple(found)


def received_span(store: Store) -> tuple[date, date] | None:
    """The days from the first case received to the day after the last (``None``: no cases)."""
    total = store.count(Query())
    if total == 0:
        return None
    first = next(iter(store.records(Query(limit=1))))
    last = next(iter(store.records(Query(offset=total - 1, limit=1))))
    end = last.feedback.received_at.astimezone(AMSTERDAM).date() + timedelta(days=1)
    return first.feedback.received_at.astimezone(AMSTERDAM).date(), end


def gather_indicators(
    store: Store, indicators: Iterable[Indicator], start: date, end: date
) -> tuple[IndicatorValue, ...]:
    """The value of every indicator for the period; none when no case was received in it."""
    if store.count(period_query(start, end)) == 0:
        return ()
    return tuple(indicator.compute(store, start, end) for indicator in indicators)

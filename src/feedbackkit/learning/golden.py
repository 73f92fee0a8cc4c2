"""Golden complaints: rare feedback with a strong signal that the organisation must learn.

Not every lesson shows as a trend: one letter from a vulnerable customer, one complaint
that says "this happens to everyone", can matter more than a hundred reports of a full
container (Volgende keer beter!, domain.md §4). A person flags a golden complaint
(:class:`~feedbackkit.learning.models.GoldenFlag`); feedbackkit *suggests* candidates
from signals in :class:`GoldenRules` (``data/learning/golden.toml``) and shows every
signal as the reason.
"""

from __future__ import annotations

import tomllib
import uuid
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import datetime
from functools import cache, cached_property
from importlib.resources import files
from pathlib import Path
from typing import Any

import attrs

from feedbackkit.converter import structure
from feedbackkit.errors import ValidationError
from feedbackkit.learning.models import GoldenFlag
from feedbackkit.learning.text import EmotionScore, LearningDataError
from feedbackkit.learning.tokens import words
from feedbackkit.models import CaseRecord
from feedbackkit.vocabulary import Kind

__all__ = [
    "Golden",
    "GoldenRules",
    "Signal",
    "default_rules",
    "golden_complaints",
    "load_rules",
]

POSITIVE_KINDS = (Kind.COMPLIMENT, Kind.SATISFACTION)
_SHARE = [attrs.validators.ge(0.0), attrs.validators.le(1.0)]


def _phrases(instance: object, attribute: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
    for index, phrase in enumerate(value):
        if not words(phrase):
            raise ValidationError(f"systemic[{index}]", f"{phrase!r} has no letters or digits")


@attrs.frozen(eq=False)
class GoldenRules:
    """When a case is suggested as a golden complaint (see ``golden.toml``)."""

    systemic: tuple[str, ...] = attrs.field(validator=_phrases)
    min_signals: int = attrs.field(default=2, validator=attrs.validators.ge(1))
    emotion: float = attrs.field(default=0.75, validator=_SHARE)
    rare_share: float = attrs.field(default=0.01, validator=_SHARE)
    rare_max: int = attrs.field(default=3, validator=attrs.validators.ge(1))

    @cached_property
    def _folded(self) -> tuple[tuple[str, ...], ...]:
        return tuple(tuple(words(phrase)) for phrase in self.systemic)

    def systemic_phrase(self, text: str) -> str | None:
        """The first systemic phrase ``text`` contains (folded words), or ``None``."""
        tokens = words(text)
        for phrase in self._folded:
            size = len(phrase)
            for i in range(len(tokens) - size + 1):
                if tuple(tokens[i : i + size]) == phrase:
                    return " ".join(phrase)
        return None


@attrs.frozen
class Signal:
    """One reason to look at a case: ``emotion``, ``vulnerable``, ``systemic``,
    ``rare_theme`` or ``flagged``, with what shows it (a category, words, a theme)."""

    code: str
    detail: str = ""
    value: float | None = None


@attrs.frozen
class Golden:
    """A golden complaint, flagged by a person or suggested, with the signals behind it."""

    case_id: uuid.UUID
    reference: str | None
    kind: str
    received_at: datetime
    text: str
    quote: str
    """The sentence in which emotion leads (the whole text when it shows none)."""
    signals: tuple[Signal, ...]
    flag: GoldenFlag | None = None

    @property
    def flagged(self) -> bool:
        return self.flag is not None


def parse_rules(text: str, source: str) -> GoldenRules:
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise LearningDataError(source, "toml", str(exc)) from exc
    try:
        return structure(data, GoldenRules)
    except ValidationError as exc:
        raise LearningDataError(source, exc.field, exc.message) from exc


def load_rules(path: Path) -> GoldenRules:
    """An organisation's own golden-complaint rules (the format of ``golden.toml``)."""
    return parse_rules(path.read_text("utf-8"), path.name)


@cache
def default_rules() -> GoldenRules:
    source = files("feedbackkit") / "data" / "learning" / "golden.toml"
    return parse_rules(source.read_text("utf-8"), "golden.toml")


def signals_of(
    record: CaseRecord,
    emotion: EmotionScore,
    themes: tuple[str, ...],
    counts: Counter[str],
    total: int,
    rules: GoldenRules,
) -> tuple[Signal, ...]:
    """The signals that make ``record`` stand out (flags aside)."""
    found = []
    if emotion.valence < 0 and emotion.intensity >= rules.emotion and emotion.dominant:
        found.append(Signal("emotion", emotion.dominant, emotion.intensity))
    if any(party.vulnerable for party in record.parties):
        found.append(Signal("vulnerable"))
    phrase = rules.systemic_phrase(record.feedback.text)
    if phrase is not None:
        found.append(Signal("systemic", phrase))
    limit = min(rules.rare_max, rules.rare_share * total)
    rare = [t for t in themes if counts[t] <= limit]
    if rare:
        found.append(Signal("rare_theme", rare[0], float(counts[rare[0]])))
    return tuple(found)


def golden_complaints(
    records: Iterable[CaseRecord],
    emotions: Mapping[uuid.UUID, EmotionScore],
    themes: Mapping[uuid.UUID, tuple[str, ...]],
    flags: Mapping[uuid.UUID, GoldenFlag],
    rules: GoldenRules,
) -> tuple[Golden, ...]:
    """The flagged cases among ``records`` and the suggested ones: flagged first, then by
    the number of signals and the strength of emotion."""
    records = list(records)
    counts: Counter[str] = Counter()
    for record in records:
        counts.update(themes.get(record.feedback.id, ()))
    found = []
    for record in records:
        feedback = record.feedback
        flag = flags.get(feedback.id)
        if flag is None and feedback.kind in POSITIVE_KINDS:
            continue
        emotion = emotions[feedback.id]
        signals = signals_of(
            record, emotion, themes.get(feedback.id, ()), counts, len(records), rules
        )
        if flag is None and len(signals) < rules.min_signals:
            continue
        if flag is not None:
            signals = (Signal("flagged", flag.reason), *signals)
        found.append(
            Golden(
                case_id=feedback.id,
                reference=feedback.reference,
                kind=feedback.kind.value,
                received_at=feedback.received_at,
                text=feedback.text,
                quote=emotion.quote or feedback.text,
                signals=signals,
                flag=flag,
            )
        )
    return tuple(
        sorted(
            found,
            key=lambda g: (
                not g.flagged,
                -len(g.signals),
                -emotions[g.case_id].intensity,
                g.received_at,
            ),
        )
    )

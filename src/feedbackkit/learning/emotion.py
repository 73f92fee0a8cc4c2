"""Emotion in Dutch text from a lexicon: which words carry it, how strongly, of what kind.

The lexicon is data (``feedbackkit/data/learning/emotion_lexicon.toml``; the format is
described there): categories such as anger, powerlessness or gratitude with their
words and intensities, and modifiers: intensifiers (``erg boos``), downtoners
(``beetje teleurgesteld``), negations (``niet blij``), an exclamation mark closing the
sentence and words in capitals. Scoring works offline and explains itself: every
:class:`~feedbackkit.learning.text.EmotionTrigger` points at the words in the text.
"""

from __future__ import annotations

import bisect
import re
import tomllib
from collections.abc import Mapping
from functools import cache, cached_property
from importlib.resources import files
from pathlib import Path
from typing import Any

import attrs

from feedbackkit.converter import structure
from feedbackkit.errors import ValidationError
from feedbackkit.learning.text import EmotionScore, EmotionTrigger, LearningDataError
from feedbackkit.learning.tokens import word_spans, words

__all__ = [
    "EmotionCategory",
    "EmotionLexicon",
    "Modifiers",
    "default_lexicon",
    "load_lexicon",
    "parse_lexicon",
]

_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")


def _factors(instance: object, attribute: attrs.Attribute[Any], value: Mapping[str, float]) -> None:
    for word, factor in value.items():
        if factor <= 0:
            raise ValidationError(f"{attribute.name}.{word}", f"must be above 0, got {factor}")


def _positive(instance: object, attribute: attrs.Attribute[Any], value: float) -> None:
    if value <= 0:
        raise ValidationError(attribute.name, f"must be above 0, got {value}")


@attrs.frozen
class Modifiers:
    """Words and signs that change the intensity of the emotion words near them."""

    intensifiers: dict[str, float] = attrs.field(validator=_factors, hash=False)
    downtoners: dict[str, float] = attrs.field(validator=_factors, hash=False)
    negations: tuple[str, ...]
    negated_positive: str
    """The category a negated positive word counts as (``niet blij``: disappointment)."""
    window: int = attrs.field(default=2, validator=attrs.validators.ge(0))
    negated_factor: float = attrs.field(default=0.5, validator=_positive)
    exclamation: float = attrs.field(default=1.2, validator=_positive)
    capitals: float = attrs.field(default=1.3, validator=_positive)


def _intensities(
    instance: object, attribute: attrs.Attribute[Any], value: Mapping[str, float]
) -> None:
    for entry, intensity in value.items():
        if not 0 < intensity <= 1:
            raise ValidationError(f"words.{entry}", f"intensity must be in (0, 1], got {intensity}")
        if not words(entry.rstrip("*")):
            raise ValidationError(f"words.{entry}", "has no letters or digits")


@attrs.frozen
class EmotionCategory:
    """One kind of emotion with its labels, valence and words."""

    nl: str
    en: str
    valence: int = attrs.field(validator=attrs.validators.in_((-1, 1)))
    words: dict[str, float] = attrs.field(validator=_intensities, hash=False)

    def label(self, lang: str = "nl") -> str:
        return self.en if lang == "en" else self.nl


@attrs.frozen
class _Entry:
    entry: str
    category: str
    intensity: float
    valence: int


@attrs.frozen
class _Found:
    """A lexicon entry found at tokens ``first..last`` (inclusive)."""

    entry: _Entry
    first: int
    last: int
    inner: tuple[str, ...]
    """Intensifiers skipped inside a phrase."""


@attrs.frozen(eq=False)
class EmotionLexicon:
    """Emotion categories and modifiers; :meth:`score` reads the emotion of a text."""

    name: str
    version: str
    modifiers: Modifiers
    categories: dict[str, EmotionCategory]

    def __attrs_post_init__(self) -> None:
        if not self.categories:
            raise ValidationError("categories", "at least one category is needed")
        target = self.categories.get(self.modifiers.negated_positive)
        if target is None or target.valence > 0:
            raise ValidationError(
                "modifiers.negated_positive",
                f"{self.modifiers.negated_positive!r} is not a negative category",
            )
        owner: dict[str, str] = {}
        for code, category in self.categories.items():
            for entry in category.words:
                key = _key(entry)
                if key in owner:
                    raise ValidationError(
                        f"categories.{code}.words.{entry}",
                        f"already an entry of category {owner[key]!r}",
                    )
                owner[key] = code

    @cached_property
    def _singles(self) -> dict[str, _Entry]:
        return {
            _key(e.entry): e
            for e in self._entries
            if " " not in _key(e.entry) and "*" not in e.entry
        }

    @cached_property
    def _prefixes(self) -> tuple[tuple[str, _Entry], ...]:
        return tuple((_key(e.entry)[:-1], e) for e in self._entries if e.entry.endswith("*"))

    @cached_property
    def _phrases(self) -> dict[str, tuple[tuple[tuple[str, ...], _Entry], ...]]:
        found: dict[str, list[tuple[tuple[str, ...], _Entry]]] = {}
        for e in self._entries:
            tokens = tuple(words(e.entry))
            if len(tokens) > 1:
                found.setdefault(tokens[0], []).append((tokens, e))
        return {
            first: tuple(sorted(options, key=lambda o: -len(o[0])))
            for first, options in found.items()
        }

    @cached_property
    def _entries(self) -> tuple[_Entry, ...]:
        return tuple(
            _Entry(entry, code, intensity, category.valence)
            for code, category in self.categories.items()
            for entry, intensity in category.words.items()
        )

    def score(self, text: str) -> EmotionScore:
        """The emotion ``text`` carries: per category, overall, and every trigger."""
        spans = list(word_spans(text))
        tokens = [s[0] for s in spans]
        sentences = [(m.start(), m.end()) for m in _SENTENCE.finditer(text)]
        starts = [start for start, _ in sentences]
        sentence_of = [max(bisect.bisect_right(starts, s[1]) - 1, 0) for s in spans]
        triggers: list[tuple[int, EmotionTrigger]] = []
        position = 0
        while position < len(tokens):
            found = self._find(tokens, sentence_of, position)
            if found is None:
                position += 1
                continue
            position = found.last + 1
            start, end = spans[found.first][1], spans[found.last][2]
            sentence = sentences[sentence_of[found.first]] if sentences else (0, len(text))
            trigger = self._trigger(found, tokens, sentence_of, text, (start, end), sentence)
            if trigger is not None:
                triggers.append((sentence_of[found.first], trigger))
        return self._combine(text, sentences, triggers)

    def _combine(
        self,
        text: str,
        sentences: list[tuple[int, int]],
        triggers: list[tuple[int, EmotionTrigger]],
    ) -> EmotionScore:
        if not triggers:
            return EmotionScore(0.0, 0.0)
        by_category: dict[str, list[float]] = {}
        by_sentence: dict[int, float] = {}
        for sentence, trigger in triggers:
            by_category.setdefault(trigger.category, []).append(trigger.intensity)
            by_sentence[sentence] = by_sentence.get(sentence, 0.0) + trigger.intensity
        total = sum(t.intensity for _, t in triggers)
        signed = sum(self.categories[t.category].valence * t.intensity for _, t in triggers)
        return EmotionScore(
            intensity=_noisy_or([t.intensity for _, t in triggers]),
            valence=round(signed / total, 4),
            categories={c: _noisy_or(values) for c, values in by_category.items()},
            triggers=tuple(t for _, t in triggers),
            quote=_quote(text, sentences, by_sentence),
        )

    def _find(self, tokens: list[str], sentence_of: list[int], i: int) -> _Found | None:
        token = tokens[i]
        intensifiers = self.modifiers.intensifiers
        for phrase, entry in self._phrases.get(token, ()):
            j, inner, matched = i + 1, [], 1
            while matched < len(phrase) and j < len(tokens) and sentence_of[j] == sentence_of[i]:
                if tokens[j] == phrase[matched]:
                    matched += 1
                elif tokens[j] in intensifiers:
                    inner.append(tokens[j])
                else:
                    break
                j += 1
            if matched == len(phrase):
                return _Found(entry, i, j - 1, tuple(inner))
        single = self._singles.get(token)
        if single is None:
            single = next((e for prefix, e in self._prefixes if token.startswith(prefix)), None)
        return None if single is None else _Found(single, i, i, ())

    def _trigger(
        self,
        found: _Found,
        tokens: list[str],
        sentence_of: list[int],
        text: str,
        span: tuple[int, int],
        sentence: tuple[int, int],
    ) -> EmotionTrigger | None:
        mods = self.modifiers
        entry, factor = found.entry, 1.0
        applied: list[str] = []
        before = range(max(found.first - mods.window, 0), found.first)
        for word in [tokens[j] for j in before if sentence_of[j] == sentence_of[found.first]]:
            if word in mods.negations:
                if entry.valence < 0:
                    return None  # "niet boos": no anger
                entry = attrs.evolve(entry, category=mods.negated_positive, valence=-1)
                factor *= mods.negated_factor
                applied.append(word)
            elif word in mods.intensifiers or word in mods.downtoners:
                factor *= mods.intensifiers.get(word) or mods.downtoners[word]
                applied.append(word)
        for word in found.inner:
            factor *= mods.intensifiers[word]
            applied.append(word)
        if text[sentence[0] : sentence[1]].rstrip().endswith("!"):
            factor *= mods.exclamation
            applied.append("!")
        written = text[span[0] : span[1]]
        if len(written) >= 3 and written.isupper():
            factor *= mods.capitals
            applied.append("CAPS")
        return EmotionTrigger(
            text=written,
            entry=entry.entry,
            category=entry.category,
            intensity=round(min(entry.intensity * factor, 1.0), 4),
            start=span[0],
            end=span[1],
            modifiers=tuple(applied),
        )


def _key(entry: str) -> str:
    """An entry as it is compared: folded words separated by one space, ``*`` kept."""
    return " ".join(words(entry)) + ("*" if entry.endswith("*") else "")


def _noisy_or(intensities: list[float]) -> float:
    remaining = 1.0
    for intensity in intensities:
        remaining *= 1.0 - intensity
    return round(1.0 - remaining, 4)


def _quote(text: str, sentences: list[tuple[int, int]], by_sentence: dict[int, float]) -> str:
    """The sentence with the most emotion (the first of equals)."""
    best = max(sorted(by_sentence), key=lambda s: by_sentence[s])
    if not sentences:
        return text.strip()
    start, end = sentences[best]
    return text[start:end].strip()


def parse_lexicon(text: str, source: str) -> EmotionLexicon:
    """Build a lexicon from TOML text; errors are :class:`LearningDataError` naming ``source``."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise LearningDataError(source, "toml", str(exc)) from exc
    try:
        return structure(data, EmotionLexicon)
    except ValidationError as exc:
        raise LearningDataError(source, exc.field, exc.message) from exc


def load_lexicon(path: Path) -> EmotionLexicon:
    """Load an emotion lexicon TOML file (an organisation's own or extended one)."""
    return parse_lexicon(path.read_text("utf-8"), path.name)


@cache
def default_lexicon() -> EmotionLexicon:
    """feedbackkit's Dutch emotion lexicon."""
    source = files("feedbackkit") / "data" / "learning" / "emotion_lexicon.toml"
    return parse_lexicon(source.read_text("utf-8"), "emotion_lexicon.toml")

"""Theme taxonomies: the themes an organisation sorts feedback into, as data.

A taxonomy is one TOML file (``feedbackkit/data/learning/themes.toml`` is the default
for a municipality; its header describes the format): themes with a code, Dutch and
English labels and seed terms. :meth:`Taxonomy.suggest` proposes themes for a text
from the seed terms it contains and shows them as the reason.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from functools import cache, cached_property
from importlib.resources import files
from pathlib import Path
from typing import Any

import attrs

from feedbackkit.converter import structure
from feedbackkit.errors import ValidationError
from feedbackkit.learning.text import LearningDataError, ThemeSuggestion
from feedbackkit.learning.tokens import words

__all__ = ["Taxonomy", "Theme", "default_taxonomy", "load_taxonomy", "parse_taxonomy"]

_CODE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
COMPOUND = 5
"""Terms at least this long also match at the end of a word (compounds)."""


def _code(instance: object, attribute: attrs.Attribute[Any], value: str) -> None:
    if not _CODE.match(value):
        raise ValidationError(
            attribute.name, f"{value!r} is not a code (lowercase letters, digits, . _ -)"
        )


def _filled(instance: object, attribute: attrs.Attribute[Any], value: str) -> None:
    if not value.strip():
        raise ValidationError(attribute.name, "must not be blank")


def _terms(instance: object, attribute: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
    if not value:
        raise ValidationError("terms", "a theme needs at least one seed term")
    for index, term in enumerate(value):
        if not words(term):
            raise ValidationError(f"terms[{index}]", f"{term!r} has no letters or digits")


@attrs.frozen
class Theme:
    """One theme: its code, labels and the seed terms that point at it."""

    code: str = attrs.field(validator=_code)
    nl: str = attrs.field(validator=_filled)
    en: str = attrs.field(validator=_filled)
    terms: tuple[str, ...] = attrs.field(validator=_terms)

    def label(self, lang: str = "nl") -> str:
        return self.en if lang == "en" else self.nl


@attrs.frozen
class Taxonomy:
    """A named, versioned set of themes."""

    name: str = attrs.field(validator=_filled)
    version: str = attrs.field(validator=_filled)
    themes: tuple[Theme, ...] = attrs.field()

    @themes.validator
    def _unique(self, attribute: attrs.Attribute[Any], value: tuple[Theme, ...]) -> None:
        if not value:
            raise ValidationError("themes", "a taxonomy needs at least one theme")
        seen: set[str] = set()
        for index, theme in enumerate(value):
            if theme.code in seen:
                raise ValidationError(f"themes[{index}].code", f"duplicate code {theme.code!r}")
            seen.add(theme.code)

    def theme(self, code: str) -> Theme:
        """The theme with ``code``; an unknown code raises :class:`ValidationError`."""
        for theme in self.themes:
            if theme.code == code:
                return theme
        known = ", ".join(t.code for t in self.themes)
        raise ValidationError("theme", f"{self.name} has no theme {code!r}; known: {known}")

    @cached_property
    def _terms(self) -> dict[tuple[str, ...], tuple[int, ...]]:
        """Every seed term as folded words, with the positions of the themes it points at."""
        found: dict[tuple[str, ...], list[int]] = {}
        for position, theme in enumerate(self.themes):
            for term in theme.terms:
                found.setdefault(tuple(words(term)), []).append(position)
        return {term: tuple(owners) for term, owners in found.items()}

    @cached_property
    def _phrases(self) -> dict[str, tuple[tuple[str, ...], ...]]:
        """Terms of several words by their first word."""
        found: dict[str, list[tuple[str, ...]]] = {}
        for term in self._terms:
            if len(term) > 1:
                found.setdefault(term[0], []).append(term)
        return {first: tuple(terms) for first, terms in found.items()}

    def suggest(self, text: str, limit: int = 3) -> tuple[ThemeSuggestion, ...]:
        """Up to ``limit`` themes whose seed terms occur in ``text``, most matched words
        first; the score is ``1 - 0.5 ** n`` for ``n`` different matching words."""
        if limit < 1:
            raise ValidationError("limit", f"must be at least 1, got {limit}")
        tokens = words(text)
        hits: dict[int, dict[str, int]] = {}
        for first, term in self._matches(tokens):
            matched = " ".join(tokens[first : first + len(term)])
            for owner in self._terms[term]:
                hits.setdefault(owner, {}).setdefault(matched, first)
        ranked = sorted(hits, key=lambda t: (-len(hits[t]), min(hits[t].values()), t))
        return tuple(
            ThemeSuggestion(
                self.themes[t].code,
                round(1 - 0.5 ** len(hits[t]), 4),
                tuple(sorted(hits[t], key=lambda w: hits[t][w])),
            )
            for t in ranked[:limit]
        )

    def _matches(self, tokens: list[str]) -> Iterator[tuple[int, tuple[str, ...]]]:
        """Every (position, term) where a seed term occurs in ``tokens``.

        A term's last word matches a word it starts, or (from :data:`COMPOUND` letters
        on) ends; the words before it must be equal.
        """
        terms = self._terms
        for i, token in enumerate(tokens):
            for size in range(1, len(token) + 1):
                if (token[:size],) in terms:
                    yield i, (token[:size],)
                if size >= COMPOUND and size < len(token) and (token[-size:],) in terms:
                    yield i, (token[-size:],)
            for term in self._phrases.get(token, ()):
                end = i + len(term) - 1
                if (
                    end < len(tokens)
                    and tokens[i:end] == list(term[:-1])
                    and _word_matches(term[-1], tokens[end])
                ):
                    yield i, term


def _word_matches(term: str, word: str) -> bool:
    return word.startswith(term) or (len(term) >= COMPOUND and word.endswith(term))


def parse_taxonomy(text: str, source: str) -> Taxonomy:
    """Build a taxonomy from TOML text; errors are :class:`LearningDataError` naming ``source``."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise LearningDataError(source, "toml", str(exc)) from exc
    try:
        return structure(data, Taxonomy)
    except ValidationError as exc:
        raise LearningDataError(source, exc.field, exc.message) from exc


def load_taxonomy(path: Path) -> Taxonomy:
    """Load a theme taxonomy TOML file (an organisation's own)."""
    return parse_taxonomy(path.read_text("utf-8"), path.name)


@cache
def default_taxonomy() -> Taxonomy:
    """feedbackkit's default theme taxonomy for a municipality."""
    source = files("feedbackkit") / "data" / "learning" / "themes.toml"
    return parse_taxonomy(source.read_text("utf-8"), "themes.toml")

"""The ``tfidf`` analyser: scikit-learn TF-IDF with Dutch stemming, for large collections."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import attrs

from feedbackkit.errors import ValidationError
from feedbackkit.learning.emotion import EmotionLexicon, default_lexicon
from feedbackkit.learning.taxonomy import Taxonomy
from feedbackkit.learning.text import Document, EmotionScore, ThemeSuggestion

if TYPE_CHECKING:
    from feedbackkit_textmining.index import TfidfIndex

__all__ = ["TfidfAnalyzer"]


def _share(instance: object, attribute: attrs.Attribute[Any], value: float) -> None:
    if not 0 <= value < 1:
        raise ValidationError(attribute.name, f"must be at least 0 and below 1, got {value}")


def _above_zero(instance: object, attribute: attrs.Attribute[Any], value: float) -> None:
    if value <= 0:
        raise ValidationError(attribute.name, f"must be above 0, got {value}")


@attrs.frozen
class TfidfAnalyzer:
    """Indexes with :class:`~feedbackkit_textmining.index.TfidfIndex`; emotion and themes
    come from feedbackkit's lexicon and the taxonomy's seed terms."""

    name: str = "tfidf"
    char_share: float = attrs.field(default=0.4, validator=_share)
    """Weight of character 4-gram similarity against word-stem similarity."""
    dims: int = attrs.field(default=150, validator=_above_zero)
    """Dimensions of the latent semantic space clustering works in."""
    micro: float = attrs.field(default=2.0, validator=_above_zero)
    """Small clusters per square root of the number of texts, before merging."""
    threshold: float = attrs.field(default=0.8, validator=_above_zero)
    """Cosine distance up to which small clusters merge: higher, fewer clusters."""
    seed: int = 0
    threads: int | None = 1
    """Threads for the numeric libraries while clustering; ``None``: their default.

    One thread is the default: on a shared two-core machine it clustered 100,000 texts
    faster than the libraries' default (which competes with other processes)."""
    lexicon: EmotionLexicon = attrs.field(factory=default_lexicon)

    def index(self, documents: Iterable[Document]) -> TfidfIndex:
        from feedbackkit_textmining.index import TfidfIndex  # scikit-learn loads on first use

        return TfidfIndex.build(self, tuple(documents))

    def emotion(self, text: str) -> EmotionScore:
        return self.lexicon.score(text)

    def suggest_themes(
        self, text: str, taxonomy: Taxonomy, limit: int = 3
    ) -> tuple[ThemeSuggestion, ...]:
        return taxonomy.suggest(text, limit)

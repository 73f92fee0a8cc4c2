"""The text-analysis port: what the learning loop asks of an analyser, and its answers.

A :class:`TextAnalyzer` indexes :class:`Document` objects (the words of feedback with
the subject, place and day it was registered under) into a :class:`TextIndex`, which
finds similar feedback within a :class:`Scope` (service recovery), clusters the
collection and names the keywords of any group. The analyser also scores the emotion
in a text and suggests themes from a :class:`~feedbackkit.learning.taxonomy.Taxonomy`.

Analysers are plugins (hook ``feedbackkit_register_text_analyzers``); the built-in
``overlap`` analyser needs nothing beyond the core, the ``tfidf`` analyser of the
``feedbackkit-textmining`` package is preferred when installed (:func:`text_analyzer`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, Protocol

import attrs

from feedbackkit.errors import PluginError, ValidationError

if TYPE_CHECKING:
    from feedbackkit.learning.taxonomy import Taxonomy
    from feedbackkit.models import Feedback
    from feedbackkit.plugins import Plugins

__all__ = [
    "FALLBACK",
    "Cluster",
    "Clustering",
    "Document",
    "EmotionScore",
    "EmotionTrigger",
    "LearningDataError",
    "Match",
    "Scope",
    "TextAnalyzer",
    "TextIndex",
    "ThemeSuggestion",
    "check_k",
    "check_unique_ids",
    "text_analyzer",
]

FALLBACK = "overlap"
"""Name of the built-in analyser, used when no plugin provides one."""


class LearningDataError(ValidationError):
    """A taxonomy or lexicon file is invalid; names the file and the field."""

    def __init__(self, source: str, field: str, message: str) -> None:
        super().__init__(field, message)
        self.source = source
        self.args = (f"{source}: {field}: {message}",)


def _blank(instance: object, attribute: attrs.Attribute[Any], value: str | None) -> None:
    if value is not None and not value.strip():
        raise ValidationError(attribute.name, "must not be blank")


@attrs.frozen
class Document:
    """One text to analyse, with what it was registered under."""

    id: str = attrs.field(validator=_blank)
    text: str
    subject: str | None = attrs.field(default=None, validator=_blank)
    location: str | None = attrs.field(default=None, validator=_blank)
    day: date | None = None
    """The day it was received."""

    @classmethod
    def from_feedback(cls, feedback: Feedback) -> Document:
        """The document of a feedback item: its text, subject, location and day of receipt."""
        return cls(
            str(feedback.id),
            feedback.text,
            feedback.subject,
            feedback.location,
            feedback.received_at.date(),
        )


def check_unique_ids(documents: Sequence[Document]) -> dict[str, int]:
    """Position of every document by id; a repeated id raises :class:`ValidationError`."""
    positions: dict[str, int] = {}
    for position, document in enumerate(documents):
        if positions.setdefault(document.id, position) != position:
            raise ValidationError(
                "documents",
                f"id {document.id!r} occurs twice (positions {positions[document.id]} "
                f"and {position})",
            )
    return positions


def _ids(values: Iterable[str]) -> frozenset[str]:
    return frozenset(values)


def _scores(values: Mapping[str, float]) -> dict[str, float]:
    return dict(values)


def check_k(k: int) -> None:
    """Raise :class:`ValidationError` unless ``k`` (how many results) is at least 1."""
    if k < 1:
        raise ValidationError("k", f"must be at least 1, got {k}")


def _probability(instance: object, attribute: attrs.Attribute[Any], value: float) -> None:
    if not 0.0 <= value <= 1.0:
        raise ValidationError(attribute.name, f"must be between 0 and 1, got {value}")


@attrs.frozen
class Scope:
    """Which documents a similarity search may return.

    ``subject`` and ``location`` restrict the search to documents registered under
    them. With both set a document passes when it shares *either* (the service-recovery
    rule: same subject or same place), unless ``require_both``. ``since``/``until``
    bound the day (both included); documents without a day pass only an open period.
    """

    subject: str | None = None
    location: str | None = None
    require_both: bool = False
    since: date | None = None
    until: date | None = attrs.field(default=None)
    exclude: frozenset[str] = attrs.field(default=frozenset(), converter=_ids)
    """Ids never returned (the case searched from, cases already linked)."""
    min_score: float = attrs.field(default=0.0, validator=_probability)

    @until.validator
    def _ordered(self, attribute: attrs.Attribute[Any], value: date | None) -> None:
        if value is not None and self.since is not None and value < self.since:
            raise ValidationError("until", f"{value} lies before since={self.since}")

    @classmethod
    def around(
        cls,
        document: Document,
        days: int = 30,
        *,
        subject: bool = True,
        location: bool = True,
        min_score: float = 0.0,
    ) -> Scope:
        """Documents within ``days`` of ``document``'s day sharing its subject or location."""
        if days < 0:
            raise ValidationError("days", f"must be at least 0, got {days}")
        day = document.day
        return cls(
            subject=document.subject if subject else None,
            location=document.location if location else None,
            since=day - timedelta(days=days) if day else None,
            until=day + timedelta(days=days) if day else None,
            exclude=frozenset({document.id}),
            min_score=min_score,
        )

    def admits(self, document: Document) -> bool:
        """Whether ``document`` may be returned (its text similarity aside)."""
        if document.id in self.exclude:
            return False
        if self.since is not None or self.until is not None:
            day = document.day
            if day is None:
                return False
            if (self.since is not None and day < self.since) or (
                self.until is not None and day > self.until
            ):
                return False
        checks = [
            wanted == found
            for wanted, found in (
                (self.subject, document.subject),
                (self.location, document.location),
            )
            if wanted is not None
        ]
        if not checks:
            return True
        return all(checks) if self.require_both else any(checks)


@attrs.frozen
class Match:
    """A document similar to the query: its id, similarity and the words they share."""

    id: str
    score: float
    """Cosine similarity of the two texts, 0 to 1."""
    shared: tuple[str, ...] = ()
    """Words both texts use, most telling first: why they look alike."""


@attrs.frozen
class Cluster:
    """One group of similar documents."""

    label: int
    size: int
    keywords: tuple[str, ...]
    exemplar: str
    """Id of the document closest to the cluster's centre: a typical example."""


@attrs.frozen
class Clustering:
    """Every document's cluster, in the order the documents were indexed."""

    labels: tuple[int, ...]
    clusters: tuple[Cluster, ...]
    """Largest first; ``labels`` refer to :attr:`Cluster.label`."""

    def members(self, label: int) -> tuple[int, ...]:
        """Positions of the documents in cluster ``label``."""
        return tuple(i for i, own in enumerate(self.labels) if own == label)


@attrs.frozen
class EmotionTrigger:
    """One word or phrase of a text that carries emotion."""

    text: str
    """As written in the text."""
    entry: str
    """The lexicon entry it matched."""
    category: str
    intensity: float
    """After modifiers (intensifiers, exclamation, capitals), at most 1."""
    start: int
    end: int
    """Character offsets in the text: ``text[start:end]`` is what triggered it."""
    modifiers: tuple[str, ...] = ()
    """What changed the intensity: ``erg``, ``niet``, ``!``, ``CAPS``."""


@attrs.frozen
class EmotionScore:
    """How much emotion a text carries, of which kinds, and the words that show it."""

    intensity: float
    """0 (none) to 1, combining every trigger."""
    valence: float
    """-1 (only negative emotion) to 1 (only positive); 0 without triggers."""
    categories: Mapping[str, float] = attrs.field(factory=dict, converter=_scores, hash=False)
    """Intensity per lexicon category that occurs."""
    triggers: tuple[EmotionTrigger, ...] = ()
    quote: str | None = None
    """The sentence in which emotion leads: the one with the strongest triggers."""

    @property
    def dominant(self) -> str | None:
        """The strongest category, or ``None`` without emotion."""
        if not self.categories:
            return None
        return max(sorted(self.categories), key=lambda c: self.categories[c])


@attrs.frozen
class ThemeSuggestion:
    """A theme that fits a text, how well, and the words that point at it."""

    code: str
    score: float
    terms: tuple[str, ...]
    """Words of the text that matched the theme's seed terms: the reason shown."""


class TextIndex(Protocol):
    """An analysed collection of documents."""

    @property
    def documents(self) -> Sequence[Document]: ...

    def similar(
        self, query: Document, k: int = 10, scope: Scope | None = None
    ) -> tuple[Match, ...]:
        """The ``k`` documents most similar to ``query`` within ``scope``, best first.

        ``query`` need not be in the index; a document in it is never its own match
        unless ``scope`` is given without excluding it.
        """
        ...

    def cluster(self) -> Clustering:
        """Group the documents by similarity; the number of clusters follows the data."""
        ...

    def keywords(self, ids: Iterable[str], k: int = 8) -> tuple[str, ...]:
        """The words that set the documents ``ids`` apart from the rest of the index."""
        ...


class TextAnalyzer(Protocol):
    """Analyses Dutch feedback text for the learning loop (see the module docs)."""

    @property
    def name(self) -> str: ...

    def index(self, documents: Iterable[Document]) -> TextIndex:
        """Analyse ``documents`` (ids unique) for search, clustering and keywords."""
        ...

    def emotion(self, text: str) -> EmotionScore:
        """The emotion ``text`` carries and the words that trigger it."""
        ...

    def suggest_themes(
        self, text: str, taxonomy: Taxonomy, limit: int = 3
    ) -> tuple[ThemeSuggestion, ...]:
        """Up to ``limit`` themes of ``taxonomy`` that fit ``text``, best first."""
        ...


def text_analyzer(plugins: Plugins, name: str | None = None) -> TextAnalyzer:
    """The analyser called ``name``; by default the first registered by a plugin, and
    the built-in ``overlap`` analyser when no plugin provides one."""
    analyzers: Mapping[str, TextAnalyzer] = plugins.text_analyzers()
    if name is None:
        preferred = [n for n in analyzers if n != FALLBACK] or [FALLBACK]
        name = preferred[0]
    try:
        return analyzers[name]
    except KeyError:
        available = ", ".join(sorted(analyzers)) or "none"
        raise PluginError(f"no text analyzer named {name!r}; available: {available}") from None

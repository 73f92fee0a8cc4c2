"""The built-in text analyser: word and character overlap, no dependencies beyond the core.

Each document becomes a sparse TF-IDF vector (a dict) over its content words and the
character 4-grams of those words, so inflections and compounds still overlap
(``lantaarnpaal``/``lantaarnpalen``). Similarity is the cosine of two vectors.
Clustering is a threshold ("leader") pass over each document's strongest features
followed by two reassignment rounds, so the number of clusters follows the data.

Meant for small collections (thousands of texts) and as the reference every plugin
should beat; ``feedbackkit-textmining`` is the scalable analyser.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from collections.abc import Iterable, Sequence

import attrs

from feedbackkit.errors import NotFoundError
from feedbackkit.learning.emotion import EmotionLexicon, default_lexicon
from feedbackkit.learning.taxonomy import Taxonomy
from feedbackkit.learning.text import (
    FALLBACK,
    Cluster,
    Clustering,
    Document,
    EmotionScore,
    Match,
    Scope,
    ThemeSuggestion,
    check_k,
    check_unique_ids,
)
from feedbackkit.learning.tokens import content_words

__all__ = ["OverlapAnalyzer", "OverlapIndex"]

Vector = dict[str, float]

GRAM = 4
"""Length of the character n-grams; they are marked with a leading space."""


def _features(text: str) -> Counter[str]:
    """How often each content word and each character 4-gram of one occurs in ``text``."""
    counts: Counter[str] = Counter()
    for word in content_words(text):
        counts[word] += 1
        padded = f"<{word}>"
        counts.update(" " + padded[i : i + GRAM] for i in range(len(padded) - GRAM + 1))
    return counts


def _normalised(vector: Vector) -> Vector:
    norm = math.sqrt(sum(w * w for w in vector.values()))
    return {f: w / norm for f, w in vector.items()} if norm else {}


def _dot(a: Vector, b: Vector) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(f, 0.0) for f, w in a.items())


@attrs.frozen(eq=False)
class OverlapIndex:
    """Documents as normalised TF-IDF vectors over words and character 4-grams."""

    analyzer: OverlapAnalyzer
    documents: tuple[Document, ...]
    vectors: tuple[Vector, ...]
    idf: dict[str, float]
    positions: dict[str, int]
    postings: dict[str, list[tuple[int, float]]]

    @classmethod
    def build(cls, analyzer: OverlapAnalyzer, documents: Sequence[Document]) -> OverlapIndex:
        positions = check_unique_ids(documents)
        counts = [_features(d.text) for d in documents]
        df: Counter[str] = Counter()
        for count in counts:
            df.update(count.keys())
        n = len(documents)
        idf = {f: math.log((1 + n) / (1 + d)) + 1 for f, d in df.items()}
        vectors = tuple(_normalised(analyzer.weigh(count, idf, n)) for count in counts)
        postings: dict[str, list[tuple[int, float]]] = {}
        for position, vector in enumerate(vectors):
            for feature, weight in vector.items():
                postings.setdefault(feature, []).append((position, weight))
        return cls(analyzer, tuple(documents), vectors, idf, positions, postings)

    def vector(self, document: Document) -> Vector:
        """The vector of ``document``: its own when indexed, else computed with this idf."""
        position = self.positions.get(document.id)
        if position is not None and self.documents[position] == document:
            return self.vectors[position]
        counts = _features(document.text)
        return _normalised(self.analyzer.weigh(counts, self.idf, len(self.documents)))

    def similar(
        self, query: Document, k: int = 10, scope: Scope | None = None
    ) -> tuple[Match, ...]:
        check_k(k)
        scope = scope or Scope(exclude=frozenset({query.id}))
        vector = self.vector(query)
        scores: dict[int, float] = {}
        for feature, weight in vector.items():
            for position, other in self.postings.get(feature, ()):
                scores[position] = scores.get(position, 0.0) + weight * other
        admitted = (
            (score, position)
            for position, score in scores.items()
            if score > 0 and score >= scope.min_score and scope.admits(self.documents[position])
        )
        best = heapq.nlargest(k, admitted, key=lambda pair: (pair[0], -pair[1]))
        return tuple(
            Match(
                self.documents[p].id,
                round(min(score, 1.0), 6),
                _shared_words(vector, self.vectors[p]),
            )
            for score, p in best
        )

    def keywords(self, ids: Iterable[str], k: int = 8) -> tuple[str, ...]:
        check_k(k)
        members = [self._position(i) for i in ids]
        return _keywords([self.vectors[p] for p in members], self.postings, k)

    def _position(self, identifier: str) -> int:
        try:
            return self.positions[identifier]
        except KeyError:
            raise NotFoundError("document", identifier) from None

    def cluster(self) -> Clustering:
        if not self.documents:
            return Clustering((), ())
        signatures = [_signature(v, self.analyzer.signature) for v in self.vectors]
        labels = _leader(signatures, self.analyzer.threshold)
        for _ in range(self.analyzer.rounds):
            labels = _reassign(signatures, labels)
        return self._clustering(labels)

    def _clustering(self, labels: list[int]) -> Clustering:
        groups: dict[int, list[int]] = {}
        for position, label in enumerate(labels):
            groups.setdefault(label, []).append(position)
        ordered = sorted(groups.values(), key=lambda members: (-len(members), members[0]))
        final = [0] * len(labels)
        clusters = []
        for label, members in enumerate(ordered):
            for position in members:
                final[position] = label
            centre = _normalised(_sum(self.vectors[p] for p in members))
            exemplar = max(members, key=lambda p: (_dot(self.vectors[p], centre), -p))
            clusters.append(
                Cluster(
                    label,
                    len(members),
                    _keywords([self.vectors[p] for p in members], self.postings, 5),
                    self.documents[exemplar].id,
                )
            )
        return Clustering(tuple(final), tuple(clusters))


def _sum(vectors: Iterable[Vector]) -> Vector:
    total: Vector = {}
    for vector in vectors:
        for feature, weight in vector.items():
            total[feature] = total.get(feature, 0.0) + weight
    return total


def _signature(vector: Vector, size: int) -> Vector:
    """The ``size`` strongest features of ``vector``, normalised again."""
    return _normalised(dict(heapq.nlargest(size, vector.items(), key=lambda fw: (fw[1], fw[0]))))


def _leader(signatures: Sequence[Vector], threshold: float) -> list[int]:
    """One pass: each document joins the most similar cluster so far, or starts one."""
    sums: list[Vector] = []
    norms: list[float] = []  # squared norm of each cluster's sum
    holders: dict[str, list[int]] = {}  # feature -> clusters whose sum has it
    labels = []
    empty = -1  # documents without content words share one cluster
    for signature in signatures:
        if not signature:
            if empty < 0:
                empty = len(sums)
                sums.append({})
                norms.append(1.0)
            labels.append(empty)
            continue
        dots: dict[int, float] = {}
        for feature, weight in signature.items():
            for c in holders.get(feature, ()):
                dots[c] = dots.get(c, 0.0) + weight * sums[c][feature]
        best, similarity = -1, threshold
        for c, dot in dots.items():
            score = dot / math.sqrt(norms[c])
            if score >= similarity:
                best, similarity = c, score
        if best < 0:
            best = len(sums)
            sums.append({})
            norms.append(0.0)
        total = sums[best]
        norms[best] += 2 * dots.get(best, 0.0) + 1.0
        for feature, weight in signature.items():
            if feature not in total:
                holders.setdefault(feature, []).append(best)
            total[feature] = total.get(feature, 0.0) + weight
        labels.append(best)
    return labels


def _reassign(signatures: Sequence[Vector], labels: list[int]) -> list[int]:
    """Move every document to the cluster centre nearest to it (a k-means round)."""
    members: dict[int, list[int]] = {}
    for position, label in enumerate(labels):
        members.setdefault(label, []).append(position)
    centres = {c: _normalised(_sum(signatures[p] for p in ps)) for c, ps in members.items()}
    holders: dict[str, list[int]] = {}
    for c, centre in centres.items():
        for feature in centre:
            holders.setdefault(feature, []).append(c)
    moved = []
    for position, signature in enumerate(signatures):
        dots: dict[int, float] = {}
        for feature, weight in signature.items():
            for c in holders.get(feature, ()):
                dots[c] = dots.get(c, 0.0) + weight * centres[c][feature]
        own = labels[position]
        moved.append(max(dots, key=lambda c: (dots[c], c == own)) if dots else own)
    return moved


def _keywords(
    vectors: Sequence[Vector], postings: dict[str, list[tuple[int, float]]], k: int
) -> tuple[str, ...]:
    """Words weighted by their TF-IDF in the group and the share of their use it holds."""
    weight: dict[str, float] = {}
    used: Counter[str] = Counter()
    for vector in vectors:
        for feature, w in vector.items():
            if not feature.startswith(" "):
                weight[feature] = weight.get(feature, 0.0) + w
                used[feature] += 1
    score = {f: w * used[f] / len(postings[f]) for f, w in weight.items()}
    return tuple(heapq.nlargest(k, sorted(score), key=lambda f: score[f]))


def _shared_words(query: Vector, other: Vector, limit: int = 5) -> tuple[str, ...]:
    shared = {f: w * other[f] for f, w in query.items() if not f.startswith(" ") and f in other}
    return tuple(heapq.nlargest(limit, sorted(shared), key=lambda f: shared[f]))


@attrs.frozen
class OverlapAnalyzer:
    """The dependency-free analyser (see the module docs)."""

    name: str = FALLBACK
    threshold: float = 0.1
    """Similarity a document needs to join a cluster."""
    gram_weight: float = 0.5
    """Weight of one character 4-gram against one word."""
    signature: int = 48
    """Features per document used for clustering."""
    rounds: int = 2
    """Reassignment rounds after the first pass."""
    lexicon: EmotionLexicon = attrs.field(factory=default_lexicon)

    def index(self, documents: Iterable[Document]) -> OverlapIndex:
        return OverlapIndex.build(self, tuple(documents))

    def weigh(self, counts: Counter[str], idf: dict[str, float], n: int) -> Vector:
        """TF-IDF weights (sublinear tf) of one text's features among ``n`` documents."""
        unseen = math.log(1 + n) + 1
        return {
            f: (1 + math.log(c)) * idf.get(f, unseen) * (self.gram_weight if f[0] == " " else 1.0)
            for f, c in counts.items()
        }

    def emotion(self, text: str) -> EmotionScore:
        return self.lexicon.score(text)

    def suggest_themes(
        self, text: str, taxonomy: Taxonomy, limit: int = 3
    ) -> tuple[ThemeSuggestion, ...]:
        return taxonomy.suggest(text, limit)

"""An indexed collection: similar feedback within a scope, clusters and keywords."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
import scipy.sparse as sp
from threadpoolctl import threadpool_limits

from feedbackkit.errors import NotFoundError
from feedbackkit.learning.text import (
    Cluster,
    Clustering,
    Document,
    Match,
    Scope,
    check_k,
    check_unique_ids,
)
from feedbackkit.learning.tokens import content_words
from feedbackkit_textmining.clustering import cluster_rows
from feedbackkit_textmining.features import Features, Matrix

if TYPE_CHECKING:
    from feedbackkit_textmining.analyzer import TfidfAnalyzer

__all__ = ["TfidfIndex"]

Array = Any
"""A numpy array."""


def _codes(values: Sequence[str | None]) -> tuple[Array, dict[str, int]]:
    """``values`` as integer codes (-1 for ``None``) and the code of each value."""
    lookup: dict[str, int] = {}
    codes = [-1 if v is None else lookup.setdefault(v, len(lookup)) for v in values]
    return np.asarray(codes, dtype=np.int32), lookup


@attrs.frozen(eq=False)
class TfidfIndex:
    """Documents as TF-IDF rows (see :mod:`feedbackkit_textmining.features`) with their
    subject, location and day as arrays for fast scope filters."""

    analyzer: TfidfAnalyzer
    documents: tuple[Document, ...]
    positions: dict[str, int]
    features: Features | None
    """``None`` when no document has a content word."""
    rows: Matrix
    stems: Matrix
    subjects: Array
    subject_codes: dict[str, int]
    locations: Array
    location_codes: dict[str, int]
    days: Array
    """Proleptic ordinal of each document's day, -1 without one."""

    @classmethod
    def build(cls, analyzer: TfidfAnalyzer, documents: Sequence[Document]) -> TfidfIndex:
        positions = check_unique_ids(documents)
        texts = [d.text for d in documents]
        if any(content_words(t) for t in texts):
            features, rows, stems = Features.fit(texts, analyzer.char_share)
        else:
            features, rows, stems = (
                None,
                sp.csr_matrix((len(texts), 0)),
                sp.csr_matrix((len(texts), 0)),
            )
        subjects, subject_codes = _codes([d.subject for d in documents])
        locations, location_codes = _codes([d.location for d in documents])
        days = np.asarray([d.day.toordinal() if d.day else -1 for d in documents], np.int64)
        return cls(
            analyzer,
            tuple(documents),
            positions,
            features,
            rows,
            stems,
            subjects,
            subject_codes,
            locations,
            location_codes,
            days,
        )

    def _vectors(self, query: Document) -> tuple[Matrix, Matrix]:
        position = self.positions.get(query.id)
        if position is not None and self.documents[position] == query:
            return self.rows[position], self.stems[position]
        assert self.features is not None
        return self.features.transform([query.text])

    def _admitted(self, scope: Scope) -> Array:
        """Which documents ``scope`` admits, as a boolean array."""
        n = len(self.documents)
        mask = np.ones(n, dtype=bool)
        if scope.since is not None or scope.until is not None:
            mask &= self.days >= 0
            if scope.since is not None:
                mask &= self.days >= scope.since.toordinal()
            if scope.until is not None:
                mask &= self.days <= scope.until.toordinal()
        checks = [
            column == codes.get(wanted, -2)
            for wanted, column, codes in (
                (scope.subject, self.subjects, self.subject_codes),
                (scope.location, self.locations, self.location_codes),
            )
            if wanted is not None
        ]
        if checks:
            mask &= (
                np.logical_and.reduce(checks)
                if scope.require_both
                else np.logical_or.reduce(checks)
            )
        for identifier in scope.exclude:
            position = self.positions.get(identifier)
            if position is not None:
                mask[position] = False
        return mask

    def similar(
        self, query: Document, k: int = 10, scope: Scope | None = None
    ) -> tuple[Match, ...]:
        check_k(k)
        if self.features is None:
            return ()
        scope = scope or Scope(exclude=frozenset({query.id}))
        row, stems = self._vectors(query)
        candidates = np.flatnonzero(self._admitted(scope))
        scores = self.rows[candidates] @ row.toarray().ravel()
        keep = (scores > 0) & (scores >= scope.min_score)
        candidates, scores = candidates[keep], scores[keep]
        if len(candidates) > k:
            top = np.argpartition(-scores, k - 1)[:k]
            candidates, scores = candidates[top], scores[top]
        ordered = sorted(
            zip(candidates.tolist(), scores.tolist(), strict=True), key=lambda c: (-c[1], c[0])
        )
        return tuple(
            Match(self.documents[p].id, round(min(score, 1.0), 6), self._shared(stems, p))
            for p, score in ordered
        )

    def _shared(self, stems: Matrix, position: int, limit: int = 5) -> tuple[str, ...]:
        assert self.features is not None
        product = stems.multiply(self.stems[position]).tocoo()
        order = np.lexsort((product.col, -product.data))[:limit]
        return tuple(self.features.display[product.col[i]] for i in order)

    def keywords(self, ids: Iterable[str], k: int = 8) -> tuple[str, ...]:
        check_k(k)
        members = [self._position(i) for i in ids]
        if self.features is None or not members:
            return ()
        indicator = sp.csr_matrix(
            (np.ones(len(members)), (np.zeros(len(members), dtype=np.int64), members)),
            shape=(1, len(self.documents)),
        )
        return self._keywords(indicator, k)[0]

    def _keywords(self, indicator: Matrix, k: int) -> list[tuple[str, ...]]:
        """Keywords of each group (a row of ``indicator``, documents as columns): stems
        weighted by their TF-IDF in the group and the share of their use it holds."""
        assert self.features is not None
        used = (self.stems > 0).astype(np.float32)
        frequency = np.asarray(used.sum(axis=0)).ravel()
        weight = (indicator @ self.stems).toarray()
        share = (indicator @ used).toarray() / np.maximum(frequency, 1)
        scores = weight * share
        found = []
        for row in scores:
            top = [c for c in np.lexsort((np.arange(len(row)), -row))[:k] if row[c] > 0]
            found.append(tuple(self.features.display[c] for c in top))
        return found

    def _position(self, identifier: str) -> int:
        try:
            return self.positions[identifier]
        except KeyError:
            raise NotFoundError("document", identifier) from None

    def cluster(self) -> Clustering:
        n = len(self.documents)
        if n == 0:
            return Clustering((), ())
        if self.features is None:
            return Clustering((0,) * n, (Cluster(0, n, (), self.documents[0].id),))
        analyzer = self.analyzer
        with threadpool_limits(analyzer.threads):
            raw, reduced = cluster_rows(
                self.rows,
                dims=analyzer.dims,
                micro=analyzer.micro,
                threshold=analyzer.threshold,
                seed=analyzer.seed,
            )
        sizes = np.bincount(raw)
        rank = np.empty_like(sizes)
        rank[np.lexsort((np.arange(len(sizes)), -sizes))] = np.arange(len(sizes))
        labels = rank[raw]
        count = int(labels.max()) + 1
        indicator = sp.csr_matrix((np.ones(n), (labels, np.arange(n))), shape=(count, n))
        keywords = self._keywords(indicator, 5)
        centres = indicator @ reduced
        closeness = np.einsum("ij,ij->i", reduced, centres[labels])
        clusters = []
        for label in range(count):
            members = np.flatnonzero(labels == label)
            exemplar = members[np.argmax(closeness[members])]
            clusters.append(
                Cluster(label, len(members), keywords[label], self.documents[exemplar].id)
            )
        return Clustering(tuple(labels.tolist()), tuple(clusters))

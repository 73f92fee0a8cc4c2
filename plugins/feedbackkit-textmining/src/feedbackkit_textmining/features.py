"""The feature space: TF-IDF over Dutch word stems and over character 4-grams of words.

Texts are split into content words with feedbackkit's tokeniser and Dutch stop words
(``feedbackkit.learning.tokens``). Each distinct word is stemmed once with the
Snowball Dutch stemmer (``klachten`` → ``klacht``) and cut into character 4-grams
(``lantaarnpalen`` shares most of its grams with ``lantaarnpaal`` and
``straatlantaarn``), so the per-document work is one sparse product with the
vocabulary's stem and gram matrices. Both blocks are TF-IDF weighted (sublinear tf)
and normalised; a row is ``sqrt(1 - char_share) * stems ⊕ sqrt(char_share) * grams``,
so the cosine of two rows mixes the two similarities in that proportion.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs
import numpy as np
import scipy.sparse as sp
import snowballstemmer
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
from sklearn.preprocessing import normalize

from feedbackkit.learning.tokens import content_words

__all__ = ["Features"]

Matrix = Any
"""A scipy sparse matrix (scipy has no type hints)."""


def _one_hot(columns: Sequence[int], width: int) -> Matrix:
    rows = len(columns)
    return sp.csr_matrix(
        (np.ones(rows, np.float32), (np.arange(rows), np.asarray(columns))), shape=(rows, width)
    )


@attrs.frozen(eq=False)
class Features:
    """A fitted feature space (see the module docs); :meth:`transform` maps new texts."""

    words: Any
    """``CountVectorizer`` over content words: the vocabulary."""
    word_stem: Matrix
    """Vocabulary word × stem, one 1 per row."""
    grams: Any
    """``CountVectorizer`` of character 4-grams fitted on the vocabulary's words."""
    word_grams: Matrix
    """Vocabulary word × gram counts."""
    stems: dict[str, int]
    stem_weights: Any
    gram_weights: Any
    char_share: float
    display: tuple[str, ...]
    """Per stem: the word shown for it (its most frequent form)."""

    @classmethod
    def fit(cls, texts: Sequence[str], char_share: float) -> tuple[Features, Matrix, Matrix]:
        """The feature space of ``texts`` with their rows and their stem block."""
        words = CountVectorizer(analyzer=content_words, dtype=np.float32)
        counts = words.fit_transform(texts)
        vocabulary = [str(w) for w in words.get_feature_names_out()]
        stems: dict[str, int] = {}
        stemmer = snowballstemmer.stemmer("dutch")
        columns = [stems.setdefault(s, len(stems)) for s in stemmer.stemWords(vocabulary)]
        word_stem = _one_hot(columns, len(stems))
        grams = CountVectorizer(analyzer="char_wb", ngram_range=(4, 4), dtype=np.float32)
        word_grams = grams.fit_transform(vocabulary) if vocabulary else sp.csr_matrix((0, 0))
        frequency = np.asarray(counts.sum(axis=0)).ravel()
        display: dict[int, str] = {}
        for position in np.argsort(-frequency, kind="stable"):
            display.setdefault(columns[position], vocabulary[position])
        stem_counts, gram_counts = counts @ word_stem, counts @ word_grams
        features = cls(
            words=words,
            word_stem=word_stem,
            grams=grams,
            word_grams=word_grams,
            stems=stems,
            stem_weights=TfidfTransformer(sublinear_tf=True).fit(stem_counts),
            gram_weights=TfidfTransformer(sublinear_tf=True).fit(gram_counts),
            char_share=char_share,
            display=tuple(display[c] for c in range(len(stems))),
        )
        return (features, *features._rows(stem_counts, gram_counts))

    def transform(self, texts: Sequence[str]) -> tuple[Matrix, Matrix]:
        """Rows and stem block of new texts; words outside the vocabulary still count
        through their stem (when known) and their character grams."""
        counts = self.words.transform(texts)
        stem_counts = (counts @ self.word_stem).tolil()
        gram_counts = (counts @ self.word_grams).tolil()
        known = self.words.vocabulary_
        stemmer = snowballstemmer.stemmer("dutch")
        for row, text in enumerate(texts):
            unknown = [w for w in content_words(text) if w not in known]
            if not unknown:
                continue
            for stem in stemmer.stemWords(unknown):
                if stem in self.stems:
                    stem_counts[row, self.stems[stem]] += 1
            gram_counts[row] = gram_counts[row] + self.grams.transform(unknown).sum(axis=0)
        return self._rows(stem_counts.tocsr(), gram_counts.tocsr())

    def _rows(self, stem_counts: Matrix, gram_counts: Matrix) -> tuple[Matrix, Matrix]:
        stems = normalize(self.stem_weights.transform(stem_counts))
        grams = normalize(self.gram_weights.transform(gram_counts))
        rows = sp.hstack(
            [stems * np.sqrt(1 - self.char_share), grams * np.sqrt(self.char_share)],
            format="csr",
        )
        return normalize(rows), stems

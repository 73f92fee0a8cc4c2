"""Words of Dutch text as the analysers compare them: folded to lowercase ASCII.

Folding drops accents (``geërgerd`` → ``geergerd``, ``café`` → ``cafe``), so a word is
the same however it was typed. :func:`words` is the fast path for analysis;
:func:`word_spans` keeps where each word stands in the original text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import cache
from importlib.resources import files

__all__ = ["content_words", "fold", "stop_words", "word_spans", "words"]

_WORD = re.compile(r"[a-z0-9]+")
_UNICODE_WORD = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """``text`` in lowercase ASCII: accents removed, other non-ASCII characters dropped."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()


def words(text: str) -> list[str]:
    """The folded words of ``text``, in order (letters and digits; punctuation splits)."""
    return _WORD.findall(fold(text))


def word_spans(text: str) -> Iterator[tuple[str, int, int]]:
    """Every word of ``text`` folded, with its start and end offset in ``text``."""
    for match in _UNICODE_WORD.finditer(text):
        folded = fold(match.group())
        if folded:
            yield folded, match.start(), match.end()


@cache
def stop_words() -> frozenset[str]:
    """Dutch function words and letter formulas (``feedbackkit/data/learning/stopwords.txt``)."""
    text = (files("feedbackkit") / "data" / "learning" / "stopwords.txt").read_text("utf-8")
    return frozenset(
        fold(line.strip()) for line in text.splitlines() if line.strip() and line[0] != "#"
    )


def content_words(text: str) -> list[str]:
    """The words of ``text`` that carry meaning: no stop words, no single letters."""
    stop = stop_words()
    return [w for w in words(text) if len(w) > 1 and w not in stop]

"""feedbackkit-textmining: the scalable ``tfidf`` text analyser for feedbackkit.

Registered under the ``feedbackkit`` entry-point group; once installed,
:func:`feedbackkit.learning.text.text_analyzer` prefers it over the built-in one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from feedbackkit import hookimpl
from feedbackkit_textmining.analyzer import TfidfAnalyzer

__all__ = ["TfidfAnalyzer"]


@hookimpl
def feedbackkit_register_text_analyzers(register: Callable[[Any], None]) -> None:
    register(TfidfAnalyzer())

"""The tfidf analyser passes the contract every feedbackkit text analyser passes."""

from __future__ import annotations

import pytest
from feedbackkit_textmining import TfidfAnalyzer

from feedbackkit.testing.text_contract import TextAnalyzerContract


class TestTfidfAnalyzer(TextAnalyzerContract):
    @pytest.fixture
    def analyzer(self) -> TfidfAnalyzer:
        return TfidfAnalyzer()


class TestTfidfAnalyzerWithLibraryThreads(TextAnalyzerContract):
    @pytest.fixture
    def analyzer(self) -> TfidfAnalyzer:
        return TfidfAnalyzer(threads=None)

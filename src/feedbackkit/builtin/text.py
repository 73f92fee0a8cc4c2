"""The built-in text analyser: word and character overlap, used when no plugin offers one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from feedbackkit.hookspecs import hookimpl
from feedbackkit.learning.overlap import OverlapAnalyzer


@hookimpl(trylast=True)
def feedbackkit_register_text_analyzers(register: Callable[[Any], None]) -> None:
    register(OverlapAnalyzer())

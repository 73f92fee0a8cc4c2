"""The built-in report renderers: ``html``, ``pdf`` (needs WeasyPrint), ``md`` and ``json``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from feedbackkit.hookspecs import hookimpl
from feedbackkit.reports.renderers import HtmlRenderer, JsonRenderer, MarkdownRenderer, PdfRenderer


@hookimpl(trylast=True)
def feedbackkit_register_renderers(register: Callable[[Any], None]) -> None:
    for renderer in (HtmlRenderer(), PdfRenderer(), MarkdownRenderer(), JsonRenderer()):
        register(renderer)

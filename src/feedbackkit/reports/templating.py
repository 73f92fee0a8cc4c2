"""The Jinja2 environments of the built-in renderers.

HTML templates are autoescaped: every text from a report's content (customer text,
respondents' remarks, auditors' observations) is escaped unless a template marks it
``safe`` (only the SVG charts, built by :mod:`feedbackkit.reports.charts`). Markdown
templates escape every printed value with :func:`escape_markdown` instead.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import jinja2
from markupsafe import Markup

from feedbackkit.reports.formatting import Formatter
from feedbackkit.reports.messages import messages
from feedbackkit.reports.report import Report

__all__ = ["escape_markdown", "html_environment", "markdown_environment", "render_template"]

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")


def escape_markdown(value: object) -> str:
    """``value`` as literal Markdown text on one line: the characters that could open an HTML
    tag, a link, emphasis, code, a heading or a new table cell are backslash-escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(str(value).split()))


def _bar(value: float | None, maximum: float, width: int = 10) -> str:
    """A text bar of ``width`` blocks for Markdown tables: ``███████░░░``."""
    filled = 0 if value is None else round(width * max(0.0, min(value / maximum, 1.0)))
    return "█" * filled + "░" * (width - filled)


def _finalize_markdown(value: Any) -> Any:
    if isinstance(value, Markup) or value is None:
        return "" if value is None else value
    return escape_markdown(value)


def _environment(**options: Any) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("feedbackkit.reports", "templates"),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        **options,
    )
    env.filters["bar"] = _bar
    return env


@cache
def html_environment() -> jinja2.Environment:
    """Templates ``*.html.j2``, autoescaped."""
    return _environment(autoescape=True)


@cache
def markdown_environment() -> jinja2.Environment:
    """Templates ``*.md.j2``; every printed value is Markdown-escaped."""
    return _environment(autoescape=False, finalize=_finalize_markdown)


def render_template(env: jinja2.Environment, name: str, report: Report, **extra: Any) -> str:
    """Render template ``name`` with the report, its content, texts (``t``) and formats (``f``)."""
    return env.get_template(name).render(
        report=report,
        content=report.content,
        lang=report.lang,
        t=messages(report.template, report.lang),
        f=Formatter(report.lang),
        **extra,
    )

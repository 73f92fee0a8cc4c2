"""Reports: templates, texts in Dutch and English, SVG charts, and renderer plugins.

A report family (the audit report; later the learning reports) builds a :class:`Report`
— a view model with its texts in the chosen language, plus the data the JSON format
writes — and a renderer registered through ``feedbackkit_register_renderers`` turns it
into bytes. Built in: ``html``, ``pdf`` (WeasyPrint, the ``pdf`` extra), ``md`` and
``json``::

    from feedbackkit.reports import format_of, render

    data = render(plugins.renderers(), report, format_of(Path("rapport.pdf")))
"""

from feedbackkit.reports.charts import Bar, Legend, Threshold, bar_chart, radar_chart
from feedbackkit.reports.formatting import Formatter
from feedbackkit.reports.messages import LANGUAGES, Messages, check_lang, messages
from feedbackkit.reports.renderers import (
    HtmlRenderer,
    JsonRenderer,
    MarkdownRenderer,
    PdfRenderer,
    format_of,
    render,
    renderer_for,
)
from feedbackkit.reports.report import RenderError, Report
from feedbackkit.reports.templating import escape_markdown

__all__ = [
    "LANGUAGES",
    "Bar",
    "Formatter",
    "HtmlRenderer",
    "JsonRenderer",
    "Legend",
    "MarkdownRenderer",
    "Messages",
    "PdfRenderer",
    "RenderError",
    "Report",
    "Threshold",
    "bar_chart",
    "check_lang",
    "escape_markdown",
    "format_of",
    "messages",
    "radar_chart",
    "render",
    "renderer_for",
]

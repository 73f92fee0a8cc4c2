"""The built-in renderers (HTML, PDF, Markdown, JSON) and finding the renderer for a format.

Renderers are plugins (``feedbackkit_register_renderers``); each built-in one is named
after its format, so a plugin registering a renderer named ``pdf`` replaces the built-in
PDF renderer, and one with new formats (``odt``) adds them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from feedbackkit.converter import unstructure
from feedbackkit.reports.report import RenderError, Report
from feedbackkit.reports.templating import html_environment, markdown_environment, render_template

if TYPE_CHECKING:
    from feedbackkit.ports import Renderer

__all__ = [
    "SUFFIXES",
    "HtmlRenderer",
    "JsonRenderer",
    "MarkdownRenderer",
    "PdfRenderer",
    "format_of",
    "render",
    "renderer_for",
]

SUFFIXES = {".htm": "html", ".markdown": "md"}
"""File suffixes naming a format other than the suffix itself (``.pdf`` is ``pdf``)."""


class HtmlRenderer:
    """A self-contained HTML page (styles and SVG charts inline), autoescaped."""

    name = "html"
    formats = ("html",)

    def render(self, report: Report, fmt: str) -> bytes:
        return self.page(report).encode("utf-8")

    def page(self, report: Report, *, paged: bool = False) -> str:
        """The page as text; ``paged`` adds page headers and numbers for print (PDF)."""
        return render_template(
            html_environment(), f"{report.template}.html.j2", report, paged=paged
        )


class PdfRenderer:
    """The HTML page laid out on A4 pages by WeasyPrint (``pip install 'feedbackkit[pdf]'``)."""

    name = "pdf"
    formats = ("pdf",)

    def render(self, report: Report, fmt: str) -> bytes:
        try:
            import weasyprint  # optional: loaded only when a PDF is asked for
        except ImportError as exc:
            raise RenderError(
                "the pdf format needs WeasyPrint: pip install 'feedbackkit[pdf]' "
                f"(and its system libraries, Pango); {exc}"
            ) from None
        except OSError as exc:  # WeasyPrint is installed but Pango or a library is missing
            raise RenderError(f"WeasyPrint cannot load its system libraries: {exc}") from None
        html = HtmlRenderer().page(report, paged=True)
        pdf: bytes = weasyprint.HTML(string=html).write_pdf()
        return pdf


class MarkdownRenderer:
    """Markdown with tables and text bars; every printed value is Markdown-escaped."""

    name = "md"
    formats = ("md",)

    def render(self, report: Report, fmt: str) -> bytes:
        return render_template(markdown_environment(), f"{report.template}.md.j2", report).encode(
            "utf-8"
        )


class JsonRenderer:
    """The report's data through the one converter: sorted keys, two-space indent, UTF-8."""

    name = "json"
    formats = ("json",)

    def render(self, report: Report, fmt: str) -> bytes:
        text = json.dumps(unstructure(report.data), ensure_ascii=False, indent=2, sort_keys=True)
        return (text + "\n").encode("utf-8")


def format_of(path: Path) -> str:
    """The format a file name asks for: its suffix (``report.pdf`` → ``pdf``)."""
    suffix = path.suffix.lower()
    if not suffix:
        raise RenderError(f"{path}: no suffix to tell the format by (e.g. .html, .pdf, .md, .json)")
    return SUFFIXES.get(suffix, suffix[1:])


def renderer_for(renderers: Mapping[str, Any], fmt: str) -> Renderer:
    """The renderer for ``fmt``: the one named ``fmt``, else the first that lists it."""
    named = renderers.get(fmt)
    candidates = [named] if named is not None else []
    found: Renderer | None = next(
        (r for r in (*candidates, *renderers.values()) if fmt in r.formats), None
    )
    if found is not None:
        return found
    known = sorted({f for renderer in renderers.values() for f in renderer.formats})
    raise RenderError(f"no renderer for format {fmt!r}; available: {', '.join(known)}")


def render(renderers: Mapping[str, Any], report: Report, fmt: str) -> bytes:
    """``report`` in format ``fmt`` by the renderer the plugins register for it."""
    return renderer_for(renderers, fmt).render(report, fmt)

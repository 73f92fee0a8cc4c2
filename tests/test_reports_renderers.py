"""Renderer plugins: the built-in formats, choosing by file suffix, replacing a built-in,
escaping in the HTML and Markdown environments, and a clear error without WeasyPrint."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import attrs
import pytest

from feedbackkit import hookimpl
from feedbackkit.plugins import load_plugins
from feedbackkit.reports import (
    JsonRenderer,
    PdfRenderer,
    RenderError,
    Report,
    escape_markdown,
    format_of,
    render,
    renderer_for,
)
from feedbackkit.reports.templating import html_environment, markdown_environment

HOSTILE = '<script>alert("x")</script> {{ 7*7 }} **vet** [link](http://x) | cel\nregel'


@attrs.frozen
class Odt:
    name: str = "odt-writer"
    formats: tuple[str, ...] = ("odt",)

    def render(self, report: Report, fmt: str) -> bytes:
        return f"ODT {report.title}".encode()


@attrs.frozen
class OwnPdf:
    name: str = "pdf"
    formats: tuple[str, ...] = ("pdf",)

    def render(self, report: Report, fmt: str) -> bytes:
        return b"%PDF own"


class RendererPlugin:
    def __init__(self, *renderers: object) -> None:
        self.renderers = renderers

    @hookimpl
    def feedbackkit_register_renderers(self, register: Callable[[Any], None]) -> None:
        for renderer in self.renderers:
            register(renderer)


REPORT = Report(template="audit", title="Rapport", content=None, data={"b": 1, "a": "é"})


def test_the_built_in_renderers_are_plugins_named_after_their_format() -> None:
    renderers = load_plugins(entry_point_plugins=False).renderers()
    assert {"html", "pdf", "md", "json"} <= set(renderers)
    for fmt in ("html", "pdf", "md", "json"):
        assert renderer_for(renderers, fmt).formats == (fmt,)


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("r.html", "html"),
        ("R.HTM", "html"),
        ("r.pdf", "pdf"),
        ("r.md", "md"),
        ("r.markdown", "md"),
        ("r.json", "json"),
        ("r.odt", "odt"),
    ],
)
def test_the_suffix_names_the_format(name: str, fmt: str) -> None:
    assert format_of(Path(name)) == fmt


def test_a_file_without_suffix_is_refused() -> None:
    with pytest.raises(RenderError, match="no suffix"):
        format_of(Path("rapport"))


def test_an_unknown_format_names_the_available_ones() -> None:
    renderers = load_plugins(entry_point_plugins=False).renderers()
    with pytest.raises(
        RenderError, match=r"no renderer for format 'docx'; available: html, json, md, pdf"
    ):
        renderer_for(renderers, "docx")


def test_a_plugin_adds_a_format_and_replaces_a_built_in_one() -> None:
    plugins = load_plugins(extra=[RendererPlugin(Odt(), OwnPdf())], entry_point_plugins=False)
    renderers = plugins.renderers()
    assert render(renderers, REPORT, "odt") == b"ODT Rapport"
    assert render(renderers, REPORT, "pdf") == b"%PDF own"
    assert renderer_for(renderers, "html").name == "html"


@attrs.frozen
class Sample:
    when: date
    value: float


def test_the_json_renderer_writes_the_data_through_the_converter_with_sorted_keys() -> None:
    data = JsonRenderer().render(attrs.evolve(REPORT, data=Sample(date(2024, 3, 1), 0.5)), "json")
    assert data.decode("utf-8") == '{\n  "value": 0.5,\n  "when": "2024-03-01"\n}\n'
    plain = JsonRenderer().render(REPORT, "json")
    assert json.loads(plain) == {"a": "é", "b": 1}
    assert "é" in plain.decode("utf-8")  # UTF-8, not \\u escapes


def test_the_pdf_renderer_says_what_to_install_without_weasyprint(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # as if it were not installed
    with pytest.raises(RenderError, match=r"needs WeasyPrint: pip install 'feedbackkit\[pdf\]'"):
        PdfRenderer().render(REPORT, "pdf")


def test_the_html_environment_escapes_every_value() -> None:
    page = html_environment().from_string("<p>{{ text }}</p>").render(text=HOSTILE)
    assert "<script>" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; {{ 7*7 }}" in page
    assert "49" not in page


def test_the_markdown_environment_escapes_every_value() -> None:
    text = markdown_environment().from_string("| {{ text }} |").render(text=HOSTILE)
    assert text == "| " + escape_markdown(HOSTILE) + " |"


def test_markdown_escaping_makes_syntax_literal_and_keeps_one_line() -> None:
    escaped = escape_markdown(HOSTILE)
    assert escaped == (
        '\\<script\\>alert("x")\\</script\\> {{ 7\\*7 }} \\*\\*vet\\*\\* '
        "\\[link\\](http://x) \\| cel regel"
    )
    assert escape_markdown("`code` _nadruk_ # kop ~weg~") == (
        "\\`code\\` \\_nadruk\\_ \\# kop \\~weg\\~"
    )

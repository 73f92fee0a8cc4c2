"""Fixed report texts in Dutch and English, and numbers and dates in each language."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from feedbackkit.errors import ValidationError
from feedbackkit.reports import Formatter, check_lang, messages
from feedbackkit.reports.messages import _catalogue

SRC = Path(__file__).parent.parent / "src" / "feedbackkit"
TEMPLATES = SRC / "reports" / "templates"
USES = re.compile(r"""\bt\(\s*f?['"]([a-z_]+)['"]""")
PREFIXED = re.compile(r"""\bt\(\s*f['"]([a-z_]+)\{""")
DYNAMIC = re.compile(r"""self\.text\(\s*f?['"]([a-z_]+)['"]\s*\+|self\.text\(f['"]([a-z_]+)\{""")


def used_keys(*paths: Path) -> tuple[set[str], set[str]]:
    """Keys used literally (``t('summary')``) and key prefixes (``t(f'advice_{facet}')``)."""
    literal: set[str] = set()
    prefixes: set[str] = set()
    for path in paths:
        text = path.read_text("utf-8")
        literal |= set(USES.findall(text))
        prefixes |= set(PREFIXED.findall(text))
        prefixes |= {a or b for a, b in DYNAMIC.findall(text)}
        prefixes |= set(re.findall(r"""self\.t\(['"]([a-z_]+)['"]\s*\+""", text))
    return literal - prefixes, prefixes


AUDIT_SOURCES = (
    TEMPLATES / "audit.html.j2",
    TEMPLATES / "audit.md.j2",
    SRC / "audit" / "reporting.py",
)


def test_every_text_is_given_in_dutch_and_english() -> None:
    for family in ("common", "audit"):
        for key, texts in _catalogue(family).items():
            assert set(texts) == {"nl", "en"}, key
            assert all(text.strip() for text in texts.values()), key


def test_every_key_the_audit_report_uses_exists() -> None:
    literal, prefixes = used_keys(*AUDIT_SOURCES)
    known = set(messages("audit").texts)
    assert len(literal) > 40
    assert literal - known == set()
    for prefix in prefixes:
        assert any(key.startswith(prefix) for key in known), prefix


@pytest.mark.parametrize(
    ("family", "sources"),
    [("audit", AUDIT_SOURCES), ("common", tuple(TEMPLATES.glob("*.j2")))],
)
def test_every_text_is_used(family: str, sources: tuple[Path, ...]) -> None:
    literal, prefixes = used_keys(*sources)
    unused = {
        key
        for key in _catalogue(family)
        if key not in literal and not any(key.startswith(p) for p in prefixes)
    }
    assert unused == set()


def test_texts_in_each_language_with_values_filled_in() -> None:
    assert messages("audit")("summary") == "Samenvatting"
    assert messages("audit", "en")("summary") == "Summary"
    assert messages("audit")("page") == "Pagina"  # a common text
    assert messages("audit", "en")("newly_scored", count=3) == "Newly assessed criteria: 3"


def test_an_unknown_key_family_or_language_is_named() -> None:
    with pytest.raises(ValidationError, match="audit has no text 'nope'"):
        messages("audit")("nope")
    with pytest.raises(ValidationError, match="no report family 'nope'"):
        messages("nope")
    with pytest.raises(ValidationError, match="unknown language 'de'; allowed: nl, en"):
        check_lang("de")


@pytest.mark.parametrize(
    ("lang", "number", "thousands", "share", "day"),
    [
        ("nl", "7,5", "1.234,6", "76%", "12 maart 2024"),
        ("en", "7.5", "1,234.6", "76%", "12 March 2024"),
    ],
)
def test_formats_follow_the_language(
    lang: str, number: str, thousands: str, share: str, day: str
) -> None:
    f = Formatter(lang)
    assert f.number(7.5) == number
    assert f.number(1234.56) == thousands
    assert f.number(10.0) == "10"
    assert f.share(0.755) == share
    assert f.day(date(2024, 3, 12)) == day

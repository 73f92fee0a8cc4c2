"""The fixed texts of reports in Dutch (default) and English.

Each report family keeps its texts in ``templates/<family>.messages.toml`` beside its
templates, and texts every report shares in ``templates/common.messages.toml``; a key
is a TOML table with an ``nl`` and an ``en`` text, which may hold ``{placeholders}``::

    [shortfall]
    nl = "Nog {points} punten tot {level}."
    en = "{points} more points to {level}."
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from functools import cache
from importlib.resources import files
from typing import Any

import attrs

from feedbackkit.errors import ValidationError

__all__ = ["LANGUAGES", "Messages", "check_lang", "messages"]

LANGUAGES = ("nl", "en")
"""Languages every report is available in; Dutch first."""

COMMON = "common"


def check_lang(lang: str) -> str:
    """Return ``lang`` when reports are available in it, else raise :class:`ValidationError`."""
    if lang not in LANGUAGES:
        raise ValidationError("lang", f"unknown language {lang!r}; allowed: {', '.join(LANGUAGES)}")
    return lang


@attrs.frozen
class Messages:
    """The texts of one report family in one language; call it with a key."""

    family: str
    lang: str
    texts: Mapping[str, str] = attrs.field(hash=False)

    def __call__(self, key: str, /, **values: Any) -> str:
        """The text for ``key`` with ``values`` filled in."""
        try:
            text = self.texts[key]
        except KeyError:
            raise ValidationError("message", f"{self.family} has no text {key!r}") from None
        return text.format(**values) if values else text


@cache
def _catalogue(family: str) -> dict[str, dict[str, str]]:
    """Key → language → text, read from ``templates/<family>.messages.toml`` and checked."""
    source = f"{family}.messages.toml"
    resource = files("feedbackkit.reports") / "templates" / source
    if not resource.is_file():
        raise ValidationError("template", f"no report family {family!r} ({source} is missing)")
    data = tomllib.loads(resource.read_text("utf-8"))
    for key, texts in data.items():
        if not isinstance(texts, dict) or sorted(texts) != sorted(LANGUAGES):
            raise ValidationError(f"{source}: {key}", f"needs exactly the texts {LANGUAGES}")
        for lang, text in texts.items():
            if not isinstance(text, str) or not text.strip():
                raise ValidationError(f"{source}: {key}.{lang}", "must be a non-blank text")
    return data


def messages(family: str, lang: str = "nl") -> Messages:
    """The texts of report ``family`` (and the common ones) in ``lang``."""
    check_lang(lang)
    merged = (
        {**_catalogue(COMMON), **_catalogue(family)} if family != COMMON else _catalogue(family)
    )
    return Messages(family, lang, {key: texts[lang] for key, texts in merged.items()})

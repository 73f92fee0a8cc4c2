"""Letters and e-mails as Jinja2 templates shipped in ``feedbackkit/data/letters``.

Each letter (``letters.toml``) has one template per language (``nl/NAME.j2``,
``en/NAME.j2``) with a ``subject`` and a ``body`` block; the body is paragraphs
separated by blank lines. It is rendered twice through the same template: by an
autoescaping HTML environment (every value from the case is escaped; ``link(url)``
makes an anchor) and by a plain-text one (paragraphs wrapped at 72 characters).
"""

from __future__ import annotations

import textwrap
import tomllib
from collections.abc import Mapping
from functools import cache
from importlib.resources import files
from typing import Any

import attrs
import jinja2
from markupsafe import Markup, escape

from feedbackkit.errors import NotFoundError, ValidationError
from feedbackkit.reports.formatting import Formatter
from feedbackkit.vocabulary import PartyRole, label

__all__ = ["LANGUAGES", "Letter", "Optional", "RenderedLetter", "letters", "render_letter"]

LANGUAGES = ("nl", "en")
"""Languages every letter is written in; Dutch is the default."""


class Optional(dict[str, Any]):
    """A mapping whose missing keys are ``None`` in templates (deadlines, event payloads),
    while a misspelt top-level name still fails (the environment is strict)."""

    def __missing__(self, key: str) -> None:
        return None


@attrs.frozen
class Letter:
    """One kind of letter: who it goes to and what the caller must supply."""

    name: str
    to: tuple[PartyRole, ...]
    article: str | None = None
    requires: tuple[str, ...] = ()


@attrs.frozen
class RenderedLetter:
    """A letter written out for one recipient."""

    letter: str
    lang: str
    subject: str
    text: str
    html: str


@cache
def _catalogue() -> dict[str, Any]:
    source = files("feedbackkit") / "data" / "letters" / "letters.toml"
    return tomllib.loads(source.read_text("utf-8"))


@cache
def letters() -> Mapping[str, Letter]:
    """Every letter by name."""
    return {
        name: Letter(
            name=name,
            to=tuple(PartyRole(r) for r in body["to"]),
            article=body.get("article"),
            requires=tuple(body.get("requires", ())),
        )
        for name, body in _catalogue()["letters"].items()
    }


def letter(name: str) -> Letter:
    """The letter called ``name``; :class:`NotFoundError` lists none."""
    try:
        return letters()[name]
    except KeyError:
        raise NotFoundError("letter", f"{name!r} (known: {', '.join(letters())})") from None


def _paragraphs_html(body: str) -> Markup:
    """Paragraphs as ``<p>`` elements (``body`` is escaped unless it is markup already)."""
    parts = [p.strip() for p in str(escape(body)).split("\n\n") if p.strip()]
    return Markup("\n").join(Markup("<p>{}</p>").format(Markup(p)) for p in parts)


def _paragraphs_text(body: str) -> str:
    parts = [" ".join(p.split()) for p in body.split("\n\n") if p.strip()]
    return "\n\n".join(
        textwrap.fill(p, 72, break_long_words=False, break_on_hyphens=False) for p in parts
    )


def _link_html(url: str) -> Markup:
    return Markup('<a href="{0}">{0}</a>').format(url)


def _environment(html: bool) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("feedbackkit", "data/letters"),
        undefined=jinja2.StrictUndefined,
        autoescape=html,
        lstrip_blocks=True,
    )
    env.filters["paragraphs"] = _paragraphs_html if html else _paragraphs_text
    env.globals["link"] = _link_html if html else str
    env.globals["label"] = label
    return env


@cache
def _environments() -> tuple[jinja2.Environment, jinja2.Environment]:
    return _environment(html=True), _environment(html=False)


def render_letter(name: str, lang: str, context: Mapping[str, Any]) -> RenderedLetter:
    """Letter ``name`` in ``lang`` (``nl`` or ``en``) for ``context``.

    ``context`` holds what the templates use (see :func:`feedbackkit.notifications.notify`,
    which builds it from the case); a value the letter requires but lacks raises
    :class:`ValidationError` naming ``context.<key>``.
    """
    spec = letter(name)
    if lang not in LANGUAGES:
        raise ValidationError("lang", f"{lang!r} is not one of {', '.join(LANGUAGES)}")
    for key in spec.requires:
        if context.get(key) in (None, ""):
            raise ValidationError(f"context.{key}", f"letter {name!r} needs {key!r}")
    phrases = dict(_catalogue()["phrases"][lang])
    recipient = context.get("recipient")
    person = getattr(recipient, "name", None)
    greeting = phrases["greeting"].replace("{name}", person) if person else None
    phrases["greeting"] = greeting or phrases["greeting_unnamed"]
    organisation = context.get("organisation")
    signature = [getattr(organisation, key, None) for key in ("name", "phone", "email", "website")]
    values = {
        "f": Formatter(lang),
        "lang": lang,
        "phrases": phrases,
        "postal": False,
        "signature": [line for line in signature if line],
        **context,
    }
    html_env, text_env = _environments()
    path = f"{lang}/{name}.j2"
    text_template = text_env.get_template(path)
    subject_block = text_template.blocks["subject"]
    subject = " ".join("".join(subject_block(text_template.new_context(dict(values)))).split())
    text = text_template.render(layout="_layout.txt.j2", **values)
    html = html_env.get_template(path).render(layout="_layout.html.j2", **values)
    return RenderedLetter(name, lang, subject, text.strip() + "\n", html)

"""The text of an e-mail: decoding any charset, HTML to plain text, the sender's own words.

Decoding never fails: a wrong or missing charset falls back to UTF-8, then
Windows-1252, then Latin-1 (which decodes every byte), and says so in a warning.
HTML is read with the standard library's tolerant parser and never executed;
scripts, styles and other non-content elements are dropped.
"""

from __future__ import annotations

import codecs
import re
from html.parser import HTMLParser

from feedbackkit.channels.cleaning import clean

__all__ = ["decode_text", "guess_language", "header_text", "html_to_text", "own_words"]

_FALLBACKS = ("utf-8", "cp1252", "latin-1")


def decode_text(data: bytes, charset: str | None) -> tuple[str, str | None]:
    """``data`` as text using the declared ``charset``, and a warning when it had to guess."""
    problem = None
    if charset:
        try:
            return data.decode(codecs.lookup(charset).name), None
        except LookupError:
            problem = f"unknown charset {charset!r}"
        except UnicodeError:
            problem = f"text is not valid {charset}"
    elif data.isascii():
        return data.decode("ascii"), None
    else:
        problem = "no charset declared"
    for fallback in _FALLBACKS:
        try:
            return data.decode(fallback), f"{problem}; decoded as {fallback}"
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes every byte")  # pragma: no cover


def header_text(value: str) -> tuple[str, str | None]:
    """A header value as clean text; raw 8-bit bytes in it are decoded like an undeclared body."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # the parser kept undecodable bytes as surrogates
        value, problem = decode_text(value.encode("utf-8", "surrogateescape"), None)
        return clean(value), f"8-bit header: {problem}"
    return clean(value), None


_SKIPPED = frozenset(
    "script style head title template noscript svg math object iframe canvas select button".split()  # noqa: SIM905
)
"""Elements whose content is not text for a reader (or is code): dropped with their content."""
_BLOCKS = frozenset(
    "address article aside blockquote br dd div dl dt fieldset figcaption figure footer form "  # noqa: SIM905
    "h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section table tr ul".split()
)
_VOID = frozenset({"br", "hr", "img", "input", "meta", "link", "wbr", "col", "area", "source"})


class _TextExtractor(HTMLParser):
    """Collects the readable text of an HTML document; never runs anything in it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping: list[str] = []
        self.pre = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self.skipping.append(tag)
        elif tag in _BLOCKS:
            self.parts.append("\n- " if tag == "li" else "\n")
            self.pre += tag == "pre"
        elif tag in ("td", "th"):
            self.parts.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.skipping:
            while self.skipping and self.skipping.pop() != tag:
                pass
        elif tag in _BLOCKS and tag not in _VOID and tag != "li":
            self.parts.append("\n")
            if tag == "pre" and self.pre:
                self.pre -= 1

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data if self.pre else re.sub(r"\s+", " ", data))


def html_to_text(html: str) -> str:
    """The readable text of ``html``: paragraphs on their own lines, scripts and styles dropped."""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    lines = (line.strip() for line in "".join(parser.parts).splitlines())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


_REPLY_HEADER = re.compile(
    r"^\s*(?:"
    r"-{2,}\s*(?:Original Message|Oorspronkelijk bericht|Origineel bericht|Forwarded message"
    r"|Doorgestuurd bericht)\s*-{2,}"
    r"|On\b.{0,200}\bwrote:"
    r"|Op\b.{0,200}\b(?:schreef|heeft)\b.{0,120}:"
    r"|_{10,}"
    r")\s*$",
    re.IGNORECASE,
)
_HEADER_BLOCK = re.compile(r"^\s*(?:From|Van)\s*:.*\n\s*(?:Sent|Verzonden|Date|Datum)\s*:", re.I)


def own_words(text: str) -> tuple[str, bool]:
    """``text`` without the quoted earlier messages of a reply and without the signature.

    Cuts at the first reply header ("Op ... schreef ...:", "-----Original Message-----",
    an Outlook "Van:/Verzonden:" block), drops trailing ``>`` lines and a ``-- ``
    signature. Returns the text and whether anything was cut; when cutting would
    leave nothing, the whole text is kept.
    """
    lines = text.replace("\r\n", "\n").split("\n")
    end = len(lines)
    for i, line in enumerate(lines):
        rest = "\n".join(lines[i : i + 2])
        if line in ("-- ", "--") or _REPLY_HEADER.match(line):
            end = i
            break
        if _HEADER_BLOCK.match(rest):
            end = i
            break
    while end and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith(">")):
        end -= 1
    kept = "\n".join(lines[:end]).strip()
    if not kept:
        return text.strip(), False
    return kept, kept != text.strip()


_WORDS = {
    "nl": frozenset(
        "de het een en ik niet van dat op met voor zijn mijn u uw wij er ook maar naar bij om "  # noqa: SIM905
        "al nog geen heb heeft wordt werd was dit die deze graag".split()
    ),
    "en": frozenset(
        "the a an and i not of that on with for my you your there also but to at have has "  # noqa: SIM905
        "been was this these would please".split()
    ),
}


def guess_language(text: str) -> str:
    """``en`` when clearly more English than Dutch function words are used, else ``nl``."""
    words = re.findall(r"[a-zà-ÿ]+", text.lower())
    nl = sum(w in _WORDS["nl"] for w in words)
    en = sum(w in _WORDS["en"] for w in words)
    return "en" if en >= 3 and en > 2 * nl else "nl"

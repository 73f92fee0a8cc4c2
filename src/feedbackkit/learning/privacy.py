"""Removing personal data from customers' words before they go into a public report.

Customers write their name, e-mail address, phone number, BSN and address into their
feedback. :class:`Scrubber` replaces what it recognises with a placeholder:

- the known parties' data, exactly: names (each capitalised part of a name as a whole
  word, so ``Jansen`` goes as well as ``Joëlle Jansen``), e-mail addresses, phone
  numbers (whatever their spacing) and addresses;
- by pattern: any e-mail address, Dutch phone numbers (``06-12345678``,
  ``+31 20 123 4567``, ``020-1234567``), nine-digit numbers that pass the BSN
  eleven-test or follow the word BSN, postcodes (``1234 AB``), a street name with a house
  number (``Kerkstraat 12a``) and the name after a closing greeting (``Met vriendelijke
  groet, Jan de Vries``).

Patterns cannot know every name; the public report also leaves out everything but the
customers' words, so what remains is what a person would read before publishing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from feedbackkit.models import Party

__all__ = ["Scrubber", "is_bsn"]

PLACEHOLDERS = {
    "nl": {"name": "[naam]", "email": "[e-mail]", "phone": "[telefoon]", "bsn": "[BSN]",
           "address": "[adres]"},
    "en": {"name": "[name]", "email": "[e-mail]", "phone": "[phone]", "bsn": "[BSN]",
           "address": "[address]"},
}  # fmt: skip

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?<![\w+])(?:\+31[\s-]?(?:\(0\))?|0031[\s-]?|0)[1-9](?:[\s-]?\d){8}(?!\d)")
_BSN_AFTER = re.compile(
    r"(?i)\b(bsn|burgerservicenummer)(\s*(?:nummer|nr\.?)?\s*[:is]*\s*)(\d[\d. ]{7,11}\d)"
)
_NINE = re.compile(r"(?<!\d)\d{9}(?!\d)")
_POSTCODE = re.compile(r"\b[1-9]\d{3}\s?[A-Z]{2}\b")
_STREET = re.compile(
    r"\b[A-Z][\w'-]*(?:straat|laan|weg|plein|kade|gracht|singel|dijk|pad|hof|park|dreef|steeg|"
    r"markt|erf|ring|baan|hout|veld|wal|zijde|burcht)\s+\d{1,4}(?:\s?[a-zA-Z](?![\w]))?(?:[-/]\d+)?",
)
_NAME_PART = r"(?:[A-Z][\w'.-]*|van|de|der|den|ter|te|el)"
_GREETING = re.compile(
    r"((?i:(?:met\s+)?(?:vriendelijke\s+)?groet(?:en)?|groetjes|hoogachtend|kind regards))"
    rf"([,.]?[ \t]*\n?[ \t]*)({_NAME_PART}(?:[ \t]+{_NAME_PART}){{0,4}})"
)
_ANY_WORD = re.compile(r"\w+")
_WORD = re.compile(r"[^\W\d_][\w'-]*")
_PARTICLES = frozenset(
    {"van", "de", "der", "den", "het", "ter", "te", "ten", "in", "op", "el", "al", "la", "le",
     "du", "da", "di", "dos", "bin", "ben", "mevrouw", "meneer", "dhr", "mw", "mr", "dr"}
)  # fmt: skip


def is_bsn(digits: str) -> bool:
    """Whether nine digits pass the BSN eleven-test (elfproef)."""
    if len(digits) != 9 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True))
    return (total - int(digits[8])) % 11 == 0 and digits != "000000000"


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


class Scrubber:
    """Replaces personal data in texts with placeholders in the report's language."""

    def __init__(self, parties: Iterable[Party] = (), lang: str = "nl") -> None:
        self.placeholders = PLACEHOLDERS["en" if lang == "en" else "nl"]
        names: set[str] = set()
        literal: dict[str, str] = {}
        phones: set[str] = set()
        for party in parties:
            if party.name:
                literal[party.name] = "name"
                names.update(
                    part
                    for part in re.findall(r"[\w'-]+", party.name)
                    if len(part) > 2 and part.lower() not in _PARTICLES and part[0].isupper()
                )
            if party.email:
                literal[party.email] = "email"
            if party.address:
                literal[party.address] = "address"
                literal[party.address.split(",")[0].strip()] = "address"
            if party.phone and len(_digits(party.phone)) >= 6:
                phones.add(_digits(party.phone))
        self._literals: dict[str, list[tuple[str, str]]] = {}
        for text, kind in literal.items():
            folded = text.strip().lower()
            first = _ANY_WORD.search(folded)
            if first is not None:
                self._literals.setdefault(first.group(), []).append((folded, kind))
        for options in self._literals.values():
            options.sort(key=lambda option: -len(option[0]))
        self._names = frozenset(names)
        self._phones = phones

    def __call__(self, text: str) -> str:
        """``text`` with every piece of personal data it recognises replaced."""
        p = self.placeholders
        if self._literals:
            text = self._known_literals(text)
        text = _EMAIL.sub(p["email"], text)
        text = _BSN_AFTER.sub(lambda m: m.group(1) + m.group(2) + p["bsn"], text)
        text = _NINE.sub(lambda m: p["bsn"] if is_bsn(m.group()) else m.group(), text)
        text = _PHONE.sub(p["phone"], text)
        if self._phones:
            text = self._known_phones(text)
        text = _STREET.sub(p["address"], text)
        text = _POSTCODE.sub(p["address"], text)
        text = _GREETING.sub(lambda m: m.group(1) + m.group(2) + p["name"], text)
        if self._names:
            text = _WORD.sub(lambda m: p["name"] if m.group() in self._names else m.group(), text)
        return text

    def _known_literals(self, text: str) -> str:
        """The known parties' names, e-mail addresses and addresses, in any case."""
        lower = text.lower()
        found: list[tuple[int, int, str]] = []
        end = 0
        for word in _ANY_WORD.finditer(lower):
            if word.start() < end:
                continue
            for literal, kind in self._literals.get(word.group(), ()):
                if lower.startswith(literal, word.start()):
                    end = word.start() + len(literal)
                    found.append((word.start(), end, kind))
                    break
        for start, stop, kind in reversed(found):
            text = text[:start] + self.placeholders[kind] + text[stop:]
        return text

    def _known_phones(self, text: str) -> str:
        """Known phone numbers written with any spacing or dashes."""
        for found in list(re.finditer(r"\+?\d[\d\s-]{5,16}\d", text))[::-1]:
            if _digits(found.group()) in self._phones:
                text = text[: found.start()] + self.placeholders["phone"] + text[found.end() :]
        return text

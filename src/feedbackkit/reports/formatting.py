"""Numbers, shares and dates written the way a Dutch (or English) reader expects (Babel)."""

from __future__ import annotations

from datetime import date

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

from feedbackkit.reports.messages import check_lang

__all__ = ["LOCALES", "Formatter"]

LOCALES = {"nl": "nl_NL", "en": "en_GB"}
"""The Babel locale of each report language."""


class Formatter:
    """Formats values for one report language: ``7,5`` and ``12 maart 2024`` in Dutch."""

    def __init__(self, lang: str = "nl") -> None:
        self.locale = LOCALES[check_lang(lang)]

    def number(self, value: float, digits: int = 1) -> str:
        """``value`` with at most ``digits`` decimals and grouped thousands."""
        pattern = "#,##0." + "#" * digits if digits else "#,##0"
        return str(format_decimal(value, format=pattern, locale=self.locale))

    def share(self, value: float) -> str:
        """A fraction (0..1) as a whole percentage."""
        return str(format_percent(value, format="#,##0%", locale=self.locale))

    def day(self, value: date) -> str:
        """A date written out: ``12 maart 2024``."""
        return str(format_date(value, format="long", locale=self.locale))

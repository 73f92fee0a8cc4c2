"""The pieces the learning pages share (agenda, spotlight, report): quotes, golden
complaints, theme rows and actions written out in the page's language.

Every page is a :class:`~feedbackkit.reports.Report` of the ``learning`` template family
(``reports/templates/learning.*.j2`` picks the page by ``content.page``). A public page
shows customers' words only after :class:`~feedbackkit.learning.privacy.Scrubber` has
removed personal data, and leaves out case numbers and staff names.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from datetime import date, datetime

import attrs

from feedbackkit.errors import ValidationError
from feedbackkit.learning.emotion import default_lexicon
from feedbackkit.learning.golden import Golden, Signal
from feedbackkit.learning.models import ImprovementAction
from feedbackkit.learning.privacy import Scrubber
from feedbackkit.learning.quotes import Quote
from feedbackkit.learning.taxonomy import Taxonomy
from feedbackkit.models import CaseRecord, Party
from feedbackkit.reports.formatting import Formatter
from feedbackkit.reports.messages import Messages, messages
from feedbackkit.vocabulary import label

__all__ = [
    "FAMILY",
    "ActionView",
    "GoldenView",
    "QuoteView",
    "Texts",
    "ThemeRow",
    "distinct_golden",
    "staff_and_parties",
    "theme_rows",
]

FAMILY = "learning"
"""The report family (templates and texts) of every learning page."""


@attrs.frozen
class QuoteView:
    text: str
    emotion: str
    kind: str
    day: str
    reference: str | None


@attrs.frozen
class GoldenView:
    quote: str
    reasons: tuple[str, ...]
    kind: str
    day: str
    flagged: bool
    reference: str | None


@attrs.frozen
class ThemeRow:
    code: str
    label: str
    count: int
    previous: int
    trend: str
    """``new``, ``rising``, ``falling`` or ``steady``."""
    trend_text: str


@attrs.frozen
class ActionView:
    title: str
    target_group: str
    status: str
    due: str | None
    overdue: bool
    themes: tuple[str, ...]
    cases: int
    change_made: str | None
    owner: str | None
    """Left out of public pages."""
    effect: str | None = None
    told: int = 0
    """Customers told "you said, we did" (sent or as a task)."""


class Texts:
    """Texts, numbers and labels of one page in one language; scrubs on a public page."""

    def __init__(
        self,
        lang: str,
        taxonomy: Taxonomy,
        *,
        public: bool = False,
        parties: Iterable[Party] = (),
    ) -> None:
        self.lang = lang
        self.t: Messages = messages(FAMILY, lang)
        self.f = Formatter(lang)
        self.taxonomy = taxonomy
        self.public = public
        self.scrub: Callable[[str], str] = (
            Scrubber(parties, lang) if public else (lambda text: text)
        )

    def theme(self, code: str) -> str:
        try:
            return self.taxonomy.theme(code).label(self.lang)
        except ValidationError:
            return code

    def emotion(self, code: str) -> str:
        category = default_lexicon().categories.get(code)
        return code if category is None else category.label(self.lang)

    def kind(self, kind: str) -> str:
        return label(kind, self.lang)

    def day(self, moment: datetime | date) -> str:
        return self.f.day(moment.date() if isinstance(moment, datetime) else moment)

    def reference(self, reference: str | None) -> str | None:
        return None if self.public else reference

    def signal(self, signal: Signal) -> str:
        t = self.t
        if signal.code == "emotion":
            return t("signal_emotion", emotion=self.emotion(signal.detail))
        if signal.code == "systemic":
            return t("signal_systemic", words=signal.detail)
        if signal.code == "rare_theme":
            return t(
                "signal_rare_theme", theme=self.theme(signal.detail), count=int(signal.value or 0)
            )
        if signal.code == "flagged":
            return t("signal_flagged", reason=self.scrub(signal.detail))
        return t(f"signal_{signal.code}")

    def quote(self, quote: Quote) -> QuoteView:
        return QuoteView(
            text=self.scrub(quote.text),
            emotion=self.emotion(quote.category),
            kind=self.kind(quote.kind),
            day=self.day(quote.received_at),
            reference=self.reference(quote.reference),
        )

    def golden(self, golden: Golden) -> GoldenView:
        return GoldenView(
            quote=self.scrub(golden.quote),
            reasons=tuple(self.signal(s) for s in golden.signals),
            kind=self.kind(golden.kind),
            day=self.day(golden.received_at),
            flagged=golden.flagged,
            reference=self.reference(golden.reference),
        )

    def action(
        self, action: ImprovementAction, today: date, effect: str | None = None
    ) -> ActionView:
        return ActionView(
            title=self.scrub(action.title),
            target_group=action.target_group,
            status=self.t(f"status_{action.status.value}"),
            due=None if action.due is None else self.day(action.due),
            overdue=action.overdue(today),
            themes=tuple(self.theme(code) for code in action.themes),
            cases=len(action.cases),
            change_made=None if action.change_made is None else self.scrub(action.change_made),
            owner=None if self.public else action.owner,
            effect=effect,
            told=sum(1 for n in action.notices if n.via != "none"),
        )


def distinct_golden(items: Iterable[Golden], limit: int) -> list[Golden]:
    """Up to ``limit`` golden complaints with different quotes (flagged ones always)."""
    chosen: list[Golden] = []
    seen: set[str] = set()
    for golden in items:
        if golden.flagged or golden.quote not in seen:
            chosen.append(golden)
            seen.add(golden.quote)
        if len(chosen) == limit:
            break
    return chosen


def theme_rows(texts: Texts, now: Counter[str], before: Counter[str]) -> tuple[ThemeRow, ...]:
    """Every theme counted now or before, most frequent now first, with its trend."""
    rows = []
    for code in sorted({*now, *before}, key=lambda c: (-now[c], -before[c], c)):
        count, previous = now[code], before[code]
        if count and not previous:
            trend = "new"
        elif count >= 3 and count >= 1.5 * previous:
            trend = "rising"
        elif previous >= 3 and count <= previous / 1.5:
            trend = "falling"
        else:
            trend = "steady"
        rows.append(
            ThemeRow(code, texts.theme(code), count, previous, trend, texts.t(f"trend_{trend}"))
        )
    return tuple(rows)


def staff_and_parties(records: Iterable[CaseRecord]) -> list[Party]:
    """Everyone named in ``records``: their parties, and the staff who received, handled
    or acted on them (as nameless-but-for-the-name parties), for a public page's scrubber."""
    found: dict[object, Party] = {}
    staff: set[str] = set()
    for record in records:
        for party in record.parties:
            found.setdefault(party.id, party)
        if record.feedback.received_by:
            staff.add(record.feedback.received_by)
        staff.update(event.actor for event in record.events)
        for event in record.events:
            staff.update(
                str(value)
                for key, value in event.payload.items()
                if key in ("handler", "ambassador") and isinstance(value, str)
            )
    return [*found.values(), *(Party(name=name) for name in sorted(staff))]

"""What a demo data set holds: counts by kind and channel, deadlines, relationship outcomes.

:class:`Summary` is filled one case at a time (so it works on a stream) and
rendered in Dutch (default) or English for ``feedbackkit demo``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import date
from enum import StrEnum
from typing import TypeVar

import attrs

from feedbackkit.deadlines import Deadline, DeadlineStatus
from feedbackkit.demo.generator import group_of
from feedbackkit.demo.places import dutch_date
from feedbackkit.models import CaseRecord
from feedbackkit.storage.protocol import IngestReport
from feedbackkit.vocabulary import (
    Channel,
    Form,
    Initiative,
    Kind,
    LinkType,
    Origin,
    Relationship,
    label,
)
from feedbackkit.workflow.case import CaseState

__all__ = ["Summary"]

E = TypeVar("E", bound=StrEnum)

_TEXT: dict[str, tuple[str, str]] = {
    "cases": ("{n} zaken in {year} (seed {seed})", "{n} cases in {year} (seed {seed})"),
    "stored": (
        "{inserted} nieuw opgeslagen, {skipped} waren er al",
        "{inserted} newly stored, {skipped} already present",
    ),
    "as_of": ("Stand per {day}", "As of {day}"),
    "kind": ("Soort", "Kind"),
    "channel": ("Kanaal", "Channel"),
    "mix": ("Herkomst en vorm", "Origin and form"),
    "deadlines": ("Termijnen", "Deadlines"),
    "late": ("Zaken met een gemiste termijn", "Cases with a missed deadline"),
    "open": ("Zaken nog in behandeling", "Cases still open"),
    "outcomes": (
        "Relatie na afhandeling ({n} antwoorden)",
        "Relationship after handling ({n} answers)",
    ),
    "handling": (
        "Gemiddelde tevredenheid over de behandeling (1-5)",
        "Average satisfaction with the handling (1-5)",
    ),
    "groups": ("Groepen met hetzelfde probleem", "Same-problem groups"),
    "group_cases": ("{n} zaken", "{n} cases"),
    "escalations": (
        "Herhaalde meldingen die een klacht werden",
        "Repeat reports that became complaints",
    ),
}


def _text(key: str, lang: str, **values: object) -> str:
    nl, en = _TEXT[key]
    return (en if lang == "en" else nl).format(**values)


@attrs.define
class Summary:
    """Counts over the cases added with :meth:`add`, as of the day deadlines are computed for."""

    seed: int
    year: int
    as_of: date
    cases: int = 0
    inserted: int = 0
    skipped: int = 0
    """What storing the cases did (see :meth:`stored`)."""
    kinds: Counter[Kind] = attrs.Factory(Counter)
    channels: Counter[Channel] = attrs.Factory(Counter)
    mix: Counter[StrEnum] = attrs.Factory(Counter)
    """Reactive/proactive, external/internal, written/oral."""
    deadlines: Counter[DeadlineStatus] = attrs.Factory(Counter)
    late_cases: int = 0
    open_cases: int = 0
    outcomes: Counter[Relationship] = attrs.Factory(Counter)
    handling_total: int = 0
    handling_answers: int = 0
    """Sum and number of the satisfaction-with-handling scores (1-5)."""
    groups: Counter[int] = attrs.Factory(Counter)
    escalations: int = 0

    def add(self, record: CaseRecord, state: CaseState, deadlines: Iterable[Deadline]) -> None:
        """Count one case with its derived state and its deadlines as of :attr:`as_of`."""
        feedback = record.feedback
        self.cases += 1
        self.kinds[feedback.kind] += 1
        self.channels[feedback.channel] += 1
        self.mix.update((feedback.initiative, feedback.origin, feedback.form))
        statuses = [d.status for d in deadlines]
        self.deadlines.update(statuses)
        self.late_cases += DeadlineStatus.MISSED in statuses
        self.open_cases += not state.done
        for outcome in record.outcomes:
            self.outcomes[outcome.relationship] += 1
            if outcome.satisfaction_handling is not None:
                self.handling_total += outcome.satisfaction_handling
                self.handling_answers += 1
        group = group_of(feedback)
        if group is not None:
            self.groups[group] += 1
        self.escalations += any(link.type is LinkType.ESCALATED_FROM for link in feedback.links)

    def stored(self, report: IngestReport) -> None:
        """Count what one ingest did: cases inserted and cases already present."""
        self.inserted += report.inserted
        self.skipped += report.skipped

    def render(self, lang: str = "nl") -> str:
        """The summary as text: Dutch (``nl``, default) or English (``en``)."""
        day = dutch_date(self.as_of) if lang != "en" else self.as_of.isoformat()
        lines = [
            _text("cases", lang, n=self.cases, year=self.year, seed=self.seed)
            + f": {_text('stored', lang, inserted=self.inserted, skipped=self.skipped)}",
            _text("as_of", lang, day=day),
            "",
            _text("kind", lang),
            *self._rows(self.kinds, Kind, lang),
            "",
            _text("channel", lang),
            *self._rows(self.channels, Channel, lang),
            "",
            _text("mix", lang),
            *(
                row
                for pair in (Initiative, Origin, Form)
                for row in self._rows(self.mix, pair, lang, self.cases)
            ),
            "",
            _text("deadlines", lang),
            *(
                _row(status.label(lang), self.deadlines[status], sum(self.deadlines.values()))
                for status in DeadlineStatus
                if self.deadlines[status]
            ),
            _row(_text("late", lang), self.late_cases, self.cases),
            _row(_text("open", lang), self.open_cases, self.cases),
            "",
            _text("outcomes", lang, n=sum(self.outcomes.values())),
            *self._rows(self.outcomes, Relationship, lang),
        ]
        if self.handling_answers:
            mean = self.handling_total / self.handling_answers
            shown = f"{mean:.1f}" if lang == "en" else f"{mean:.1f}".replace(".", ",")
            lines.append(f"  {_text('handling', lang)}: {shown}")
        lines += [
            "",
            f"{_text('groups', lang)}: {len(self.groups)} "
            f"({_text('group_cases', lang, n=sum(self.groups.values()))})",
            f"{_text('escalations', lang)}: {self.escalations}",
        ]
        return "\n".join(lines)

    @staticmethod
    def _rows(
        counts: Mapping[E, int], order: Iterable[E], lang: str, total: int | None = None
    ) -> list[str]:
        """One row per value that occurs, largest first (ties in ``order``)."""
        total = sum(counts.values()) if total is None else total
        ranked = sorted((v for v in order if counts.get(v)), key=lambda v: -counts[v])
        return [_row(label(value, lang), counts[value], total) for value in ranked]


def _row(name: str, count: int, total: int) -> str:
    share = f"{100 * count / total:.0f}%" if total else "-"
    return f"  {name:<44} {count:>8}  {share:>4}"

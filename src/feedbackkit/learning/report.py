"""The learning report: what customers told us in a period and what we learned from it.

Fewer counts and lead times, more anecdotes and quotes in which emotion leads (ICTU;
Gouden Oor "Leren & innoveren", domain.md §4). In order: golden complaints and service
recovery stories, customers' own words, emotions, themes and their trend, improvement
actions and their effect, the relationship outcome over the months, and the counts —
as context only, at the end.

Two variants: internal (case numbers, owners) and public (``public=True``): personal
data is removed from every quote (:mod:`feedbackkit.learning.privacy`), and case
numbers and staff names are left out.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

import attrs
from babel.dates import format_date

from feedbackkit.learning.loop import Learning
from feedbackkit.learning.models import ActionStatus, ImprovementAction, RecoveryStatus
from feedbackkit.learning.period import Period
from feedbackkit.learning.quotes import emotion_profile, emotion_quotes
from feedbackkit.learning.themes import theme_counts
from feedbackkit.learning.views import (
    FAMILY,
    ActionView,
    GoldenView,
    QuoteView,
    Texts,
    ThemeRow,
    distinct_golden,
    staff_and_parties,
    theme_rows,
)
from feedbackkit.models import CaseRecord
from feedbackkit.reports import Bar, Legend, Report, bar_chart, render
from feedbackkit.reports.formatting import LOCALES
from feedbackkit.storage.protocol import Query
from feedbackkit.vocabulary import Relationship

__all__ = ["EFFECT_DAYS", "LearningReport", "learning_report", "write_learning_reports"]

EFFECT_DAYS = 30
"""Feedback on an action's themes is counted this many days before and after it was done."""


@attrs.frozen
class RecoveryStory:
    quote: str
    reference: str | None
    affected: int
    contacted: int
    recovered: int
    declined: int


@attrs.frozen
class EmotionRow:
    label: str
    count: int
    previous: int


@attrs.frozen
class MonthRow:
    label: str
    answers: int
    share: float
    """Share of answers: relationship stronger."""
    stronger: str
    unchanged: str
    weaker: str


@attrs.frozen
class CountRow:
    label: str
    count: int


@attrs.frozen
class LearningReport:
    page: str
    title: str
    period: str
    previous_period: str
    public: bool
    anecdotes: tuple[GoldenView, ...]
    recoveries: tuple[RecoveryStory, ...]
    quotes: tuple[QuoteView, ...]
    praise: tuple[QuoteView, ...]
    emotions: tuple[EmotionRow, ...]
    emotions_chart: str | None
    themes: tuple[ThemeRow, ...]
    themes_chart: str | None
    actions_done: tuple[ActionView, ...]
    actions_open: tuple[ActionView, ...]
    relationship: tuple[MonthRow, ...]
    relationship_chart: str | None
    received: int
    kinds: tuple[CountRow, ...]


def learning_report(
    learning: Learning,
    period: Period,
    *,
    lang: str = "nl",
    public: bool = False,
    today: date | None = None,
    limit: int = 8,
) -> Report:
    """The learning report over ``period``, compared with the period before it. Stores
    theme suggestions for cases of both periods that have none yet."""
    today = today or learning.kit.clock.now().date()
    previous = period.previous()
    store = learning.kit.store
    records = learning.records(period.query())
    before = learning.records(previous.query())
    learning.assign_suggested(items=[r.feedback for r in records])
    learning.assign_suggested(items=[r.feedback for r in before])
    actions = [a for a in learning.actions() if a.status is not ActionStatus.DROPPED]
    action_records = [store.record(c) for a in actions for c in a.cases]
    texts = Texts(
        lang,
        learning.taxonomy,
        public=public,
        parties=staff_and_parties([*records, *before, *action_records]) if public else (),
    )
    t = texts.t
    emotions = learning.emotions(records)
    emotions_before = learning.emotions(before)
    now_themes = theme_counts(store, [r.feedback.id for r in records])
    rows = theme_rows(texts, now_themes, theme_counts(store, [r.feedback.id for r in before]))
    legend = Legend(value=t("legend_now", period=period.label), previous=t("legend_previous"))

    profile, profile_before = (
        emotion_profile(emotions.values()),
        emotion_profile(emotions_before.values()),
    )
    emotion_rows = tuple(
        EmotionRow(texts.emotion(code), profile[code], profile_before[code])
        for code in sorted(profile, key=lambda c: (-profile[c], c))
    )
    done = [a for a in actions if a.done_at is not None and period.contains(a.done_at.date())]
    open_ = [a for a in actions if a.status in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)]
    content = LearningReport(
        page="report",
        title=t("report_title_public" if public else "report_title"),
        period=t("period_span", start=texts.day(period.start), end=texts.day(period.last)),
        previous_period=t(
            "period_span", start=texts.day(previous.start), end=texts.day(previous.last)
        ),
        public=public,
        anecdotes=tuple(
            texts.golden(g)
            for g in distinct_golden(
                learning.golden(period.query(), records=records, emotions=emotions), 5
            )
        ),
        recoveries=_recoveries(learning, texts, records),
        quotes=tuple(
            texts.quote(q) for q in emotion_quotes(records, emotions, limit=limit, positive=False)
        ),
        praise=tuple(
            texts.quote(q)
            for q in emotion_quotes(records, emotions, limit=limit // 2, positive=True)
        ),
        emotions=emotion_rows,
        emotions_chart=_chart(
            t("chart_emotions"), [(r.label, r.count, r.previous) for r in emotion_rows], legend
        ),
        themes=rows[:12],
        themes_chart=_chart(
            t("chart_themes"), [(r.label, r.count, r.previous) for r in rows], legend
        ),
        actions_done=tuple(texts.action(a, today, _effect(learning, texts, a)) for a in done),
        actions_open=tuple(texts.action(a, today) for a in open_),
        relationship=(months := _months(texts, [*before, *records])),
        relationship_chart=_relationship_chart(texts, months),
        received=len(records),
        kinds=tuple(
            CountRow(texts.kind(kind), count)
            for kind, count in Counter(r.feedback.kind.value for r in records).most_common()
        ),
    )
    return Report(template=FAMILY, title=content.title, content=content, data=content, lang=lang)


def _chart(title: str, rows: Sequence[tuple[str, int, int]], legend: Legend) -> str | None:
    """Bars of (label, count now, count before) for the first ten rows; ``None`` when empty."""
    rows = rows[:10]
    if not any(now or before for _, now, before in rows):
        return None
    top = max(max(now, before) for _, now, before in rows)
    bars = [Bar(label, now, top, str(now), previous=before) for label, now, before in rows]
    return bar_chart(bars, title, legend)


def _recoveries(
    learning: Learning, texts: Texts, records: Sequence[CaseRecord]
) -> tuple[RecoveryStory, ...]:
    """Service recovery started from the period's cases, largest first."""
    by_id = {r.feedback.id: r for r in records}
    groups: dict[uuid.UUID, list[RecoveryStatus]] = {}
    for recovery in learning.recoveries():
        if recovery.source_id in by_id:
            groups.setdefault(recovery.source_id, []).append(recovery.status)
    stories = []
    for source_id, statuses in sorted(groups.items(), key=lambda g: -len(g[1])):
        feedback = by_id[source_id].feedback
        count = Counter(statuses)
        stories.append(
            RecoveryStory(
                quote=texts.scrub(" ".join(feedback.text.split())[:280]),
                reference=texts.reference(feedback.reference),
                affected=len(statuses),
                contacted=count[RecoveryStatus.CONTACTED],
                recovered=count[RecoveryStatus.RECOVERED],
                declined=count[RecoveryStatus.DECLINED],
            )
        )
    return tuple(stories[:5])


def _effect(learning: Learning, texts: Texts, action: ImprovementAction) -> str | None:
    """Feedback on the action's themes in the days before and after it was done."""
    if not action.themes or action.done_at is None:
        return None
    span = timedelta(days=EFFECT_DAYS)
    windows = [
        Query(received_from=action.done_at - span, received_until=action.done_at),
        Query(received_from=action.done_at, received_until=action.done_at + span),
    ]
    counts = []
    for window in windows:
        learning.assign_suggested(window)
        ids = [s.case_id for s in learning.kit.store.query(window)]
        themes = learning.case_themes(ids)
        counts.append(sum(1 for found in themes.values() if set(found) & set(action.themes)))
    return texts.t("effect", before=counts[0], after=counts[1], days=EFFECT_DAYS)


def _months(texts: Texts, records: Sequence[CaseRecord]) -> tuple[MonthRow, ...]:
    """The relationship outcomes of ``records`` by the month the feedback was received."""
    by_month: dict[date, Counter[Relationship]] = {}
    for record in records:
        received = record.feedback.received_at
        month = date(received.year, received.month, 1)
        for outcome in record.outcomes:
            by_month.setdefault(month, Counter())[outcome.relationship] += 1
    rows = []
    for month in sorted(by_month):
        count = by_month[month]
        total = sum(count.values())
        rows.append(
            MonthRow(
                label=str(format_date(month, "LLL yyyy", locale=LOCALES[texts.lang])),
                answers=total,
                share=count[Relationship.STRONGER] / total,
                stronger=texts.f.share(count[Relationship.STRONGER] / total),
                unchanged=texts.f.share(count[Relationship.UNCHANGED] / total),
                weaker=texts.f.share(count[Relationship.WEAKER] / total),
            )
        )
    return tuple(rows)


def _relationship_chart(texts: Texts, months: Sequence[MonthRow]) -> str | None:
    if not months:
        return None
    bars = [
        Bar(
            m.label,
            m.share,
            1.0,
            texts.t("chart_relationship_bar", stronger=m.stronger, weaker=m.weaker, n=m.answers),
        )
        for m in months
    ]
    return bar_chart(bars, texts.t("chart_relationship"), Legend(value=texts.t("legend_stronger")))


def write_learning_reports(
    learning: Learning,
    period: Period,
    folder: Path,
    *,
    lang: str = "nl",
    formats: tuple[str, ...] = ("html", "md"),
) -> tuple[Path, ...]:
    """Write the internal (``learning.*``) and public (``learning-public.*``) learning
    reports over ``period`` into ``folder`` (``feedbackkit demo`` does this for the last
    quarter of its year); the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    renderers = learning.kit.plugins.renderers()
    written = []
    for public, name in ((False, "learning"), (True, "learning-public")):
        built = learning_report(learning, period, lang=lang, public=public)
        for fmt in formats:
            path = folder / f"{name}.{fmt}"
            path.write_bytes(render(renderers, built, fmt))
            written.append(path)
    return tuple(written)

"""The agenda of the improvement meeting (verbeteroverleg): what to talk about and decide.

A high-frequency improvement meeting asks each time what can be improved from feedback
and how (ICTU, domain.md §4). :func:`agenda` prepares it from the feedback received
since the last meeting: new and rising themes, clusters across kinds and channels,
golden complaints, actions overdue or open, and quotes in which emotion leads. The
decisions are recorded back as improvement actions (``kit.learning.add_action`` or
``feedbackkit learn action add``).
"""

from __future__ import annotations

from datetime import date

import attrs

from feedbackkit.learning.loop import Learning
from feedbackkit.learning.models import ActionStatus
from feedbackkit.learning.period import Period
from feedbackkit.learning.quotes import emotion_quotes
from feedbackkit.learning.themes import ThemeCluster, theme_counts
from feedbackkit.learning.views import (
    FAMILY,
    ActionView,
    GoldenView,
    QuoteView,
    Texts,
    ThemeRow,
    distinct_golden,
    theme_rows,
)
from feedbackkit.reports import Report

__all__ = ["Agenda", "ClusterView", "agenda"]


@attrs.frozen
class ClusterView:
    keywords: tuple[str, ...]
    size: int
    spread: str
    """Kinds and channels it came through, e.g. ``Melding 12, Klacht 3 · App 8, ...``."""
    example: str
    reference: str | None


@attrs.frozen
class Agenda:
    page: str
    title: str
    period: str
    received: int
    themes: tuple[ThemeRow, ...]
    """New and rising themes."""
    clusters: tuple[ClusterView, ...]
    golden: tuple[GoldenView, ...]
    overdue: tuple[ActionView, ...]
    open: tuple[ActionView, ...]
    quotes: tuple[QuoteView, ...]
    recoveries_open: int
    origin: str
    """Suggested ``--origin`` of the actions decided."""


def _cluster(texts: Texts, cluster: ThemeCluster, learning: Learning) -> ClusterView:
    kinds = ", ".join(f"{texts.kind(k)} {n}" for k, n in cluster.kinds.items())
    channels = ", ".join(f"{texts.kind(c)} {n}" for c, n in list(cluster.channels.items())[:4])
    example = learning.kit.store.feedback(cluster.exemplar)
    return ClusterView(
        keywords=cluster.keywords[:6],
        size=cluster.size,
        spread=f"{kinds} · {channels}",
        example=" ".join(example.text.split())[:280],
        reference=example.reference,
    )


def agenda(
    learning: Learning,
    period: Period,
    *,
    today: date | None = None,
    lang: str = "nl",
    limit: int = 6,
) -> Report:
    """The agenda for the feedback received in ``period`` (compared with the period of the
    same length before it). Stores theme suggestions for cases that have none yet."""
    today = today or learning.kit.clock.now().date()
    texts = Texts(lang, learning.taxonomy)
    query = period.query()
    records = learning.records(query)
    before = learning.records(period.previous().query())
    learning.assign_suggested(items=[r.feedback for r in records])
    learning.assign_suggested(items=[r.feedback for r in before])
    ids = [r.feedback.id for r in records]
    previous_ids = [r.feedback.id for r in before]
    store = learning.kit.store
    rows = theme_rows(texts, theme_counts(store, ids), theme_counts(store, previous_ids))
    emotions = learning.emotions(records)
    golden = learning.golden(query, records=records, emotions=emotions)
    actions = learning.actions()
    open_ = [a for a in actions if a.status in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)]
    source_ids = set(ids)
    recoveries = [
        r for r in learning.recoveries() if r.source_id in source_ids and r.status == "to_contact"
    ]
    content = Agenda(
        page="agenda",
        title=texts.t("agenda_title"),
        period=texts.t("period_span", start=texts.day(period.start), end=texts.day(period.last)),
        received=len(records),
        themes=tuple(r for r in rows if r.trend in ("new", "rising"))[: 2 * limit],
        clusters=tuple(_cluster(texts, c, learning) for c in learning.clusters(query)[:limit]),
        golden=tuple(texts.golden(g) for g in distinct_golden(golden, limit)),
        overdue=tuple(texts.action(a, today) for a in open_ if a.overdue(today)),
        open=tuple(texts.action(a, today) for a in open_ if not a.overdue(today)),
        quotes=tuple(texts.quote(q) for q in emotion_quotes(records, emotions, limit=limit)),
        recoveries_open=len(recoveries),
        origin=f"verbeteroverleg {today.isoformat()}",
    )
    return Report(template=FAMILY, title=content.title, content=content, data=content, lang=lang)

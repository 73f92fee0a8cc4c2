"""The learning loop on a :class:`~feedbackkit.service.FeedbackKit`: ``kit.learning``.

Themes stored for new feedback, clusters across kinds and channels, service recovery
for the customers affected by one case's problem, golden complaints, quotes in which
emotion leads, and improvement actions that end in a "you said, we did" message.
Reports on top of it are in :mod:`feedbackkit.learning.agenda`,
:mod:`~feedbackkit.learning.spotlight` and :mod:`~feedbackkit.learning.report`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any

import attrs

from feedbackkit.errors import NotFoundError, ValidationError
from feedbackkit.learning.actions import tell
from feedbackkit.learning.golden import Golden, GoldenRules, default_rules, golden_complaints
from feedbackkit.learning.models import (
    ActionStatus,
    GoldenFlag,
    ImprovementAction,
    Recovery,
    RecoveryStatus,
    ThemeAssignment,
    ThemeSource,
)
from feedbackkit.learning.quotes import Quote, emotion_quotes
from feedbackkit.learning.recovery import Affected, find_affected
from feedbackkit.learning.taxonomy import Taxonomy, default_taxonomy
from feedbackkit.learning.text import EmotionScore, TextAnalyzer, text_analyzer
from feedbackkit.learning.themes import (
    ThemeCluster,
    case_themes,
    clusters,
    suggested_assignments,
)
from feedbackkit.models import CaseRecord, Feedback, Link
from feedbackkit.ports import Notifier
from feedbackkit.storage.protocol import Query
from feedbackkit.vocabulary import LinkType

if TYPE_CHECKING:
    from feedbackkit.service import FeedbackKit

__all__ = ["SYSTEM_ACTOR", "Learning"]

SYSTEM_ACTOR = "feedbackkit"
"""Who stores suggestions: the learning loop itself."""


class Learning:
    """The learning loop of one :class:`~feedbackkit.service.FeedbackKit`.

    ``analyzer`` defaults to the preferred registered text analyser (the ``tfidf``
    plugin when installed, else the built-in ``overlap``); ``notifier`` overrides the
    organisation's configured one for "you said, we did" messages (none configured: the
    messages become tasks on the cases).
    """

    def __init__(
        self,
        kit: FeedbackKit,
        *,
        analyzer: TextAnalyzer | None = None,
        taxonomy: Taxonomy | None = None,
        rules: GoldenRules | None = None,
        notifier: Notifier | None = None,
    ) -> None:
        self.kit = kit
        self._analyzer = analyzer
        self.taxonomy = taxonomy or default_taxonomy()
        self.rules = rules or default_rules()
        self._notifier = notifier

    @cached_property
    def analyzer(self) -> TextAnalyzer:
        return self._analyzer or text_analyzer(self.kit.plugins)

    def _now(self) -> datetime:
        return self.kit.clock.now()

    def records(self, query: Query) -> list[CaseRecord]:
        return list(self.kit.store.records(query))

    def feedback(self, query: Query) -> list[Feedback]:
        """The feedback of the matching cases (without their histories: faster)."""
        return list(self.kit.store.feedback_items(query))

    def emotions(self, records: Iterable[CaseRecord]) -> dict[uuid.UUID, EmotionScore]:
        """The emotion of each record's text."""
        return {r.feedback.id: self.analyzer.emotion(r.feedback.text) for r in records}

    # -- themes -------------------------------------------------------------------------

    def assign_suggested(
        self,
        query: Query | None = None,
        *,
        items: Sequence[Feedback] | None = None,
        limit: int = 2,
    ) -> int:
        """Store theme suggestions for the matching cases (or the feedback ``items``) that
        have no theme yet; how many cases got one."""
        items = self.feedback(query or Query()) if items is None else items
        have = {a.case_id for a in self.kit.store.themes(f.id for f in items)}
        new = [f for f in items if f.id not in have]
        assignments = suggested_assignments(
            new, self.analyzer, self.taxonomy, at=self._now(), actor=SYSTEM_ACTOR, limit=limit
        )
        self.kit.store.put_themes(assignments)
        return len({a.case_id for a in assignments})

    def assign_theme(self, case_id: uuid.UUID, code: str, *, actor: str) -> ThemeAssignment:
        """Put theme ``code`` (of the taxonomy) on a case by hand."""
        self.taxonomy.theme(code)
        assignment = ThemeAssignment(case_id, code, ThemeSource.MANUAL, self._now(), actor)
        self.kit.store.put_themes([assignment])
        return assignment

    def reject_theme(self, case_id: uuid.UUID, code: str, *, actor: str) -> ThemeAssignment:
        """Record that theme ``code`` does not fit a case (typically a suggestion): the
        case no longer counts under it and it is not suggested again; assigning it by
        hand later counts again."""
        self.taxonomy.theme(code)
        assignment = ThemeAssignment(case_id, code, ThemeSource.REJECTED, self._now(), actor)
        self.kit.store.put_themes([assignment])
        return assignment

    def themes(self, case_id: uuid.UUID) -> tuple[ThemeAssignment, ...]:
        self.kit.store.case_state(case_id)
        return self.kit.store.themes([case_id])

    def case_themes(self, case_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, tuple[str, ...]]:
        """The themes each case counts under (manual before suggested)."""
        return case_themes(self.kit.store.themes(case_ids))

    def clusters(self, query: Query, *, minimum: int = 3) -> tuple[ThemeCluster, ...]:
        """What the matching feedback is about, across kinds and channels."""
        return clusters(self.feedback(query), self.analyzer, minimum=minimum)

    # -- service recovery ---------------------------------------------------------------

    def affected(
        self, case_id: uuid.UUID, *, days: int = 30, k: int = 20, min_score: float = 0.1
    ) -> tuple[Affected, ...]:
        """Other customers' cases likely about the same problem (nothing is stored)."""
        return find_affected(
            self.kit.store, self.analyzer, case_id, days=days, k=k, min_score=min_score
        )

    def recover(
        self,
        case_id: uuid.UUID,
        *,
        actor: str,
        cases: Iterable[uuid.UUID] | None = None,
        **search: Any,
    ) -> tuple[Recovery, ...]:
        """Link the affected cases (``cases``, else :meth:`affected`) to ``case_id`` as
        ``same_problem_as`` and start their recovery; a recovery already under way keeps
        its status."""
        found = {a.case_id: a for a in self.affected(case_id, **search)} if cases is None else {}
        wanted = list(found) if cases is None else list(dict.fromkeys(cases))
        known = {r.case_id: r for r in self.kit.store.recoveries(case_id)}
        now = self._now()
        for affected_id in wanted:
            self.kit.link(affected_id, Link(LinkType.SAME_PROBLEM_AS, case_id))
            if affected_id in known:
                continue
            match = found.get(affected_id)
            self.kit.store.put_recovery(
                Recovery(
                    case_id,
                    affected_id,
                    now,
                    actor,
                    score=None if match is None else match.score,
                    shared=() if match is None else match.shared,
                )
            )
        return self.kit.store.recoveries(case_id)

    def update_recovery(
        self,
        source_id: uuid.UUID,
        case_id: uuid.UUID,
        status: RecoveryStatus | str,
        *,
        actor: str,
        note: str | None = None,
    ) -> Recovery:
        """Record where recovery stands for one affected customer."""
        current = {r.case_id: r for r in self.kit.store.recoveries(source_id)}.get(case_id)
        if current is None:
            raise NotFoundError("recovery", f"{case_id} (from {source_id})")
        updated = attrs.evolve(
            current,
            status=status,
            updated_at=self._now(),
            updated_by=actor,
            note=note if note is not None else current.note,
        )
        self.kit.store.put_recovery(updated)
        return updated

    def recoveries(self, source_id: uuid.UUID | None = None) -> tuple[Recovery, ...]:
        return self.kit.store.recoveries(source_id)

    # -- golden complaints and quotes ---------------------------------------------------

    def flag_golden(self, case_id: uuid.UUID, *, actor: str, reason: str) -> GoldenFlag:
        """Flag a case as a golden complaint, with the reason."""
        flag = GoldenFlag(case_id, actor, self._now(), reason)
        self.kit.store.put_golden(flag)
        return flag

    def golden(
        self,
        query: Query,
        *,
        records: Sequence[CaseRecord] | None = None,
        emotions: dict[uuid.UUID, EmotionScore] | None = None,
    ) -> tuple[Golden, ...]:
        """Golden complaints among the matching cases: flagged, then suggested with reasons."""
        records = self.records(query) if records is None else records
        emotions = self.emotions(records) if emotions is None else emotions
        ids = [r.feedback.id for r in records]
        flags = {f.case_id: f for f in self.kit.store.golden_flags()}
        return golden_complaints(records, emotions, self.case_themes(ids), flags, self.rules)

    def quotes(
        self, query: Query, *, limit: int = 8, positive: bool | None = None
    ) -> tuple[Quote, ...]:
        """Quotes in which emotion leads among the matching cases."""
        records = self.records(query)
        return emotion_quotes(records, self.emotions(records), limit=limit, positive=positive)

    # -- improvement actions ------------------------------------------------------------

    def add_action(
        self,
        title: str,
        *,
        owner: str,
        target_group: str,
        actor: str,
        due: date | None = None,
        description: str | None = None,
        cases: Iterable[uuid.UUID] = (),
        themes: Iterable[str] = (),
        origin: str | None = None,
    ) -> ImprovementAction:
        """Record an improvement action decided from feedback (e.g. in the improvement meeting)."""
        themes = tuple(themes)
        for code in themes:
            self.taxonomy.theme(code)
        action = ImprovementAction(
            title=title,
            owner=owner,
            target_group=target_group,
            created_at=self._now(),
            created_by=actor,
            due=due,
            description=description,
            cases=tuple(cases),
            themes=themes,
            origin=origin,
        )
        self.kit.store.put_action(action)
        return action

    def update_action(self, action_id: uuid.UUID, **changes: Any) -> ImprovementAction:
        """Change an open action's owner, target group, due date, status, cases or themes;
        finish it with :meth:`complete_action`."""
        if changes.get("status") in (ActionStatus.DONE, ActionStatus.DONE.value):
            raise ValidationError("status", "finish an action with complete_action")
        for code in changes.get("themes", ()):
            self.taxonomy.theme(code)
        action = attrs.evolve(self.kit.store.action(action_id), **changes)
        self.kit.store.put_action(action)
        return action

    def complete_action(
        self, action_id: uuid.UUID, change_made: str, *, actor: str, notify: bool = True
    ) -> ImprovementAction:
        """Mark an action done with the change made and tell the customers of its cases
        ("you said, we did"): through the notifier, else as a task on each case."""
        action = self.kit.store.action(action_id)
        now = self._now()
        done = attrs.evolve(action, status=ActionStatus.DONE, change_made=change_made, done_at=now)
        if notify:
            told = {n.case_id for n in action.notices}
            notices = [
                *action.notices,
                *(
                    tell(self.kit, done, case_id, actor=actor, notifier=self._notifier)
                    for case_id in done.cases
                    if case_id not in told
                ),
            ]
            done = attrs.evolve(done, notices=notices)
        self.kit.store.put_action(done)
        return done

    def actions(self, status: ActionStatus | str | None = None) -> tuple[ImprovementAction, ...]:
        found = self.kit.store.actions()
        return found if status is None else tuple(a for a in found if a.status == status)

    def case_id(self, key: str) -> uuid.UUID:
        """A case by its id or its reference (``KL-2026-00042``)."""
        try:
            case_id = uuid.UUID(key)
        except ValueError:
            for record in self.kit.store.records(Query()):
                if record.feedback.reference == key:
                    return record.feedback.id
            raise NotFoundError("case", key) from None
        self.kit.store.case_state(case_id)
        return case_id

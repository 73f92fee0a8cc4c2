"""The facade host applications use: register feedback, act on cases, read them back.

Domain code never calls raw hooks: :class:`FeedbackKit` asks the typed
:class:`~feedbackkit.plugins.Plugins` view for stores, procedures, deadline
policies and the calendar.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from functools import cached_property
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

import attrs

from feedbackkit.clock import Clock, SystemClock
from feedbackkit.deadlines import Calendar, Deadline, DeadlinePolicy, compute_deadlines
from feedbackkit.errors import ConflictError, FeedbackkitError, NotFoundError, ValidationError
from feedbackkit.models import CaseRecord, Event, Feedback, Link, Party, RelationshipOutcome
from feedbackkit.plugins import Plugins, load_plugins
from feedbackkit.settings import Settings
from feedbackkit.storage.protocol import IngestReport, ParallelIngest, Query, Store
from feedbackkit.storage.terms import TermTracker, TermTracking, term_tracker
from feedbackkit.vocabulary import Kind, LinkType
from feedbackkit.workflow.case import CaseState, derive
from feedbackkit.workflow.procedure import Procedure

if TYPE_CHECKING:
    from feedbackkit.learning.loop import Learning
    from feedbackkit.storage.measures import Metrics
    from feedbackkit.survey import Surveys

__all__ = ["DEFAULT_DB", "CaseView", "FeedbackKit", "resolve_url"]

DEFAULT_DB = "feedbackkit.sqlite"


@attrs.frozen
class CaseView:
    """One case as a handler sees it: the record, its derived state and its deadlines."""

    record: CaseRecord
    state: CaseState
    procedure: Procedure = attrs.field(repr=False)
    deadlines: tuple[Deadline, ...] = ()

    @property
    def id(self) -> uuid.UUID:
        return self.record.feedback.id

    @property
    def feedback(self) -> Feedback:
        return self.record.feedback

    @property
    def events(self) -> tuple[Event, ...]:
        return self.record.events

    @property
    def allowed_actions(self) -> tuple[str, ...]:
        return self.procedure.allowed(self.state.state)


def resolve_url(db: str | os.PathLike[str]) -> str:
    """A store URL for ``db``: a URL is kept, a file path becomes ``sqlite:///PATH``,
    ``:memory:`` or ``memory`` the in-memory store."""
    text = os.fspath(db)
    if text in (":memory:", "memory", "memory://"):
        return "memory://"
    if "://" in text:
        return text
    return f"sqlite:///{Path(text).expanduser().resolve()}"


class FeedbackKit:
    """Register, handle and read feedback on one store."""

    def __init__(
        self,
        store: Store,
        *,
        plugins: Plugins | None = None,
        clock: Clock | None = None,
        calendar: Calendar | None = None,
        settings: Settings | None = None,
    ) -> None:
        self.store = store
        self.plugins = plugins if plugins is not None else load_plugins()
        self.clock: Clock = clock if clock is not None else SystemClock()
        self.settings = settings if settings is not None else Settings()
        """The organisation's configuration (:func:`feedbackkit.settings.load_settings`)."""
        self.calendar: Calendar = (
            calendar if calendar is not None else self.plugins.deadline_calendar()
        )
        self._by_kind = self._procedures_by_kind()
        self._check_policies()
        self.terms: TermTracker = term_tracker(self.plugins.deadline_policies(), self.calendar)
        """Computes the deadline rows stores keep for in-database compliance metrics."""
        if isinstance(store, TermTracking):
            store.track_terms(self.terms)

    @classmethod
    def open(
        cls,
        db: str | os.PathLike[str] = DEFAULT_DB,
        *,
        plugins: Plugins | None = None,
        clock: Clock | None = None,
        settings: Settings | None = None,
    ) -> FeedbackKit:
        """Open (creating if needed) the store at ``db``: a path, a URL or ``:memory:``."""
        plugins = plugins if plugins is not None else load_plugins()
        url = resolve_url(db)
        scheme = url.split("://", 1)[0].split("+", 1)[0]
        for factory in plugins.stores().values():
            if scheme in factory.schemes:
                return cls(factory.open(url), plugins=plugins, clock=clock, settings=settings)
        known = sorted(s for f in plugins.stores().values() for s in f.schemes)
        raise FeedbackkitError(
            f"no store plugin handles {scheme!r} URLs; known: {', '.join(known)}"
        )

    def __enter__(self) -> FeedbackKit:
        return self

    def __exit__(
        self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        self.store.close()

    # -- procedures and deadlines ---------------------------------------------------

    def _procedures_by_kind(self) -> dict[str, Procedure]:
        by_kind: dict[str, Procedure] = {}
        for procedure in self.plugins.procedures().values():
            for kind in procedure.kinds:
                by_kind.setdefault(kind, procedure)
        return by_kind

    def _check_policies(self) -> None:
        """Fail early when a deadline policy names an action its procedure does not have."""
        procedures = self.plugins.procedures()
        for name, policy in self.plugins.deadline_policies().items():
            if name in procedures:
                policy.check(procedures[name].actions)

    def procedure(self, name: str) -> Procedure:
        """The registered procedure called ``name``."""
        try:
            return self.plugins.procedures()[name]  # type: ignore[no-any-return]
        except KeyError:
            raise NotFoundError("procedure", name) from None

    def procedure_for(self, feedback: Feedback) -> Procedure:
        """The procedure for ``feedback``: its own choice, else the default for its kind."""
        if feedback.procedure is not None:
            return self.procedure(feedback.procedure)
        try:
            return self._by_kind[feedback.kind.value]
        except KeyError:
            raise NotFoundError("procedure for kind", feedback.kind.value) from None

    def deadline_policy(self, procedure: str) -> DeadlinePolicy | None:
        """The deadline policy of ``procedure`` (``None`` when it has no terms)."""
        return self.plugins.deadline_policies().get(procedure)

    def compute_deadlines(
        self, feedback: Feedback, events: Sequence[Event], today: date | None = None
    ) -> tuple[Deadline, ...]:
        """Every term of the case's procedure, with due date, status and the rules applied."""
        policy = self.deadline_policy(self.procedure_for(feedback).name)
        if policy is None:
            return ()
        return compute_deadlines(
            feedback, events, policy, self.calendar, today or self.clock.now().date()
        )

    # -- writing ---------------------------------------------------------------------

    def _state_of(self, record: CaseRecord) -> CaseState:
        return derive(self.procedure_for(record.feedback), record.feedback.id, record.events)

    def prepare(self, record: CaseRecord) -> tuple[CaseRecord, CaseState]:
        """Check a whole case against its procedure and derive its state (for bulk ingest)."""
        for event in record.events:
            if event.at < record.feedback.received_at:
                raise ValidationError(
                    "events.at", f"event {event.seq} ({event.action}) lies before receipt"
                )
        return record, self._state_of(record)

    def ingest(self, records: Iterable[CaseRecord], *, parallel: bool = False) -> IngestReport:
        """Store whole cases (history included); cases already stored are skipped.

        ``parallel``: for big imports, let a store that can (:class:`ParallelIngest`:
        the SQL stores, where processes can be forked) write one batch while this
        process prepares the next; the result is the same. Leave it off in programs
        that must not fork (e.g. with threads holding locks).
        """
        return self.ingest_prepared((self.prepare(r) for r in records), parallel=parallel)

    def ingest_prepared(
        self, items: Iterable[tuple[CaseRecord, CaseState]], *, parallel: bool = False
    ) -> IngestReport:
        """:meth:`ingest` of cases :meth:`prepare` has checked (with their states)."""
        if parallel and isinstance(self.store, ParallelIngest):
            return self.store.ingest_parallel(items)
        return self.store.ingest(items)

    def register(
        self, feedback: Feedback, parties: Iterable[Party] = (), *, actor: str | None = None
    ) -> CaseView:
        """Register new feedback with its parties; optionally assign ``actor`` as handler."""
        record = CaseRecord(feedback=feedback, parties=tuple(parties))
        self.ingest([record])
        if actor is not None:
            return self.act(feedback.id, "assign_handler", actor=actor, payload={"handler": actor})
        return self.view(feedback.id)

    def register_informal(self, text: str, **details: Any) -> CaseView:
        """Register oral or informal feedback in one call and route it to the ambassador;
        see :func:`feedbackkit.intake.register_informal` for ``details``."""
        from feedbackkit.intake import register_informal

        return register_informal(self, text, **details)

    @property
    def survey(self) -> Surveys:
        """The relationship-outcome survey: ``request``, ``invite`` and ``answer``."""
        from feedbackkit.survey import Surveys

        return Surveys(self)

    @cached_property
    def learning(self) -> Learning:
        """The learning loop: themes, service recovery, golden complaints, improvement
        actions (``docs/learning.md``)."""
        from feedbackkit.learning.loop import Learning

        return Learning(self)

    def act(
        self,
        case_id: uuid.UUID,
        action: str,
        *,
        actor: str,
        reason: str | None = None,
        payload: Mapping[str, Any] | None = None,
        at: datetime | None = None,
        expected_version: int | None = None,
    ) -> CaseView:
        """Take ``action`` on a case and record it as an event.

        Raises :class:`~feedbackkit.errors.IllegalActionError` naming the state and the
        allowed actions, :class:`ValidationError` for a bad payload, and
        :class:`~feedbackkit.errors.ConflictError` when ``expected_version`` is stale.
        """
        record = self.store.record(case_id)
        procedure = self.procedure_for(record.feedback)
        current = derive(procedure, case_id, record.events)
        if expected_version is not None and expected_version != current.version:
            raise ConflictError(case_id, expected_version, current.version)
        moment = at or self.clock.now()
        earliest = record.events[-1].at if record.events else record.feedback.received_at
        if moment < earliest:
            raise ValidationError("at", f"{moment.isoformat()} lies before {earliest.isoformat()}")
        event = Event(
            case_id=case_id,
            seq=current.version + 1,
            action=action,
            actor=actor,
            at=moment,
            reason=reason,
            payload=dict(payload or {}),
        )
        procedure.step(current.state, action, event.payload)
        events = (*record.events, event)
        self.store.append(case_id, [event], current.version, derive(procedure, case_id, events))
        return self._view(attrs.evolve(record, events=events), procedure)

    def report_repeat(
        self,
        original_id: uuid.UUID,
        feedback: Feedback,
        parties: Iterable[Party] = (),
        *,
        actor: str,
    ) -> CaseView:
        """Register a new report about the same problem as ``original_id``.

        If the original melding is still unresolved (its procedure allows
        ``repeat_reported``), the repeat *is a complaint* about the service: it is
        registered under the complaint procedure, linked to the original, and the
        original records the repeat. Otherwise it is registered as it is, linked
        as a repeat.
        """
        original = self.view(original_id)
        unresolved = "repeat_reported" in original.allowed_actions
        links = (*feedback.links, Link(LinkType.REPEAT_OF, original_id))
        if unresolved:
            feedback = attrs.evolve(
                feedback,
                kind=Kind.COMPLAINT,
                procedure=self._by_kind[Kind.COMPLAINT.value].name,
                links=(*links, Link(LinkType.ESCALATED_FROM, original_id)),
            )
        else:
            feedback = attrs.evolve(feedback, links=links)
        view = self.register(feedback, parties)
        if unresolved:
            last = original.events[-1].at if original.events else original.feedback.received_at
            self.act(
                original_id,
                "repeat_reported",
                actor=actor,
                payload={"repeat": str(feedback.id), "complaint": str(feedback.id)},
                at=max(self.clock.now(), last),
            )
        return view

    def link(self, case_id: uuid.UUID, link: Link) -> None:
        """Link a stored case to another (e.g. "same problem as" found by service recovery)."""
        self.store.case_state(link.target)  # raises NotFoundError for an unknown target
        self.store.add_link(case_id, link)

    def record_outcome(self, outcome: RelationshipOutcome) -> None:
        """Store the customer's relationship outcome for a case."""
        self.store.case_state(outcome.case_id)
        self.store.add_outcome(outcome)

    def pseudonymise_party(self, party_id: uuid.UUID) -> Party:
        """Remove a party's personal data, keeping its role in every case."""
        party = self.store.party(party_id).pseudonymise()
        self.store.put_party(party)
        return party

    def erase_party(self, party_id: uuid.UUID) -> None:
        """Erase a party entirely (AVG/GDPR erasure); feedback content stays."""
        self.store.erase_party(party_id)

    # -- reading ---------------------------------------------------------------------

    def _view(
        self, record: CaseRecord, procedure: Procedure, today: date | None = None
    ) -> CaseView:
        state = derive(procedure, record.feedback.id, record.events)
        deadlines = self.compute_deadlines(record.feedback, record.events, today)
        return CaseView(record=record, state=state, procedure=procedure, deadlines=deadlines)

    def view(self, case_id: uuid.UUID, *, today: date | None = None) -> CaseView:
        """The case with its derived state and deadlines as of ``today``."""
        record = self.store.record(case_id)
        return self._view(record, self.procedure_for(record.feedback), today)

    def cases(self, query: Query | None = None) -> Iterator[CaseState]:
        """Summaries of the cases matching ``query``."""
        return self.store.query(query or Query())

    def count(self, query: Query | None = None) -> int:
        return self.store.count(query or Query())

    @property
    def metrics(self) -> Metrics:
        """Aggregates over the register (``docs/metrics.md``): in the database for a SQL
        store, streamed in Python for any other."""
        from feedbackkit.storage.metrics import metrics_for  # SQLAlchemy only when asked

        return metrics_for(self.store, self.terms, self.clock)

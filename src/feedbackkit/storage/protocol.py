"""The storage port: what every store plugin (memory, SQLite, PostgreSQL...) provides.

Stores persist :class:`~feedbackkit.models.CaseRecord` parts and a derived
:class:`~feedbackkit.workflow.CaseState` summary per case; they never decide
workflow themselves. ``feedbackkit.testing.StoreContract`` is the test suite
every implementation must pass.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

import attrs

from feedbackkit.errors import ValidationError
from feedbackkit.learning.models import (
    GoldenFlag,
    ImprovementAction,
    Recovery,
    ThemeAssignment,
)
from feedbackkit.models import CaseRecord, Event, Feedback, Link, Party, RelationshipOutcome
from feedbackkit.vocabulary import Channel, Kind
from feedbackkit.workflow.case import CaseState

__all__ = ["IngestReport", "ParallelIngest", "Query", "Store", "StoreFactory"]


def _aware(instance: object, attribute: attrs.Attribute[Any], value: datetime | None) -> None:
    if value is not None and value.utcoffset() is None:
        raise ValidationError(attribute.name, f"must be timezone-aware, got {value.isoformat()}")


def _kinds(values: Iterable[Kind]) -> tuple[Kind, ...]:
    return tuple(values)


def _channels(values: Iterable[Channel]) -> tuple[Channel, ...]:
    return tuple(values)


def _names(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values)


def _not_negative(instance: object, attribute: attrs.Attribute[Any], value: int | None) -> None:
    if value is not None and value < 0:
        raise ValidationError(attribute.name, f"must not be negative, got {value}")


@attrs.frozen
class Query:
    """Which cases to read. Empty fields do not filter; results are ordered by receipt, then id."""

    kinds: tuple[Kind, ...] = attrs.field(default=(), converter=_kinds)
    channels: tuple[Channel, ...] = attrs.field(default=(), converter=_channels)
    procedures: tuple[str, ...] = attrs.field(default=(), converter=_names)
    states: tuple[str, ...] = attrs.field(default=(), converter=_names)
    received_from: datetime | None = attrs.field(default=None, validator=_aware)
    """Inclusive lower bound on ``received_at``."""
    received_until: datetime | None = attrs.field(default=None, validator=_aware)
    """Exclusive upper bound on ``received_at``."""
    done: bool | None = None
    handler: str | None = None
    tag: str | None = None
    party_id: uuid.UUID | None = None
    reference: str | None = None
    """The organisation's own case number (``Feedback.reference``), exactly."""
    subject: str | None = None
    """``Feedback.subject``, exactly (e.g. ``Afvalinzameling``)."""
    org_unit: str | None = None
    """``Feedback.org_unit``, the department concerned, exactly."""
    limit: int | None = attrs.field(default=None, validator=_not_negative)
    offset: int = attrs.field(default=0, validator=_not_negative)


@attrs.frozen
class IngestReport:
    """What an ingest did: new cases inserted, and cases already present (skipped, unchanged)."""

    inserted: int = 0
    skipped: int = 0


@runtime_checkable
class Store(Protocol):
    """Persistence of cases. Writes are atomic per call; ingest is idempotent on case id."""

    def ingest(self, items: Iterable[tuple[CaseRecord, CaseState]]) -> IngestReport:
        """Insert whole cases; a case whose id is already stored is skipped, not changed."""
        ...

    def record(self, case_id: uuid.UUID) -> CaseRecord:
        """Everything stored about one case; :class:`NotFoundError` if unknown."""
        ...

    def feedback(self, case_id: uuid.UUID) -> Feedback: ...

    def events(self, case_id: uuid.UUID) -> tuple[Event, ...]: ...

    def case_state(self, case_id: uuid.UUID) -> CaseState: ...

    def append(
        self, case_id: uuid.UUID, events: Sequence[Event], expected_version: int, state: CaseState
    ) -> None:
        """Append events (seq must continue the history) and replace the summary.

        Raises :class:`~feedbackkit.errors.ConflictError` when the stored version is not
        ``expected_version``: nothing is written then.
        """
        ...

    def add_link(self, case_id: uuid.UUID, link: Link) -> None:
        """Add a link to a stored feedback item (idempotent)."""
        ...

    def add_outcome(self, outcome: RelationshipOutcome) -> None: ...

    def outcomes(self, case_id: uuid.UUID) -> tuple[RelationshipOutcome, ...]: ...

    def party(self, party_id: uuid.UUID) -> Party: ...

    def put_party(self, party: Party) -> None:
        """Insert or replace a party (e.g. its pseudonymised version)."""
        ...

    def erase_party(self, party_id: uuid.UUID) -> None:
        """Delete a party and its role in every case; feedback content stays."""
        ...

    def query(self, query: Query = ...) -> Iterator[CaseState]:
        """Summaries of the matching cases, streamed."""
        ...

    def count(self, query: Query = ...) -> int: ...

    def records(self, query: Query = ...) -> Iterator[CaseRecord]:
        """Whole matching cases, streamed in bounded memory (export uses this)."""
        ...

    # -- the learning loop (models in feedbackkit.learning.models) ------------------

    def feedback_items(self, query: Query = ...) -> Iterator[Feedback]:
        """The feedback of the matching cases without history, parties or outcomes,
        streamed: what text analysis reads."""
        ...

    def put_themes(self, assignments: Iterable[ThemeAssignment]) -> None:
        """Insert or replace theme assignments, one per (case, theme), in one transaction;
        :class:`NotFoundError` (nothing written) when a case is unknown."""
        ...

    def themes(self, case_ids: Iterable[uuid.UUID] | None = None) -> tuple[ThemeAssignment, ...]:
        """The theme assignments of ``case_ids`` (all when ``None``), by case id, then theme."""
        ...

    def put_recovery(self, recovery: Recovery) -> None:
        """Insert or replace the recovery of one affected case (per source case)."""
        ...

    def recoveries(self, source_id: uuid.UUID | None = None) -> tuple[Recovery, ...]:
        """Recoveries for the problem ``source_id`` revealed (all when ``None``), by source
        id, then case id."""
        ...

    def put_golden(self, flag: GoldenFlag) -> None:
        """Flag a golden complaint, or replace its flag."""
        ...

    def golden_flags(self) -> tuple[GoldenFlag, ...]:
        """Every golden flag, by time flagged, then case id."""
        ...

    def put_action(self, action: ImprovementAction) -> None:
        """Insert or replace an improvement action with its cases, themes and notices."""
        ...

    def action(self, action_id: uuid.UUID) -> ImprovementAction: ...

    def actions(self) -> tuple[ImprovementAction, ...]:
        """Every improvement action, by time created, then id."""
        ...

    def close(self) -> None: ...


@runtime_checkable
class ParallelIngest(Protocol):
    """A store whose bulk ingest can use a second process (e.g. a writer process on
    another core) where the platform allows it."""

    def ingest_parallel(self, items: Iterable[tuple[CaseRecord, CaseState]]) -> IngestReport:
        """:meth:`Store.ingest`, the same result, work spread over processes."""
        ...


class StoreFactory(Protocol):
    """Registered through the ``feedbackkit_register_stores`` hook."""

    name: str
    schemes: tuple[str, ...]
    """URL schemes handled, e.g. ``("sqlite",)``; ``memory`` for the in-memory store."""

    def open(self, url: str) -> Store: ...

"""The current state of a case, derived by replaying its events through the procedure."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

import attrs

from feedbackkit.models import Event
from feedbackkit.workflow.procedure import Procedure

__all__ = ["CaseState", "derive"]


@attrs.frozen
class CaseState:
    """What replaying a case's events yields; stores keep it as a derived, rebuildable summary."""

    case_id: uuid.UUID
    procedure: str
    state: str
    version: int
    done: bool = False
    handler: str | None = None
    ambassador: str | None = None
    done_at: datetime | None = None
    """When handling (last) reached a done state; ``None`` while open."""
    last_event_at: datetime | None = None


def derive(procedure: Procedure, case_id: uuid.UUID, events: Sequence[Event]) -> CaseState:
    """Replay ``events`` (in order) and return the resulting :class:`CaseState`.

    Raises :class:`~feedbackkit.errors.IllegalActionError` when the history
    contains an action the procedure does not allow at that point.
    """
    state = procedure.initial
    handler = ambassador = None
    done_at = None
    for event in events:
        state = procedure.step(state, event.action, event.payload)
        if event.action == "assign_handler":
            handler = str(event.payload["handler"])
        elif event.action == "assign_ambassador":
            ambassador = str(event.payload["ambassador"])
        done = procedure.states[state].done
        done_at = (done_at or event.at) if done else None
    return CaseState(
        case_id=case_id,
        procedure=procedure.name,
        state=state,
        version=len(events),
        done=procedure.states[state].done,
        handler=handler,
        ambassador=ambassador,
        done_at=done_at,
        last_event_at=events[-1].at if events else None,
    )

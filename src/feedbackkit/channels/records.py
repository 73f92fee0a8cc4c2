"""Building the records channels produce: the party's role, the case history.

Every case a channel reads starts with an *intake note*: a ``note`` event at the
moment of receipt, by actor ``intake:<channel>``, whose payload says where the
item came from (a Message-ID, a register row, a Signalen id), what was kept
(attachments) and what the channel had to guess (``warnings``).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import attrs

from feedbackkit.channels.ids import part_id
from feedbackkit.models import Event
from feedbackkit.vocabulary import Kind, PartyRole

__all__ = ["History", "role_for"]

_ROLES = {
    Kind.COMPLAINT: PartyRole.COMPLAINANT,
    Kind.DISSATISFACTION: PartyRole.COMPLAINANT,
    Kind.OBJECTION: PartyRole.OBJECTOR,
}


def role_for(kind: Kind) -> PartyRole:
    """The role of the person who sent feedback of ``kind``: complainant, objector or reporter."""
    return _ROLES.get(kind, PartyRole.REPORTER)


@attrs.define
class History:
    """The events of one case, numbered and given deterministic ids as they are added."""

    case: uuid.UUID
    channel: str
    events: list[Event] = attrs.Factory(list)

    @property
    def actor(self) -> str:
        """The actor of what the channel itself records."""
        return f"intake:{self.channel}"

    def add(
        self,
        action: str,
        at: datetime,
        payload: Mapping[str, Any],
        *,
        actor: str | None = None,
        reason: str | None = None,
    ) -> Event:
        seq = len(self.events) + 1
        event = Event(
            case_id=self.case,
            seq=seq,
            action=action,
            actor=actor or self.actor,
            at=at,
            reason=reason,
            payload=payload,
            id=part_id(self.case, "event", seq),
        )
        self.events.append(event)
        return event

    def intake_note(self, at: datetime, text: str, details: Mapping[str, Any]) -> Event:
        """The first event: where the item came from and what was guessed (see module doc)."""
        return self.add("note", at, {"text": text, "intake": dict(details)})

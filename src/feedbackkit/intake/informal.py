"""One call to register what a customer said at the counter, on the phone or to the
neighbourhood team, and route it to the ambassador (domain.md §1, §4: every employee
is a sensor; Schagen's ambassadors are registered as second handler).

The case starts with an intake note by the employee who received it (actor
``received_by``) and, when the organisation has one for the org unit, an
``assign_ambassador`` event: both show in the case's history.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, TypeVar

from feedbackkit.channels.records import History, role_for
from feedbackkit.errors import ValidationError
from feedbackkit.models import CaseRecord, Feedback, Party, PartyRef, new_id
from feedbackkit.vocabulary import (
    Channel,
    ContactPreference,
    Form,
    Initiative,
    Kind,
    Origin,
    label,
)

if TYPE_CHECKING:
    from feedbackkit.service import CaseView, FeedbackKit

__all__ = ["ORAL_CHANNELS", "register_informal"]

E = TypeVar("E", bound=StrEnum)

ORAL_CHANNELS = frozenset(
    {Channel.PHONE, Channel.COUNTER, Channel.IN_PERSON, Channel.NEIGHBOURHOOD_TEAM}
)
"""Channels whose feedback is oral unless said otherwise (Awb 9:2)."""


def register_informal(
    kit: FeedbackKit,
    text: str,
    *,
    received_by: str,
    channel: Channel | str = Channel.PHONE,
    kind: Kind | str = Kind.REMARK,
    initiative: Initiative | str = Initiative.REACTIVE,
    origin: Origin | str = Origin.EXTERNAL,
    form: Form | str | None = None,
    received_at: datetime | None = None,
    subject: str | None = None,
    org_unit: str | None = None,
    location: str | None = None,
    tags: Iterable[str] = (),
    name: str | None = None,
    email: str | None = None,
    phone: str | None = None,
    address: str | None = None,
    contact_preference: ContactPreference | str | None = None,
    language: str = "nl",
    ambassador: str | None = None,
) -> CaseView:
    """Register feedback told to ``received_by`` and route it to the ambassador.

    Defaults: a reactive, external remark by phone, oral for the phone, counter, in person
    and neighbourhood team (written otherwise), received now (the kit's clock). The
    customer (``name``, ``email``, ``phone``, ``address``; all optional) becomes a party in
    the role that fits the kind; without ``contact_preference`` they are contacted by
    e-mail when an address is given, else by phone, else by letter. ``ambassador``
    defaults to the organisation's ambassador of ``org_unit`` (``[intake]`` settings).
    """
    if not received_by or not received_by.strip():
        raise ValidationError("received_by", "say who received the feedback")
    channel = channel if isinstance(channel, Channel) else _value(Channel, channel)
    kind = kind if isinstance(kind, Kind) else _value(Kind, kind)
    received_at = received_at or kit.clock.now()
    parties = _customer(name, email, phone, address, contact_preference, language)
    feedback = Feedback(
        kind=kind,
        channel=channel,
        received_at=received_at,
        text=text,
        id=new_id(),
        initiative=initiative,
        origin=origin,
        form=form or (Form.ORAL if channel in ORAL_CHANNELS else Form.WRITTEN),
        subject=subject or None,
        org_unit=org_unit or None,
        location=location or None,
        tags=tuple(tags),
        language=language,
        received_by=received_by,
        parties=tuple(PartyRef(p.id, role_for(kind)) for p in parties),
    )
    history = History(feedback.id, channel.value)
    note = f"{label(kind)} via {label(channel).lower()}, ontvangen door {received_by}"
    intake = {"channel": channel.value, "received_by": received_by, "informal": True}
    history.add("note", feedback.received_at, {"text": note, "intake": intake}, actor=received_by)
    routed_to = ambassador or kit.settings.ambassador_for(feedback.org_unit)
    if routed_to is not None:
        history.add(
            "assign_ambassador",
            max(kit.clock.now(), feedback.received_at),
            {"ambassador": routed_to},
            actor=received_by,
        )
    kit.ingest([CaseRecord(feedback, parties, history.events)])
    return kit.view(feedback.id)


def _value(kind: type[E], value: str) -> E:
    """``value`` as a member of vocabulary ``kind``: its value or its Dutch or English label."""
    wanted = value.strip().lower()
    for member in kind:
        if wanted in (member.value, label(member).lower(), label(member, "en").lower()):
            return member
    known = ", ".join(m.value for m in kind)
    raise ValidationError(kind.__name__.lower(), f"unknown value {value!r}; known: {known}")


def _customer(
    name: str | None,
    email: str | None,
    phone: str | None,
    address: str | None,
    preference: ContactPreference | str | None,
    language: str,
) -> tuple[Party, ...]:
    """The customer as a party, if anything about them is known."""
    name, email, phone, address = (
        v.strip() if v and v.strip() else None for v in (name, email, phone, address)
    )
    if not (name or email or phone or address):
        return ()
    if preference is None:
        preference = (
            ContactPreference.EMAIL
            if email
            else ContactPreference.PHONE
            if phone
            else ContactPreference.LETTER
            if address
            else ContactPreference.NONE
        )
    return (
        Party(
            name=name,
            email=email,
            phone=phone,
            address=address,
            contact_preference=preference,
            language=language,
        ),
    )

"""Sending a letter about a case to its parties, and recording what happened on the case.

Recipients are the case's parties in the letter's roles. A party is written to by
e-mail when it prefers e-mail (or phone) and has an address and a notifier is
configured; by letter (an HTML or PDF file in ``letters_dir`` and a task to post it)
when it prefers letters or has no e-mail address. Every delivery is an event on the
case: ``message_sent`` for a sent e-mail, ``task`` for what a person must still do
(post a letter, send by hand when no notifier is configured or sending failed).
Parties who want no contact, or are pseudonymised, are passed over.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import attrs

from feedbackkit.errors import NotFoundError
from feedbackkit.models import Party
from feedbackkit.notifications.letters import (
    LANGUAGES,
    Optional,
    RenderedLetter,
    letter,
    render_letter,
)
from feedbackkit.notifications.smtp import NotificationError
from feedbackkit.ports import Message, Notifier
from feedbackkit.vocabulary import ContactPreference, PartyRole, label

if TYPE_CHECKING:
    from feedbackkit.service import CaseView, FeedbackKit

__all__ = ["ConfigurableNotifier", "Delivery", "letter_context", "notifier_of", "notify"]


class ConfigurableNotifier(Notifier, Protocol):
    """A notifier that takes its settings (``[notifications.NAME]``) before sending."""

    def configure(self, options: Mapping[str, Any]) -> Notifier: ...


@attrs.frozen
class Delivery:
    """What happened to a letter for one recipient."""

    role: PartyRole
    party_id: uuid.UUID
    medium: str
    """``email``, ``letter`` or ``none`` (not contacted)."""
    action: str | None
    """The event recorded on the case: ``message_sent``, ``task`` or ``None``."""
    reference: str | None = None
    """The e-mail's Message-ID."""
    file: Path | None = None
    """The letter file to post."""
    reason: str | None = None


def notifier_of(kit: FeedbackKit) -> Notifier | None:
    """The notifier the organisation configured (``[notifications] notifier``), if any."""
    name = kit.settings.notifier
    if name is None:
        return None
    notifiers = kit.plugins.notifiers()
    if name not in notifiers:
        raise NotFoundError("notifier", f"{name!r} (registered: {', '.join(notifiers)})")
    found = notifiers[name]
    configure = getattr(found, "configure", None)
    return configure(kit.settings.notifier_options) if configure is not None else found  # type: ignore[no-any-return]


def letter_context(kit: FeedbackKit, view: CaseView) -> dict[str, Any]:
    """What the templates know about a case: the organisation, ombudsman, the feedback,
    its deadlines by term and the latest payload of every action (``last.postpone``)."""
    last: dict[str, Optional] = {}
    for event in view.events:
        last[event.action] = Optional({**event.payload, "reason": event.reason, "at": event.at})
    return {
        "organisation": kit.settings.organisation,
        "ombudsman": kit.settings.ombudsman,
        "case": view.feedback,
        "received": view.feedback.received_at.date(),
        "reference": view.feedback.reference or str(view.id)[:8],
        "today": kit.clock.now().date(),
        "deadlines": Optional({d.term: d for d in view.deadlines}),
        "last": Optional(last),
        "findings": None,
        "conclusions": None,
        "you_said": None,
    }


def notify(
    kit: FeedbackKit,
    case_id: uuid.UUID,
    letter_name: str,
    context: Mapping[str, Any] | None = None,
    *,
    actor: str = "feedbackkit",
    to: Sequence[PartyRole | str] | None = None,
    notifier: Notifier | None = None,
) -> tuple[Delivery, ...]:
    """Send letter ``letter_name`` about case ``case_id`` to its parties; record each delivery.

    ``context`` adds to (or overrides) what :func:`letter_context` provides, for example
    ``{"we_did": "..."}`` for ``you_said_we_did``; ``to`` overrides the letter's roles;
    ``notifier`` overrides the configured one. Returns one :class:`Delivery` per recipient
    (none when the case has no party in those roles).
    """
    spec = letter(letter_name)
    roles = tuple(PartyRole(r) for r in to) if to is not None else spec.to
    view = kit.view(case_id)
    parties = {p.id: p for p in view.record.parties}
    recipients = [(r.role, parties[r.party_id]) for r in view.feedback.parties if r.role in roles]
    base = {**letter_context(kit, view), **(context or {})}
    sender = notifier if notifier is not None else notifier_of(kit)
    deliveries = []
    for role, party in recipients:
        if party.pseudonymised or party.contact_preference is ContactPreference.NONE:
            deliveries.append(Delivery(role, party.id, "none", None, reason="no contact wanted"))
            continue
        lang = party.language.split("-")[0] if party.language.split("-")[0] in LANGUAGES else "nl"
        values = {**base, "recipient": party, "role": role.value}
        deliveries.append(
            _deliver(kit, case_id, actor, letter_name, role, party, lang, values, sender)
        )
    return tuple(deliveries)


def _deliver(
    kit: FeedbackKit,
    case_id: uuid.UUID,
    actor: str,
    name: str,
    role: PartyRole,
    party: Party,
    lang: str,
    values: dict[str, Any],
    sender: Notifier | None,
) -> Delivery:
    by_email = party.email is not None and party.contact_preference in (
        ContactPreference.EMAIL,
        ContactPreference.PHONE,
    )
    what = {"template": name, "to": role.value, "party": str(party.id), "language": lang}
    if by_email and sender is not None:
        rendered = render_letter(name, lang, values)
        assert party.email is not None
        try:
            reference = sender.send(_message(kit, case_id, rendered, party.email))
        except NotificationError as exc:
            text = f"Versturen van '{rendered.subject}' aan {label(role)} mislukt: {exc}"
            _record(kit, case_id, actor, "task", {**what, "medium": "email", "text": text})
            return Delivery(role, party.id, "email", "task", reason=str(exc))
        _record(
            kit, case_id, actor, "message_sent", {**what, "medium": "email", "reference": reference}
        )
        return Delivery(role, party.id, "email", "message_sent", reference=reference)
    rendered = render_letter(name, lang, {**values, "postal": True})
    file = _write_letter(kit, case_id, rendered, role) if party.address or not by_email else None
    if by_email:
        text = (
            f"Geen verzendkanaal ingesteld: stuur '{rendered.subject}' per e-mail aan {label(role)}"
        )
        medium, reason = "email", "no notifier configured"
    elif party.address:
        text = f"Brief '{rendered.subject}' afdrukken en per post sturen aan {label(role)}"
        medium, reason = "letter", None
    else:
        text = (
            f"Geen e-mail- of postadres van {label(role)}: breng '{rendered.subject}' anders over"
        )
        medium, reason = "letter", "no address"
    payload = {**what, "medium": medium, "text": text}
    if file is not None:
        payload["file"] = str(file)
    _record(kit, case_id, actor, "task", payload)
    return Delivery(role, party.id, medium, "task", file=file, reason=reason)


def _message(kit: FeedbackKit, case_id: uuid.UUID, rendered: RenderedLetter, to: str) -> Message:
    headers = {"X-Feedbackkit-Case": str(case_id), "X-Feedbackkit-Letter": rendered.letter}
    if kit.settings.organisation.email:
        headers["Reply-To"] = kit.settings.organisation.email
    return Message(
        template=rendered.letter,
        to=to,
        subject=rendered.subject,
        body_text=rendered.text,
        body_html=rendered.html,
        language=rendered.lang,
        headers=headers,
    )


def _write_letter(
    kit: FeedbackKit, case_id: uuid.UUID, rendered: RenderedLetter, role: PartyRole
) -> Path | None:
    """The letter as a file in ``letters_dir`` (HTML, or PDF when configured)."""
    folder = kit.settings.letters_dir
    if folder is None:
        return None
    folder.mkdir(parents=True, exist_ok=True)
    stamp = kit.clock.now().strftime("%Y%m%dT%H%M%S")
    base = re.sub(r"[^A-Za-z0-9_-]+", "-", f"{stamp}-{case_id.hex[:8]}-{rendered.letter}-{role}")
    if kit.settings.letter_format == "pdf":
        from feedbackkit.notifications.paper import pdf

        path = folder / f"{base}.pdf"
        path.write_bytes(pdf(rendered.html))
    else:
        path = folder / f"{base}.html"
        path.write_text(rendered.html, "utf-8")
    return path


def _record(
    kit: FeedbackKit, case_id: uuid.UUID, actor: str, action: str, payload: dict[str, Any]
) -> None:
    events = kit.store.events(case_id)
    at = max(kit.clock.now(), events[-1].at) if events else kit.clock.now()
    kit.act(case_id, action, actor=actor, payload=payload, at=at)

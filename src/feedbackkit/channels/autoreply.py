"""Recognising mail no person wrote: auto-replies, bounces and read receipts.

Such mail is skipped (neither feedback nor an error). The signs, strongest first:
``Auto-Submitted`` other than ``no`` (RFC 3834); ``X-Autoreply``/``X-Autorespond``;
``Precedence: bulk``, ``junk`` or ``auto_reply``; a ``multipart/report`` (delivery
status or read receipt, RFC 6522); a null return path or a ``MAILER-DAEMON`` sender;
and the usual subjects of out-of-office replies and bounces in Dutch, English and
German.
"""

from __future__ import annotations

import re
from email.message import EmailMessage

from feedbackkit.channels.mailtext import header_text

__all__ = ["AUTOMATIC_SUBJECTS", "automatic"]

AUTOMATIC_SUBJECTS = re.compile(
    r"^\s*(?:"
    r"out of (?:the )?office\b|automatic reply\b|auto-?reply\b|auto-response\b"
    r"|afwezigheidsmelding\b|automatisch antwoord\b|abwesenheitsnotiz\b"
    r"|undeliverable:|onbestelbaar:|unzustellbar:|delivery status notification\b"
    r"|mail delivery failed\b|undelivered mail returned to sender\b|returned mail:"
    r"|failure notice\b"
    r")",
    re.IGNORECASE,
)
"""Subjects of out-of-office replies and bounces (matched at the start, ignoring case)."""

_BOUNCE_SENDERS = re.compile(r"^(?:mailer-daemon|postmaster)@", re.IGNORECASE)


def automatic(msg: EmailMessage) -> str | None:
    """Why ``msg`` was sent by a machine rather than a person, or ``None``."""
    auto_submitted = str(msg.get("Auto-Submitted", "")).strip().lower()
    if auto_submitted and auto_submitted != "no":
        return f"automatic message (Auto-Submitted: {auto_submitted})"
    for header in ("X-Autoreply", "X-Autorespond"):
        if header in msg:
            return f"auto-reply ({header})"
    precedence = str(msg.get("Precedence", "")).strip().lower()
    if precedence in ("bulk", "junk", "auto_reply"):
        return f"automatic message (Precedence: {precedence})"
    if msg.get_content_type() == "multipart/report":
        report = msg.get_param("report-type")
        kind = "read receipt" if report == "disposition-notification" else "bounce"
        return f"{kind} (multipart/report {report or ''})".replace(" )", ")")
    if str(msg.get("Return-Path", "")).strip() == "<>":
        return "bounce (null return path)"
    sender = _address(msg)
    if sender and (_BOUNCE_SENDERS.match(sender) or sender.lower() == "mailer-daemon"):
        return f"bounce (sender {sender})"
    subject = header_text(str(msg.get("Subject", "")))[0]
    if AUTOMATIC_SUBJECTS.match(subject):
        return f"auto-reply or bounce (subject {subject.strip()[:80]!r})"
    return None


def _address(msg: EmailMessage) -> str:
    header = msg.get("From")
    addresses = getattr(header, "addresses", ())
    return header_text(addresses[0].addr_spec if addresses else str(header or ""))[0].strip()

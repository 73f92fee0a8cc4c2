"""E-mail: single messages (``.eml``) and mailboxes (``mbox``), read with the standard library.

Each message becomes a case (kind ``remark`` unless configured) with the sender as
a :class:`~feedbackkit.models.Party`, or is skipped (auto-replies, bounces) or
rejected (too large, unreadable, no text). The case id is a UUID 5 of the
Message-ID, so importing a message twice stores it once. See ``docs/channels.md``.
"""

from __future__ import annotations

import mailbox
import re
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta
from email import policy
from email.message import EmailMessage, MIMEPart
from email.parser import BytesParser
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from feedbackkit.channels.attachments import DirectoryAttachmentStore, attachments_of
from feedbackkit.channels.autoreply import automatic
from feedbackkit.channels.cleaning import clean
from feedbackkit.channels.ids import case_id, content_key, part_id
from feedbackkit.channels.mailtext import (
    decode_text,
    guess_language,
    header_text,
    html_to_text,
    own_words,
)
from feedbackkit.channels.records import History, role_for
from feedbackkit.channels.routing import Item, Sinks, check_options, deliver
from feedbackkit.clock import Clock, SystemClock
from feedbackkit.converter import unstructure
from feedbackkit.errors import ValidationError
from feedbackkit.models import CaseRecord, Feedback, Party, PartyRef
from feedbackkit.ports import Rejected, Skipped
from feedbackkit.vocabulary import Channel, ContactPreference, Form, Kind

if TYPE_CHECKING:
    from collections.abc import Callable

    from feedbackkit.channels.quarantine import Quarantine

__all__ = ["EmailChannel", "MailSettings", "mail_units", "parse_message"]

MIB = 1024 * 1024
SHOWN_CHARS = 100_000
"""At most this much of a rejected message is shown as its raw text (all bytes are quarantined)."""


def _positive(instance: object, attribute: attrs.Attribute[Any], value: int) -> None:
    if value < 1:
        raise ValidationError(f"option {attribute.name}", f"must be a positive number, got {value}")


@attrs.frozen
class MailSettings:
    """How messages are read: the kind they are registered as, and the limits."""

    kind: Kind = Kind.REMARK
    attachments: Path | None = None
    """Directory where attachment bytes are kept; ``None``: recorded, not kept."""
    max_message_bytes: int = attrs.field(default=25 * MIB, validator=_positive)
    max_attachment_bytes: int = attrs.field(default=10 * MIB, validator=_positive)
    max_header_bytes: int = attrs.field(default=256 * 1024, validator=_positive)
    max_parts: int = attrs.field(default=250, validator=_positive)
    max_depth: int = attrs.field(default=20, validator=_positive)

    @classmethod
    def from_options(cls, options: Mapping[str, str]) -> MailSettings:
        """Settings from text options (see :data:`OPTION_HELP`)."""
        check_options("email", options, OPTION_HELP)
        values: dict[str, Any] = {}
        for key, text in options.items():
            if key == "kind":
                try:
                    values[key] = Kind(text.strip())
                except ValueError:
                    allowed = ", ".join(k.value for k in Kind)
                    message = f"{text!r} is not one of {allowed}"
                    raise ValidationError("option kind", message) from None
            elif key == "attachments":
                values[key] = Path(text)
            else:
                try:
                    values[key] = int(text)
                except ValueError:
                    raise ValidationError(f"option {key}", f"{text!r} is not a number") from None
        return cls(**values)


OPTION_HELP: Mapping[str, str] = {
    "kind": "the kind every message is registered as (default: remark)",
    "attachments": "directory where attachment bytes are kept (default: only recorded)",
    "max_message_bytes": f"larger messages are rejected (default: {25 * MIB})",
    "max_attachment_bytes": f"larger attachments are recorded but not kept (default: {10 * MIB})",
    "max_header_bytes": "messages with a larger header section are rejected (default: 262144)",
}


class _Reject(Exception):
    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field
        self.reason = reason


def parse_message(
    raw: bytes,
    *,
    source: str,
    position: int,
    settings: MailSettings | None = None,
    clock: Clock | None = None,
    arrival: datetime | None = None,
) -> Item:
    """The case in one raw message, or why it is skipped or rejected; never raises.

    ``arrival`` (an IMAP INTERNALDATE) is the receipt moment when the Date header is
    missing or unusable; after that the newest ``Received`` header, then ``clock``.
    """
    try:
        settings = settings or MailSettings()
        _check_size(raw, settings)
        return _parse(raw, source, position, settings, clock or SystemClock(), arrival)
    except _Reject as exc:
        return Rejected(source, position, exc.field, exc.reason, _shown(raw))
    except ValidationError as exc:
        return Rejected(source, position, exc.field, exc.message, _shown(raw))
    except Exception as exc:  # the stdlib parser has crash bugs on hostile input
        reason = f"unreadable message ({type(exc).__name__}: {exc})"
        return Rejected(source, position, "message", reason, _shown(raw))


def _shown(raw: bytes) -> str:
    text = raw[: SHOWN_CHARS * 4].decode("utf-8", "replace")
    if len(text) > SHOWN_CHARS or len(raw) > SHOWN_CHARS * 4:
        return f"{text[:SHOWN_CHARS]}\n[... {len(raw)} bytes in total; all kept in quarantine]"
    return text


def _check_size(raw: bytes, settings: MailSettings) -> None:
    if len(raw) > settings.max_message_bytes:
        limit = settings.max_message_bytes
        raise _Reject("message", f"message of {len(raw)} bytes exceeds the limit of {limit}")
    end = re.search(rb"\r?\n\r?\n", raw[: settings.max_header_bytes + 4])
    header_bytes = end.start() if end else len(raw)
    if header_bytes > settings.max_header_bytes:
        raise _Reject(
            "headers", f"header section exceeds the limit of {settings.max_header_bytes} bytes"
        )


def _check_structure(msg: EmailMessage, settings: MailSettings) -> list[MIMEPart]:
    """Every part of ``msg`` (iteratively: hostile nesting cannot exhaust the stack)."""
    parts: list[MIMEPart] = []
    todo: list[tuple[MIMEPart, int]] = [(msg, 0)]
    while todo:
        part, depth = todo.pop()
        parts.append(part)
        if len(parts) > settings.max_parts:
            raise _Reject("mime", f"more than {settings.max_parts} MIME parts")
        if depth > settings.max_depth:
            raise _Reject("mime", f"MIME parts nested deeper than {settings.max_depth} levels")
        if part.is_multipart():
            todo.extend((sub, depth + 1) for sub in reversed(list(part.iter_parts())))
    return parts


def _parse(
    raw: bytes,
    source: str,
    position: int,
    settings: MailSettings,
    clock: Clock,
    arrival: datetime | None,
) -> Item:
    msg = BytesParser(policy=policy.default).parsebytes(raw)
    assert isinstance(msg, EmailMessage)
    parts = _check_structure(msg, settings)
    if not any(name in msg for name in ("From", "Date", "Message-ID", "Subject")):
        raise _Reject("headers", "not an e-mail message: no From, Date, Message-ID or Subject")
    why = automatic(msg)
    if why is not None:
        return Skipped(source, position, why)
    message_id = _message_id(msg)
    case = case_id("email", message_id or content_key(raw))
    warnings: list[str] = []
    defects = sorted({type(d).__name__ for p in parts for d in p.defects})
    if defects:
        warnings.append(f"malformed message, read as well as possible: {', '.join(defects)}")
    received_at = _received_at(msg, arrival, clock, warnings)
    subject = " ".join(_header(msg, "Subject", warnings).split()) or None
    body = _body_text(msg, warnings)
    if not body:
        if subject is None:
            raise _Reject("body", "no text in the body or the subject")
        warnings.append("no text in the body; the subject is used as the text")
        body = subject
    text, cut = own_words(body)
    language = _language(msg) or guess_language(text)
    party = _party(msg, case, language, warnings)
    store = DirectoryAttachmentStore(settings.attachments) if settings.attachments else None
    attachments = list(attachments_of(msg, store, settings.max_attachment_bytes))
    feedback = Feedback(
        kind=settings.kind,
        channel=Channel.EMAIL,
        received_at=received_at,
        text=text,
        id=case,
        form=Form.WRITTEN,
        subject=subject,
        language=language,
        parties=(PartyRef(party.id, role_for(settings.kind)),) if party else (),
    )
    history = History(case, "email")
    details: dict[str, Any] = {"message_id": message_id, "attachments": unstructure(attachments)}
    if cut:
        details["quoted_text_removed"] = True
    details["warnings"] = warnings
    history.intake_note(feedback.received_at, "Geregistreerd uit e-mail", details)
    return CaseRecord(feedback, (party,) if party else (), history.events)


def _message_id(msg: EmailMessage) -> str | None:
    value = "".join(header_text(str(msg.get("Message-ID", "")))[0].split()).strip("<>")
    return value or None


def _received_at(
    msg: EmailMessage, arrival: datetime | None, clock: Clock, warnings: list[str]
) -> datetime:
    now = clock.now()
    moment: datetime | None = getattr(msg.get("Date"), "datetime", None)
    if moment is not None and moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
        warnings.append("the Date header has no time zone (-0000); read as UTC")
    try:
        moment = moment.astimezone(UTC) if moment is not None else None
    except OverflowError:
        moment = None  # a year the calendar cannot hold in every zone
    if moment is not None and moment > now + timedelta(days=1):
        warnings.append(f"the Date header lies in the future ({moment.isoformat()}); not used")
        moment = None
    if moment is not None:
        return moment
    if "Date" in msg:
        warnings.append(f"invalid Date header {header_text(str(msg['Date']))[0][:80]!r}")
    else:
        warnings.append("no Date header")
    if arrival is not None:
        warnings.append("receipt taken from the mailbox's arrival time")
        return arrival
    for received in msg.get_all("Received", ()):
        stamp = str(received).rpartition(";")[2].strip()
        try:
            moment = parsedate_to_datetime(stamp)
        except (TypeError, ValueError, IndexError):
            continue
        if moment.tzinfo is not None and moment <= now + timedelta(days=1):
            warnings.append("receipt taken from the newest Received header")
            return moment
    warnings.append("receipt taken from the time of import")
    return now


def _body_text(msg: EmailMessage, warnings: list[str]) -> str:
    """The message's own text: its plain-text body, else its HTML body as text."""
    for kind in ("plain", "html"):
        part = msg.get_body(preferencelist=(kind,))
        if part is None:
            continue
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        text, problem = decode_text(data, part.get_content_charset())
        if problem:
            warnings.append(f"text/{kind} body: {problem}")
        if kind == "html":
            text = html_to_text(text)
            warnings.append("no plain-text body; the HTML body was converted to text")
        text = clean(text).strip()
        if text:
            return text
    return ""


def _header(msg: EmailMessage, name: str, warnings: list[str]) -> str:
    """A header's text; raw 8-bit bytes in it (which the parser would replace) are decoded."""
    raw = next((str(v) for n, v in msg.raw_items() if n.lower() == name.lower()), "")
    value, problem = header_text(raw)
    if problem is None:
        value, problem = header_text(str(msg.get(name, "")))
    if problem:
        warnings.append(f"{name}: {problem}")
    return value


_LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


def _language(msg: EmailMessage) -> str | None:
    value = str(msg.get("Content-Language", "")).split(",")[0].strip()
    head, _, rest = value.partition("-")
    tag = head.lower() + (f"-{rest}" if rest else "")
    return tag if _LANGUAGE_TAG.match(tag) else None


_ADDRESS = re.compile(r"^[^@\s]+@[^@\s]+$")


def _party(msg: EmailMessage, case: Any, language: str, warnings: list[str]) -> Party | None:
    addresses = getattr(msg.get("From"), "addresses", ())
    if not addresses:
        warnings.append("no sender address (From)")
        return None
    display, problem = header_text(addresses[0].display_name)
    if problem:
        warnings.append(f"From: {problem}")
    name = " ".join(display.split()) or None
    email: str | None = addresses[0].addr_spec
    if email and (not _ADDRESS.match(email) or header_text(email)[1]):
        warnings.append(f"sender address {header_text(email)[0][:80]!r} is not usable")
        email = None
    if name is None and email is None:
        return None
    return Party(
        id=part_id(case, "party", "from"),
        name=name,
        email=email,
        contact_preference=ContactPreference.EMAIL if email else ContactPreference.NONE,
        language=language,
    )


def mail_units(path: Path) -> Iterator[tuple[int, bytes]]:
    """The raw messages in ``path``, numbered from 1: an mbox file (it starts with a
    ``From`` line) holds many, any other file is one message."""
    with path.open("rb") as fh:
        is_mbox = fh.read(5) == b"From "
    if not is_mbox:
        yield 1, path.read_bytes()
        return
    box = mailbox.mbox(path, create=False)
    try:
        for position, key in enumerate(box.keys(), start=1):
            yield position, box.get_bytes(key)
    finally:
        box.close()


@attrs.frozen
class EmailChannel:
    """The ``email`` channel: ``.eml`` files and ``mbox`` mailboxes."""

    name = "email"
    suffixes = (".eml", ".mbox")
    option_help = OPTION_HELP

    settings: MailSettings = attrs.field(factory=MailSettings)
    options: Mapping[str, str] = attrs.field(factory=dict)
    sinks: Sinks = attrs.field(factory=Sinks)
    clock: Clock = attrs.field(factory=SystemClock)

    def configure(
        self,
        options: Mapping[str, str],
        *,
        quarantine: Quarantine | None = None,
        on_skip: Callable[[Skipped], None] | None = None,
    ) -> EmailChannel:
        return attrs.evolve(
            self,
            settings=MailSettings.from_options(options),
            options=dict(options),
            sinks=Sinks(quarantine, on_skip),
        )

    def read_raw(self, raw: bytes, source: str, position: int) -> list[Item]:
        return [
            parse_message(
                raw, source=source, position=position, settings=self.settings, clock=self.clock
            )
        ]

    def read(self, path: Path) -> Iterator[CaseRecord | Rejected]:
        return deliver(self, str(path), mail_units(path), ".eml")

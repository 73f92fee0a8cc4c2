"""Small Protocols for the effects plugins provide: intake channels, renderers,
notifiers, scorers and audit catalogues. Storage has its own port in
:mod:`feedbackkit.storage.protocol`, deadline calendars in :mod:`feedbackkit.deadlines`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Protocol

import attrs

from feedbackkit.models import CaseRecord

__all__ = [
    "AuditCatalogue",
    "ChannelReader",
    "Message",
    "Notifier",
    "Rejected",
    "Renderer",
    "Scorer",
]


@attrs.frozen
class Rejected:
    """An input item that was not accepted: where it was, which field, why, and the raw text."""

    source: str
    position: int
    """Line, row or message number in ``source`` (1-based)."""
    field: str
    reason: str
    raw: str


class ChannelReader(Protocol):
    """Reads feedback from one kind of input (JSONL, e-mail, a register, Signalen...)."""

    name: str
    suffixes: tuple[str, ...]
    """File name endings it reads, e.g. ``(".jsonl",)``; used to pick a channel by file type."""

    def read(self, path: Path) -> Iterator[CaseRecord | Rejected]:
        """Every item of ``path``, accepted or rejected; never stops on a bad item."""
        ...


@attrs.frozen
class Message:
    """A letter or e-mail to send: rendered text plus addressing."""

    template: str
    to: str
    subject: str
    body_text: str
    body_html: str | None = None
    language: str = "nl"
    headers: Mapping[str, str] = attrs.field(factory=dict, hash=False)


class Notifier(Protocol):
    """Sends messages (SMTP, a case system's outbox...)."""

    name: str

    def send(self, message: Message) -> str:
        """Send ``message`` and return a delivery reference (e.g. the Message-ID)."""
        ...


class Renderer(Protocol):
    """Renders a report document to one or more output formats."""

    name: str
    formats: tuple[str, ...]

    def render(self, document: Mapping[str, Any], fmt: str) -> bytes: ...


class Scorer(Protocol):
    """Scores audit evidence against a framework's criteria."""

    name: str

    def score(self, framework: Mapping[str, Any], evidence: Mapping[str, Any]) -> Mapping[str, Any]: ...


class AuditCatalogue(Protocol):
    """Supplies audit frameworks (Gouden Oor, ISO 10002...) as data."""

    name: str
    version: str

    def load(self) -> Mapping[str, Any]: ...

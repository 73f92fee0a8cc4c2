"""Small Protocols for the effects plugins provide: intake channels, renderers,
notifiers, scorers and audit catalogues. Storage has its own port in
:mod:`feedbackkit.storage.protocol`, deadline calendars in :mod:`feedbackkit.deadlines`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import attrs

from feedbackkit.models import CaseRecord

if TYPE_CHECKING:
    from feedbackkit.audit import Evidence, Framework, RecognitionScheme, Scoring
    from feedbackkit.channels.quarantine import Quarantine
    from feedbackkit.reports import Report

__all__ = [
    "AuditCatalogue",
    "ChannelReader",
    "ConfigurableChannel",
    "Message",
    "Notifier",
    "Rejected",
    "Renderer",
    "Scorer",
    "Skipped",
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


@attrs.frozen
class Skipped:
    """An input item that is deliberately not feedback (an auto-reply, a bounce, reference
    data): neither a case nor an error."""

    source: str
    position: int
    reason: str


class ChannelReader(Protocol):
    """Reads feedback from one kind of input (JSONL, e-mail, a register, Signalen...)."""

    @property
    def name(self) -> str: ...

    @property
    def suffixes(self) -> tuple[str, ...]:
        """File name endings it reads, e.g. ``(".jsonl",)``; used to pick a channel by file type."""
        ...

    def read(self, path: Path) -> Iterator[CaseRecord | Rejected]:
        """Every item of ``path``, accepted or rejected; never stops on a bad item."""
        ...


class ConfigurableChannel(ChannelReader, Protocol):
    """A channel that takes options (a mapping file, an account...) and re-reads one item.

    Options are text (``NAME=VALUE`` on a command line), so they can be stored with a
    quarantined item and used again when it is re-processed. ``read`` sends rejected
    items (with their raw bytes) to the quarantine, if any, and skipped ones to
    ``on_skip``; it yields cases and rejections as every channel does.
    """

    @property
    def option_help(self) -> Mapping[str, str]:
        """Every option the channel accepts, with a one-line description."""
        ...

    @property
    def options(self) -> Mapping[str, str]:
        """The options in effect."""
        ...

    def configure(
        self,
        options: Mapping[str, str],
        *,
        quarantine: Quarantine | None = None,
        on_skip: Callable[[Skipped], None] | None = None,
    ) -> ConfigurableChannel:
        """A reader using ``options``; :class:`~feedbackkit.errors.ValidationError` names an
        unknown or invalid option."""
        ...

    def read_raw(
        self, raw: bytes, source: str, position: int
    ) -> Sequence[CaseRecord | Rejected | Skipped]:
        """What one input item (its raw bytes, at ``position`` of ``source``) yields, skipped
        items included: usually one case or rejection; a Signalen signal also yields a case
        per satisfaction answer."""
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
    """Renders a :class:`~feedbackkit.reports.Report` to one or more output formats."""

    name: str
    formats: tuple[str, ...]
    """Formats it writes, named like file suffixes: ``("pdf",)``."""

    def render(self, report: Report, fmt: str) -> bytes:
        """``report`` as the bytes of a file in format ``fmt``."""
        ...


class Scorer(Protocol):
    """Scores audit evidence against a framework's criteria (see :mod:`feedbackkit.audit`).

    A criterion without linked evidence must get no score; :func:`feedbackkit.audit.run`
    rejects a scoring that breaks this rule.
    """

    @property
    def name(self) -> str: ...

    def score(
        self, framework: Framework, evidence: Evidence, scheme: RecognitionScheme | None
    ) -> Scoring: ...


class AuditCatalogue(Protocol):
    """Supplies one audit framework (Gouden Oor, ISO 10002...) as data, by name and version."""

    @property
    def name(self) -> str: ...

    @property
    def version(self) -> str: ...

    def load(self) -> Framework: ...

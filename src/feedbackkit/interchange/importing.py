"""Importing cases from any registered channel: good items in, bad ones to a reject file.

Nothing is dropped silently: every item read is inserted, skipped as already stored
(import is idempotent on the case id), or rejected with its position, field, reason
and raw text. Items stream from the channel and are stored in batches.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from types import TracebackType
from typing import IO, TYPE_CHECKING

import attrs

from feedbackkit.converter import unstructure
from feedbackkit.errors import (
    FeedbackkitError,
    IllegalActionError,
    NotFoundError,
    ValidationError,
)
from feedbackkit.interchange.jsonl import encode
from feedbackkit.models import CaseRecord
from feedbackkit.ports import ChannelReader, Rejected
from feedbackkit.storage.checks import check_case
from feedbackkit.workflow.case import CaseState, derive

if TYPE_CHECKING:
    from feedbackkit.service import FeedbackKit

__all__ = ["ImportReport", "RejectFile", "choose_channel", "default_rejects_path", "import_items"]


@attrs.frozen
class ImportReport:
    """What one import did. ``read == inserted + skipped + rejected`` always holds."""

    source: str
    read: int = 0
    inserted: int = 0
    skipped: int = 0
    """Cases already stored (same id): left unchanged."""
    rejected: int = 0
    rejects_path: Path | None = None
    """Where the rejected items were written; ``None`` when nothing was rejected."""

    def summary(self) -> str:
        text = (
            f"{self.source}: {self.read} read = {self.inserted} imported"
            f" + {self.skipped} already present + {self.rejected} rejected"
        )
        if self.rejects_path is not None:
            text += f" (written to {self.rejects_path})"
        return text


def default_rejects_path(source: Path) -> Path:
    """``cases.rejects.jsonl`` next to ``cases.jsonl`` (any suffix is replaced)."""
    return source.with_name(f"{source.stem}.rejects.jsonl")


def choose_channel(
    channels: Mapping[str, ChannelReader], path: Path, name: str | None = None
) -> ChannelReader:
    """The channel called ``name``, else the one whose longest suffix ends ``path``'s name."""
    if name is not None:
        if name not in channels:
            raise NotFoundError("channel", f"{name!r} (known: {', '.join(sorted(channels))})")
        return channels[name]
    filename = path.name.lower()
    matches = [
        (len(suffix), channel)
        for channel in channels.values()
        for suffix in channel.suffixes
        if filename.endswith(suffix.lower())
    ]
    if not matches:
        known = ", ".join(f"{n} ({' '.join(c.suffixes)})" for n, c in sorted(channels.items()))
        raise FeedbackkitError(f"no channel reads {path.name!r}; known: {known}")
    return max(matches, key=lambda m: m[0])[1]


class RejectFile:
    """A JSON Lines file of rejected items, created on the first rejection only."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file: IO[str] | None = None

    @property
    def written(self) -> bool:
        return self._file is not None

    def write(self, rejected: Rejected) -> None:
        if self._file is None:
            self._file = self.path.open("w", encoding="utf-8")
        self._file.write(json.dumps(unstructure(rejected), ensure_ascii=False) + "\n")

    def __enter__(self) -> RejectFile:
        return self

    def __exit__(
        self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._file is not None:
            self._file.close()


def import_items(
    kit: FeedbackKit,
    items: Iterable[CaseRecord | Rejected],
    *,
    source: str,
    rejects: RejectFile,
    on_reject: Callable[[Rejected], None] = lambda _: None,
    parallel: bool = False,
) -> ImportReport:
    """Store the accepted ``items`` (checked against their procedure), streamed.

    ``items`` come from a :class:`~feedbackkit.ports.ChannelReader`: one per input
    item, in order, so the n-th is at position n. They are consumed lazily and go to
    the store's bulk ingest as they are checked (one transaction per store batch), so
    memory stays bounded whatever the input size. A case its procedure does not accept
    (history, payload, unknown procedure) or with a party that plays no role is rejected
    at its position, naming the event or field, with the case re-serialised as raw text.
    ``parallel`` is :meth:`FeedbackKit.ingest <feedbackkit.service.FeedbackKit.ingest>`'s.
    """
    read = rejected = 0

    def reject(item: Rejected) -> None:
        nonlocal rejected
        rejected += 1
        rejects.write(item)
        on_reject(item)

    def accepted() -> Iterator[tuple[CaseRecord, CaseState]]:
        nonlocal read
        for position, item in enumerate(items, start=1):
            read += 1
            if isinstance(item, Rejected):
                reject(item)
                continue
            try:
                record, state = kit.prepare(item)
                check_case(record, state)
            except (ValidationError, IllegalActionError, NotFoundError) as exc:
                field = _field_of(kit, item, exc)
                reject(Rejected(source, position, field, _reason(exc), encode(item)))
                continue
            yield record, state

    stored = kit.ingest_prepared(accepted(), parallel=parallel)
    return ImportReport(
        source,
        read,
        stored.inserted,
        stored.skipped,
        rejected,
        rejects.path if rejects.written else None,
    )


def _field_of(kit: FeedbackKit, record: CaseRecord, exc: FeedbackkitError) -> str:
    """The field of a case its procedure does not accept: the procedure or the failing event."""
    if isinstance(exc, NotFoundError):
        return "feedback.procedure"
    if isinstance(exc, ValidationError) and exc.field.startswith(("events", "parties")):
        return exc.field
    procedure = kit.procedure_for(record.feedback)
    for index in range(len(record.events)):
        try:
            derive(procedure, record.feedback.id, record.events[: index + 1])
        except (IllegalActionError, ValidationError):
            suffix = f".{exc.field}" if isinstance(exc, ValidationError) else ".action"
            return f"events[{index}]{suffix}"
    return "events"


def _reason(exc: FeedbackkitError) -> str:
    return exc.message if isinstance(exc, ValidationError) else str(exc)

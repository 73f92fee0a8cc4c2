"""The quarantine: every rejected input item, kept with its raw bytes and the reason.

Nothing a channel rejects is lost. A quarantined item records the channel that read
it and the options it used, where it came from (source and position), the field
and the reason. After a fix (edit the raw bytes, or re-run with other options such
as a corrected mapping file) :func:`reprocess` reads it again through the same
channel and stores what is accepted; what is still wrong stays, with the new reason.

:class:`DirectoryQuarantine` keeps one directory per item::

    ROOT/<id>/raw.eml       the bytes exactly as read (the suffix fits the channel)
    ROOT/<id>/reason.json   channel, options, source, position, field, reason, status

The id is derived from the channel, source, position and bytes, so rejecting the same
item again (re-running an import) does not quarantine it twice.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import attrs

from feedbackkit.clock import Clock, SystemClock
from feedbackkit.converter import structure, unstructure
from feedbackkit.errors import (
    FeedbackkitError,
    IllegalActionError,
    NotFoundError,
    ValidationError,
)
from feedbackkit.models import CaseRecord
from feedbackkit.ports import ChannelReader, Rejected, Skipped

if TYPE_CHECKING:
    from feedbackkit.service import FeedbackKit

__all__ = [
    "DirectoryQuarantine",
    "Quarantine",
    "QuarantinedItem",
    "ReprocessReport",
    "reprocess",
]


@attrs.frozen
class QuarantinedItem:
    """One rejected input item and what is known about it."""

    id: str
    channel: str
    source: str
    position: int
    field: str
    reason: str
    quarantined_at: datetime
    options: Mapping[str, str] = attrs.field(factory=dict, hash=False)
    """The channel options the item was read with (used again when it is re-processed)."""
    suffix: str = ""
    """File name ending of the raw bytes (``.eml``, ``.json``), for editors."""
    attempts: int = 0
    """How often re-processing was tried and failed."""
    resolved_at: datetime | None = None
    resolution: str | None = None

    @property
    def resolved(self) -> bool:
        return self.resolved_at is not None


class Quarantine(Protocol):
    """Keeps rejected items until they are fixed and re-processed (or resolved by hand)."""

    def put(
        self,
        rejected: Rejected,
        raw: bytes,
        *,
        channel: str,
        options: Mapping[str, str],
        suffix: str = "",
    ) -> QuarantinedItem:
        """Quarantine ``raw`` (the item's exact bytes); an item already kept is not duplicated."""
        ...

    def items(self, *, include_resolved: bool = False) -> Iterator[QuarantinedItem]:
        """The quarantined items, oldest first; resolved ones only when asked."""
        ...

    def get(self, item_id: str) -> QuarantinedItem:
        """One item; :class:`~feedbackkit.errors.NotFoundError` if unknown."""
        ...

    def raw(self, item_id: str) -> bytes:
        """The item's bytes as they are now (possibly fixed by hand)."""
        ...

    def record_attempt(self, item_id: str, field: str, reason: str) -> QuarantinedItem:
        """Note that re-processing failed again, and why."""
        ...

    def resolve(self, item_id: str, resolution: str) -> QuarantinedItem:
        """Mark the item as dealt with (imported, skipped, or handled by hand)."""
        ...


@attrs.frozen
class DirectoryQuarantine:
    """A quarantine in a directory: one sub-directory per item (see the module doc)."""

    root: Path
    clock: Clock = attrs.field(factory=SystemClock)

    def put(
        self,
        rejected: Rejected,
        raw: bytes,
        *,
        channel: str,
        options: Mapping[str, str],
        suffix: str = "",
    ) -> QuarantinedItem:
        digest = hashlib.sha256()
        for part in (channel, rejected.source, str(rejected.position)):
            digest.update(part.encode("utf-8", "surrogateescape") + b"\x1f")
        digest.update(raw)
        item_id = digest.hexdigest()[:24]
        folder = self.root / item_id
        if (folder / "reason.json").exists():
            item = self.get(item_id)
            if item.resolved:
                return item
            return self._write(attrs.evolve(item, field=rejected.field, reason=rejected.reason))
        folder.mkdir(parents=True, exist_ok=True)
        _atomic_write(folder / f"raw{suffix}", raw)
        item = QuarantinedItem(
            id=item_id,
            channel=channel,
            source=rejected.source,
            position=rejected.position,
            field=rejected.field,
            reason=rejected.reason,
            quarantined_at=self.clock.now(),
            options=dict(options),
            suffix=suffix,
        )
        return self._write(item)

    def items(self, *, include_resolved: bool = False) -> Iterator[QuarantinedItem]:
        if not self.root.is_dir():
            return iter(())
        found = [self._load(p) for p in self.root.glob("*/reason.json")]
        chosen = (i for i in found if include_resolved or not i.resolved)
        return iter(sorted(chosen, key=lambda i: (i.quarantined_at, i.id)))

    def get(self, item_id: str) -> QuarantinedItem:
        path = self.root / item_id / "reason.json"
        if "/" in item_id or not path.is_file():
            raise NotFoundError("quarantined item", item_id)
        return self._load(path)

    def raw(self, item_id: str) -> bytes:
        item = self.get(item_id)
        return (self.root / item_id / f"raw{item.suffix}").read_bytes()

    def record_attempt(self, item_id: str, field: str, reason: str) -> QuarantinedItem:
        item = self.get(item_id)
        return self._write(
            attrs.evolve(item, field=field, reason=reason, attempts=item.attempts + 1)
        )

    def resolve(self, item_id: str, resolution: str) -> QuarantinedItem:
        item = self.get(item_id)
        return self._write(attrs.evolve(item, resolved_at=self.clock.now(), resolution=resolution))

    def _load(self, path: Path) -> QuarantinedItem:
        return structure(json.loads(path.read_text("utf-8")), QuarantinedItem)

    def _write(self, item: QuarantinedItem) -> QuarantinedItem:
        text = json.dumps(unstructure(item), ensure_ascii=False, indent=2) + "\n"
        _atomic_write(self.root / item.id / "reason.json", text.encode("utf-8"))
        return item


def _atomic_write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".part-")
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.replace(tmp, path)


@attrs.frozen
class ReprocessReport:
    """What :func:`reprocess` did, by item id."""

    imported: tuple[str, ...] = ()
    """Read and stored (or already stored): resolved."""
    skipped: tuple[str, ...] = ()
    """Now recognised as not feedback (an auto-reply...): resolved."""
    rejected: tuple[str, ...] = ()
    """Still rejected: kept, with the new reason."""


def reprocess(
    quarantine: Quarantine,
    channels: Mapping[str, ChannelReader],
    kit: FeedbackKit,
    *,
    ids: Iterable[str] | None = None,
    options: Mapping[str, str] | None = None,
) -> ReprocessReport:
    """Read the open quarantined items (or those in ``ids``) again and store what is accepted.

    Each item goes through the channel that rejected it, with the options it was read
    with, updated by ``options`` (for example a corrected ``mapping``). A channel that
    cannot re-read a single item (no ``read_raw``) reads the raw bytes as a file.
    """
    wanted = set(ids) if ids is not None else None
    imported: list[str] = []
    skipped: list[str] = []
    rejected: list[str] = []
    for item in list(quarantine.items()):
        if wanted is not None and item.id not in wanted:
            continue
        try:
            results = _reread(channels, item, quarantine.raw(item.id), options or {})
            problem = _store(kit, results)
        except FeedbackkitError as exc:
            problem = ("channel", str(exc))
        if problem is not None:
            quarantine.record_attempt(item.id, *problem)
            rejected.append(item.id)
        elif results and all(isinstance(r, Skipped) for r in results):
            reasons = "; ".join(r.reason for r in results if isinstance(r, Skipped))
            quarantine.resolve(item.id, f"skipped: {reasons}")
            skipped.append(item.id)
        else:
            quarantine.resolve(item.id, "imported")
            imported.append(item.id)
    return ReprocessReport(tuple(imported), tuple(skipped), tuple(rejected))


def _reread(
    channels: Mapping[str, ChannelReader],
    item: QuarantinedItem,
    raw: bytes,
    overrides: Mapping[str, str],
) -> list[CaseRecord | Rejected | Skipped]:
    if item.channel not in channels:
        raise NotFoundError("channel", item.channel)
    channel = channels[item.channel]
    configure = getattr(channel, "configure", None)
    if configure is not None and hasattr(channel, "read_raw"):
        configured = configure({**item.options, **overrides})
        return list(configured.read_raw(raw, item.source, item.position))
    with tempfile.TemporaryDirectory(prefix="feedbackkit-quarantine-") as folder:
        path = Path(folder) / f"item{item.suffix}"
        path.write_bytes(raw)
        return list(channel.read(path))


def _store(
    kit: FeedbackKit, results: list[CaseRecord | Rejected | Skipped]
) -> tuple[str, str] | None:
    """Store the accepted records; the field and reason of the first problem, if any."""
    if not results:
        return ("item", "nothing was read from the item")
    for result in results:
        if isinstance(result, Rejected):
            return (result.field, result.reason)
    records = [r for r in results if isinstance(r, CaseRecord)]
    try:
        kit.ingest(records)
    except (ValidationError, IllegalActionError, NotFoundError) as exc:
        field = exc.field if isinstance(exc, ValidationError) else "events"
        return (field, str(exc))
    return None

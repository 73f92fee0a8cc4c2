"""What every channel does with an item once it is read: cases go on, rejections go to
the quarantine (raw bytes included), skipped items to a callback or the log."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Protocol

import attrs

from feedbackkit.errors import ValidationError
from feedbackkit.models import CaseRecord
from feedbackkit.ports import Rejected, Skipped

if TYPE_CHECKING:
    from feedbackkit.channels.quarantine import Quarantine

__all__ = ["Item", "Sinks", "check_options", "deliver"]

Item = CaseRecord | Rejected | Skipped
"""What a channel makes of one input item."""

log = logging.getLogger("feedbackkit.channels")


@attrs.frozen
class Sinks:
    """Where a channel sends what is not a case."""

    quarantine: Quarantine | None = None
    on_skip: Callable[[Skipped], None] | None = None

    def route(
        self,
        item: Item,
        raw: bytes,
        *,
        channel: str,
        options: Mapping[str, str],
        suffix: str,
    ) -> CaseRecord | Rejected | None:
        """``item`` for the caller to yield, or ``None`` for a skipped item (reported here).

        A rejection is quarantined with ``raw``, the channel and its options, so it can
        be re-processed after a fix.
        """
        if isinstance(item, Skipped):
            if self.on_skip is not None:
                self.on_skip(item)
            else:
                log.info("%s:%d: skipped: %s", item.source, item.position, item.reason)
            return None
        if isinstance(item, Rejected) and self.quarantine is not None:
            self.quarantine.put(item, raw, channel=channel, options=options, suffix=suffix)
        return item


def check_options(channel: str, options: Mapping[str, str], known: Mapping[str, str]) -> None:
    """Raise :class:`~feedbackkit.errors.ValidationError` for an option ``channel`` lacks."""
    for key in options:
        if key not in known:
            raise ValidationError(
                f"option {key}",
                f"channel {channel!r} has no such option; known: {', '.join(sorted(known))}",
            )


class _ItemChannel(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def options(self) -> Mapping[str, str]: ...
    @property
    def sinks(self) -> Sinks: ...
    def read_raw(self, raw: bytes, source: str, position: int) -> Sequence[Item]: ...


def deliver(
    channel: _ItemChannel, source: str, units: Iterable[tuple[int, bytes]], suffix: str
) -> Iterator[CaseRecord | Rejected]:
    """Read each ``(position, raw bytes)`` unit of ``source`` with ``channel`` and route it."""
    for position, raw in units:
        for item in channel.read_raw(raw, source, position):
            routed = channel.sinks.route(
                item, raw, channel=channel.name, options=channel.options, suffix=suffix
            )
            if routed is not None:
                yield routed

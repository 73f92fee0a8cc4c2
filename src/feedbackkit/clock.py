"""Time: the Europe/Amsterdam zone and the Clock port (effects stay behind Protocols)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

import attrs

__all__ = ["AMSTERDAM", "Clock", "FixedClock", "SystemClock", "local_date"]

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


class Clock(Protocol):
    """Tells the current time, tz-aware."""

    def now(self) -> datetime: ...


class SystemClock:
    """The real clock, in Europe/Amsterdam."""

    def now(self) -> datetime:
        return datetime.now(AMSTERDAM)


@attrs.define
class FixedClock:
    """A clock for tests and replays: stands still until advanced."""

    current: datetime

    def now(self) -> datetime:
        return self.current

    def advance(self, delta: timedelta) -> None:
        self.current = self.current + delta


def local_date(moment: datetime) -> datetime:
    """``moment`` converted to Europe/Amsterdam (terms count in local calendar days)."""
    return moment.astimezone(AMSTERDAM)

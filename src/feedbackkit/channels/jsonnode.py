"""Reading untrusted JSON: every value knows its path, every wrong type names it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import attrs

from feedbackkit.channels.cleaning import clean
from feedbackkit.clock import AMSTERDAM

__all__ = ["Node", "NodeError"]


class NodeError(Exception):
    """A JSON value is missing or has the wrong type; ``field`` is its path."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "text", bool: "true/false"}.get(
        type(value), type(value).__name__
    )


@attrs.frozen
class Node:
    """A value from parsed JSON at ``path`` (``history[2].when``); ``None`` when absent."""

    value: Any
    path: str

    def __getitem__(self, key: str) -> Node:
        path = f"{self.path}.{key}" if self.path else key
        if self.value is None:
            return Node(None, path)
        if not isinstance(self.value, dict):
            raise NodeError(self.path, f"expected an object, got {_kind(self.value)}")
        return Node(self.value.get(key), path)

    def has(self, key: str) -> bool:
        return isinstance(self.value, dict) and key in self.value

    def keys(self) -> frozenset[str]:
        return frozenset(self.value) if isinstance(self.value, dict) else frozenset()

    def __iter__(self) -> Iterator[Node]:
        """The items of a list (none when absent)."""
        if self.value is None:
            return iter(())
        if not isinstance(self.value, list):
            raise NodeError(self.path, f"expected a list, got {_kind(self.value)}")
        return (Node(v, f"{self.path}[{i}]") for i, v in enumerate(self.value))

    def text(self) -> str | None:
        """Clean, stripped text (numbers as text); ``None`` when absent or blank."""
        value = self.value
        if value is None:
            return None
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            raise NodeError(self.path, f"expected text, got {_kind(value)}")
        return clean(value).strip() or None

    def flag(self) -> bool | None:
        if self.value is None or isinstance(self.value, bool):
            return self.value
        raise NodeError(self.path, f"expected true or false, got {_kind(self.value)}")

    def moment(self, warnings: list[str]) -> datetime | None:
        """An ISO 8601 moment; one without a UTC offset is read as Europe/Amsterdam (warned)."""
        text = self.text()
        if text is None:
            return None
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise NodeError(self.path, f"{text[:60]!r} is not an ISO 8601 moment") from None
        if moment.utcoffset() is None:
            warnings.append(f"{self.path} has no UTC offset; read as Europe/Amsterdam")
            moment = moment.replace(tzinfo=AMSTERDAM)
        try:
            moment.astimezone(UTC)
        except OverflowError:
            raise NodeError(self.path, f"{text[:60]!r} is out of range") from None
        return moment

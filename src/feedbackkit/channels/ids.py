"""Deterministic identifiers for what channels read, so re-importing an item is a no-op.

A case id is a UUID version 5 of the channel name and the item's own key (an
e-mail's Message-ID, a register row's key, a Signalen signal's id); parties and
events of the case derive their ids from the case id. The same input therefore
always yields the same record, and a store skips a case it already holds.
"""

from __future__ import annotations

import hashlib
import uuid

__all__ = ["NAMESPACE", "case_id", "content_key", "part_id"]

NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:feedbackkit:intake")
"""The namespace of every id a channel derives."""


def case_id(channel: str, key: str) -> uuid.UUID:
    """The id of the case read by ``channel`` from the item identified by ``key``."""
    return uuid.uuid5(NAMESPACE, f"{channel}\x1f{key}")


def part_id(case: uuid.UUID, *parts: object) -> uuid.UUID:
    """The id of a party or event belonging to ``case``, named by ``parts``."""
    return uuid.uuid5(case, "\x1f".join(str(p) for p in parts))


def content_key(raw: bytes) -> str:
    """A key for an item without an identifier of its own: the SHA-256 of its bytes."""
    return "sha256:" + hashlib.sha256(raw).hexdigest()

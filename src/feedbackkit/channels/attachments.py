"""Attachments kept by reference: metadata and a content hash on the case, bytes elsewhere.

An :class:`AttachmentStore` keeps the bytes and says where; the case records an
:class:`AttachmentRef` (file name, type, size, SHA-256, location) in its intake
note. An attachment larger than the limit, or one arriving when no store is
configured, is not kept, but still recorded with the reason.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator
from email.message import EmailMessage, MIMEPart
from pathlib import Path
from typing import Protocol

import attrs

from feedbackkit.channels.mailtext import header_text

__all__ = ["AttachmentRef", "AttachmentStore", "DirectoryAttachmentStore", "attachments_of"]


class AttachmentStore(Protocol):
    """Keeps attachment bytes (a directory, a document management system...)."""

    def put(self, data: bytes, sha256: str, filename: str | None) -> str:
        """Keep ``data`` (whose hash is ``sha256``) and return where it is kept."""
        ...


@attrs.frozen
class DirectoryAttachmentStore:
    """Content-addressed files: ``ROOT/ab/abcdef...`` by SHA-256, each written once."""

    root: Path

    def put(self, data: bytes, sha256: str, filename: str | None) -> str:
        target = self.root / sha256[:2] / sha256
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".part-")
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, target)
        return target.as_uri()


@attrs.frozen
class AttachmentRef:
    """One attachment of a message as the case records it."""

    filename: str | None
    content_type: str
    size: int
    sha256: str
    location: str | None
    """Where the bytes are kept (a URI), or ``None`` when they were not kept."""
    not_kept: str | None = None
    """Why the bytes were not kept (too large, no store configured)."""


def attachments_of(
    msg: EmailMessage, store: AttachmentStore | None, max_bytes: int
) -> Iterator[AttachmentRef]:
    """Every attachment of ``msg``, kept in ``store`` when it is at most ``max_bytes``."""
    for part in msg.iter_attachments() if msg.is_multipart() else ():
        yield from _refs(part, store, max_bytes)


def _refs(part: MIMEPart, store: AttachmentStore | None, max_bytes: int) -> Iterator[AttachmentRef]:
    if part.get_content_maintype() == "multipart":
        for inner in part.iter_parts():
            yield from _refs(inner, store, max_bytes)
        return
    if part.get_content_maintype() == "message":  # a forwarded message: kept whole
        attached = part.get_payload(0)
        data = attached.as_bytes() if isinstance(attached, MIMEPart) else b""
    else:
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
    digest = hashlib.sha256(data).hexdigest()
    filename = part.get_filename()
    filename = header_text(filename)[0] if filename else None
    if len(data) > max_bytes:
        location, reason = None, f"larger than the limit of {max_bytes} bytes"
    elif store is None:
        location, reason = None, "no attachment store configured"
    else:
        location, reason = store.put(data, digest, filename), None
    yield AttachmentRef(filename, part.get_content_type(), len(data), digest, location, reason)

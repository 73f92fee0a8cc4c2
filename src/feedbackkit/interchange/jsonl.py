"""The ``feedbackkit/1`` JSON Lines format: one whole case per line (docs/interchange.md).

A line holds the case as stored (``feedback``, ``parties``, ``events``, ``outcomes``)
and, on export, what is derived from it (``state``, ``as_of``, ``deadlines``). Every
part crosses through the one converter. Reading ignores the derived keys: they are
recomputed on import and never required.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from feedbackkit.converter import structure, unstructure
from feedbackkit.deadlines import Deadline
from feedbackkit.errors import InterchangeError, ValidationError
from feedbackkit.models import CaseRecord
from feedbackkit.ports import Rejected
from feedbackkit.workflow.case import CaseState

__all__ = ["CASE_KEYS", "DERIVED_KEYS", "FORMAT", "JsonlChannel", "decode", "encode", "read"]

FORMAT = "feedbackkit/1"
"""The value of every line's ``format`` key; a reader rejects lines of another version."""

CASE_KEYS = ("feedback", "parties", "events", "outcomes")
"""The stored parts of a case (:class:`~feedbackkit.models.CaseRecord` fields)."""

DERIVED_KEYS = ("state", "as_of", "deadlines")
"""Written on export for readers of the file; ignored on import (recomputed)."""


def encode(
    record: CaseRecord,
    state: CaseState | None = None,
    deadlines: Sequence[Deadline] = (),
    as_of: date | None = None,
) -> str:
    """One line (without the newline) for ``record`` and, optionally, what is derived from it."""
    line: dict[str, Any] = {"format": FORMAT, **unstructure(record)}
    if state is not None:
        line["state"] = unstructure(state)
    if as_of is not None:
        line["as_of"] = unstructure(as_of)
        line["deadlines"] = unstructure(tuple(deadlines))
    return json.dumps(line, ensure_ascii=False)


def decode(text: str, line: int) -> CaseRecord:
    """The case on ``text`` (line ``line``); :class:`InterchangeError` names line and field."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InterchangeError(
            line, "json", f"invalid JSON: {exc.msg} (column {exc.colno})"
        ) from None
    if not isinstance(data, dict):
        raise InterchangeError(line, "json", f"expected a JSON object, got {type(data).__name__}")
    if "format" not in data:
        raise InterchangeError(line, "format", f"required field missing (expected {FORMAT!r})")
    if data["format"] != FORMAT:
        raise InterchangeError(
            line, "format", f"unsupported format {data['format']!r}; this version reads {FORMAT!r}"
        )
    unknown = sorted(set(data) - {"format", *CASE_KEYS, *DERIVED_KEYS})
    if unknown:
        raise InterchangeError(line, unknown[0], f"unknown field(s): {', '.join(unknown)}")
    if "feedback" not in data:
        raise InterchangeError(line, "feedback", "required field missing")
    try:
        return structure({k: data[k] for k in CASE_KEYS if k in data}, CaseRecord)
    except ValidationError as exc:
        raise InterchangeError(line, exc.field, exc.message) from None


def read(path: Path) -> Iterator[CaseRecord | Rejected]:
    """One item per line of ``path``, in order: the case, or why the line was rejected.

    Lines are read one at a time (bounded memory). A blank line or one that is not
    UTF-8 is rejected like any other bad line: nothing is skipped silently.
    """
    source = str(path)
    with path.open("rb") as lines:
        for number, raw in enumerate(lines, start=1):
            try:
                text = raw.decode("utf-8").rstrip("\r\n")
            except UnicodeDecodeError as exc:
                shown = raw.decode("utf-8", "replace").rstrip("\r\n")
                yield Rejected(source, number, "encoding", f"not UTF-8: {exc.reason}", shown)
                continue
            if number == 1:
                text = text.removeprefix("\ufeff")  # a byte-order mark some editors write
            if not text.strip():
                yield Rejected(source, number, "line", "blank line; expected one case", text)
                continue
            try:
                yield decode(text, number)
            except InterchangeError as exc:
                yield Rejected(source, number, exc.field, exc.message, text)


class JsonlChannel:
    """The built-in channel reading ``feedbackkit/1`` JSON Lines files."""

    name = "jsonl"
    suffixes = (".jsonl", ".ndjson")

    def read(self, path: Path) -> Iterator[CaseRecord | Rejected]:
        return read(path)

"""Auditor observations read from a TOML file.

The file names the framework and version it is about, optionally a default auditor,
and one ``[[observation]]`` table per observation::

    framework = "gouden-oor"
    version = "2012+feedbackkit.1"
    auditor = "A. de Vries"

    [[observation]]
    id = "O-1"
    criteria = ["svk-kanalen"]
    kind = "improvement"          # finding, strength, improvement, recommendation, tip
    facet = "operation"           # design, operation, evaluation (needed with a level)
    level = 2                     # on the criterion's scale; leave out for an unrated remark
    text = "Telefonische klachten worden niet geregistreerd."
    cases = ["0b7e4a4e-6a34-4a3c-9a3e-0d5c2f3b1f11"]
    documents = ["Klachtenregeling 2023, art. 4"]
    observed_on = 2024-03-12

Errors name the line of the offending key (or of its ``[[observation]]`` header).
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import attrs

from feedbackkit.audit.evidence import EvidenceFileError, Observation
from feedbackkit.audit.framework import Framework
from feedbackkit.converter import structure
from feedbackkit.errors import ValidationError

__all__ = ["read_observations"]

_HEADER = re.compile(r"^\s*\[\[\s*observation\s*\]\]")
_TOP_KEYS = ("framework", "version", "auditor", "observation")
_KEYS = tuple(f.name for f in attrs.fields(Observation) if f.name != "source")


def read_observations(path: Path, framework: Framework) -> tuple[Observation, ...]:
    """The observations in ``path`` about ``framework``; raises :class:`EvidenceFileError`."""
    source = path.name
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise EvidenceFileError(source, line, "encoding", "the file is not UTF-8") from None
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"line (\d+)", str(exc))
        raise EvidenceFileError(source, int(found[1]) if found else 1, "toml", str(exc)) from None
    lines = text.splitlines()
    headers = [number for number, line in enumerate(lines, 1) if _HEADER.match(line)]
    first = headers[0] if headers else len(lines) + 1
    top = _Block(source, lines, 1, first)
    for key in document:
        if key not in _TOP_KEYS:
            raise top.error(key, f"unknown key; allowed: {', '.join(_TOP_KEYS)}")
    for key, expected in (("framework", framework.name), ("version", framework.version)):
        if document.get(key) != expected:
            raise top.error(key, f"the file is for {key} {document.get(key)!r}, not {expected!r}")
    entries = document.get("observation", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise top.error("observation", "must be [[observation]] tables")
    observations: list[Observation] = []
    seen: dict[str, int] = {}
    for number, entry in enumerate(entries, 1):
        start = headers[number - 1] if number <= len(headers) else 1
        end = headers[number] if number < len(headers) else len(lines) + 1
        block = _Block(source, lines, start, end)
        observation = _observation(
            block, framework, entry, document.get("auditor"), path.stem, number
        )
        if observation.id in seen:
            raise block.error(
                "id", f"{observation.id!r} is already used on line {seen[observation.id]}"
            )
        seen[observation.id] = start
        observations.append(observation)
    return tuple(observations)


def _observation(
    block: _Block,
    framework: Framework,
    entry: dict[str, Any],
    auditor: Any,
    stem: str,
    number: int,
) -> Observation:
    for key in entry:
        if key not in _KEYS:
            raise block.error(key, f"unknown key; allowed: {', '.join(_KEYS)}")
    raw = {"id": f"{stem}-{number}", "auditor": auditor, **entry}
    raw["source"] = f"{block.source}:{block.start}"
    if isinstance(raw.get("criteria"), list):
        raw["criteria"] = [
            {"framework": framework.name, "criterion": c} if isinstance(c, str) else c
            for c in raw["criteria"]
        ]
    try:
        observation = structure(raw, Observation)
    except ValidationError as exc:
        raise block.error(exc.field, exc.message) from None
    for ref in observation.criteria:
        if not framework.has_criterion(ref.criterion):
            raise block.error(
                "criteria", f"unknown criterion {ref.criterion!r} of {framework.name}"
            )
        if observation.level is not None:
            try:
                framework.scale_of(framework.criterion(ref.criterion)).fraction(observation.level)
            except ValidationError as exc:
                raise block.error("level", f"{ref.criterion}: {exc.message}") from None
    return observation


@attrs.frozen
class _Block:
    """Lines ``start`` up to ``end`` of a file; errors point at the line of a key in it."""

    source: str
    lines: list[str]
    start: int
    end: int

    def error(self, field: str, message: str) -> EvidenceFileError:
        key = re.split(r"[.\[]", field, maxsplit=1)[0]
        pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
        line = next(
            (n for n in range(self.start, self.end) if pattern.match(self.lines[n - 1])),
            self.start,
        )
        return EvidenceFileError(self.source, line, field, message)

"""The column mapping of a complaint register: which column holds which field, how values
and dates are written, and which handling events a handled row stands for.

A mapping is a TOML file (reference and example in ``docs/channels.md``). Loading
checks it completely and raises :class:`~feedbackkit.errors.ValidationError` naming
the key that is wrong, before any row is read.
"""

from __future__ import annotations

import codecs
import string
import tomllib
from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs

from feedbackkit.clock import AMSTERDAM
from feedbackkit.errors import ValidationError
from feedbackkit.vocabulary import Channel, Form, Initiative, Judgement, Kind, Origin, label

__all__ = ["FIELDS", "VOCABULARIES", "RegisterMapping", "Step", "load_mapping"]

FIELDS: Mapping[str, str] = {
    "received_at": "moment of receipt (required)",
    "text": "the customer's own words (required)",
    "kind": "kind of feedback (vocabulary; default from [defaults] or complaint)",
    "channel": "how it came in (vocabulary)",
    "form": "written or oral (vocabulary; default follows the channel)",
    "origin": "external or internal (vocabulary)",
    "initiative": "reactive or proactive (vocabulary)",
    "subject": "subject",
    "org_unit": "department concerned",
    "location": "location",
    "reference": "the register's own case number",
    "received_by": "employee who received it",
    "remedy_sought": "what the customer asks for",
    "conduct_date": "day of the conduct complained about",
    "party_name": "name of the customer",
    "party_email": "e-mail address of the customer",
    "party_phone": "phone number of the customer",
    "party_address": "address of the customer",
    "handled_at": "moment handling ended; a filled cell adds the [handling] steps",
    "judgement": "judgement (vocabulary: gegrond, deels_gegrond, ongegrond, geen_oordeel)",
}
"""Every field a column can map to, with what it holds."""

VOCABULARIES: Mapping[str, type[StrEnum]] = {
    "kind": Kind,
    "channel": Channel,
    "form": Form,
    "origin": Origin,
    "initiative": Initiative,
    "judgement": Judgement,
}
"""Fields whose values come from a vocabulary; ``[values.FIELD]`` maps the register's words."""

REQUIRED = ("received_at", "text")
DEFAULT_FORMATS = ("%d-%m-%Y", "%d-%m-%Y %H:%M", "%d-%m-%Y %H:%M:%S")


@attrs.frozen
class Step:
    """One handling event a handled row stands for; ``{field}`` in payload text is filled in."""

    action: str
    payload: Mapping[str, Any] = attrs.field(factory=dict, hash=False)


@attrs.frozen
class RegisterMapping:
    """A complaint register's column mapping (see the module doc)."""

    columns: Mapping[str, str] = attrs.field(hash=False)
    """Field name → column name."""
    name: str | None = None
    """The register's identity in case ids (default: the file name)."""
    key: str | None = None
    """The column whose value identifies a row (default: the row number)."""
    sheet: str | None = None
    header_row: int = 1
    encoding: str = "utf-8-sig"
    delimiter: str | None = None
    date_formats: tuple[str, ...] = DEFAULT_FORMATS
    timezone: ZoneInfo = AMSTERDAM
    values: Mapping[str, Mapping[str, str]] = attrs.field(factory=dict, hash=False)
    """Field → the register's word (lower case) → vocabulary value."""
    defaults: Mapping[str, str] = attrs.field(factory=dict, hash=False)
    actor: str = "klachtenregister"
    judged: tuple[Step, ...] = ()
    unjudged: tuple[Step, ...] = ()

    def vocabulary_value(self, field: str, text: str) -> str | None:
        """The vocabulary value the register's ``text`` stands for, or ``None`` if unknown.

        Looks in ``[values.FIELD]`` first (where ``""`` means "no value", as if the cell
        were empty), then accepts the value itself (``phone``) and its Dutch or English
        label (``Telefoon``), ignoring case.
        """
        wanted = text.strip().lower()
        mapped = self.values.get(field, {}).get(wanted)
        if mapped is not None:
            return mapped
        for member in VOCABULARIES[field]:
            names = {member.value, label(member, "nl").lower(), label(member, "en").lower()}
            if wanted in names or wanted.replace(" ", "_") in names:
                return member.value
        return None

    def known_values(self, field: str) -> list[str]:
        """What the register may write for ``field`` (for error messages)."""
        return [*self.values.get(field, {}), *(m.value for m in VOCABULARIES[field])]


def _fail(key: str, message: str) -> ValidationError:
    return ValidationError(f"mapping {key}", message)


def _table(data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise _fail(key, "must be a table")
    return value


def _string(value: Any, key: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _fail(key, f"must be non-blank text, got {value!r}")
    return value


def load_mapping(path: Path) -> RegisterMapping:
    """Read and check the mapping file at ``path``."""
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except OSError as exc:
        raise _fail("file", f"cannot read {path}: {exc.strerror}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise _fail("file", f"{path} is not valid TOML: {exc}") from None
    return parse_mapping(data)


def parse_mapping(data: Mapping[str, Any]) -> RegisterMapping:
    """The mapping in parsed TOML ``data``."""
    unknown = set(data) - {"register", "columns", "values", "defaults", "handling"}
    if unknown:
        raise _fail(
            sorted(unknown)[0],
            "unknown section; known: register, columns, values, defaults, handling",
        )
    register = _table(data, "register")
    columns = {
        field: _string(column, f"columns.{field}")
        for field, column in _table(data, "columns").items()
    }
    for field in columns:
        if field not in FIELDS:
            raise _fail(f"columns.{field}", f"unknown field; known: {', '.join(FIELDS)}")
    for field in REQUIRED:
        if field not in columns:
            raise _fail(f"columns.{field}", "required: the column holding " + FIELDS[field])
    values = {}
    for field, table in _table(data, "values").items():
        if field not in VOCABULARIES:
            raise _fail(f"values.{field}", f"only for {', '.join(VOCABULARIES)}")
        if not isinstance(table, dict):
            raise _fail(f"values.{field}", "must be a table of register word = value")
        allowed = {m.value for m in VOCABULARIES[field]} | {""}
        for word, value in table.items():
            if value not in allowed:
                raise _fail(
                    f"values.{field}.{word}",
                    f"{value!r} is not one of {', '.join(sorted(allowed))}",
                )
        values[field] = {word.strip().lower(): value for word, value in table.items()}
    defaults = {
        field: _string(value, f"defaults.{field}")
        for field, value in _table(data, "defaults").items()
    }
    for field, value in defaults.items():
        if field in VOCABULARIES and value not in {m.value for m in VOCABULARIES[field]}:
            raise _fail(f"defaults.{field}", f"{value!r} is not a {field} value")
        if field not in FIELDS or field in REQUIRED:
            raise _fail(f"defaults.{field}", "no default possible for this field")
    if "channel" not in columns and "channel" not in defaults:
        raise _fail("columns.channel", "map a column or set [defaults] channel")
    handling = _table(data, "handling")
    unknown = set(handling) - {"actor", "judged", "unjudged"}
    if unknown:
        raise _fail(f"handling.{sorted(unknown)[0]}", "unknown key; known: actor, judged, unjudged")
    return RegisterMapping(
        columns=columns,
        name=_optional(register, "name"),
        key=_optional(register, "key"),
        sheet=_optional(register, "sheet"),
        header_row=_header_row(register.get("header_row", 1)),
        encoding=_encoding(register.get("encoding", "utf-8-sig")),
        delimiter=_delimiter(register.get("delimiter")),
        date_formats=_formats(register.get("date_formats", list(DEFAULT_FORMATS))),
        timezone=_zone(register.get("timezone", "Europe/Amsterdam")),
        values=values,
        defaults=defaults,
        actor=_string(handling.get("actor", "klachtenregister"), "handling.actor"),
        judged=_steps(handling.get("judged", []), "handling.judged"),
        unjudged=_steps(handling.get("unjudged", []), "handling.unjudged"),
    )


def _optional(table: Mapping[str, Any], key: str) -> str | None:
    return _string(table[key], f"register.{key}") if key in table else None


def _header_row(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise _fail("register.header_row", f"must be a row number from 1, got {value!r}")
    return value


def _encoding(value: Any) -> str:
    try:
        codecs.lookup(_string(value, "register.encoding"))
    except LookupError:
        raise _fail("register.encoding", f"unknown encoding {value!r}") from None
    return str(value)


def _delimiter(value: Any) -> str | None:
    if value is not None and (not isinstance(value, str) or len(value) != 1):
        raise _fail("register.delimiter", f"must be one character, got {value!r}")
    return value


def _formats(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(f, str) and "%" in f for f in value):
        raise _fail(
            "register.date_formats", "must be a list of strptime formats such as '%d-%m-%Y'"
        )
    return tuple(value)


def _zone(value: Any) -> ZoneInfo:
    try:
        return ZoneInfo(_string(value, "register.timezone"))
    except (ZoneInfoNotFoundError, ValueError):
        raise _fail("register.timezone", f"unknown time zone {value!r}") from None


def _steps(value: Any, key: str) -> tuple[Step, ...]:
    if not isinstance(value, list):
        raise _fail(key, "must be a list of {action = ..., payload = {...}}")
    steps = []
    for i, item in enumerate(value):
        where = f"{key}[{i}]"
        if not isinstance(item, dict) or set(item) - {"action", "payload"}:
            raise _fail(where, "must be {action = ..., payload = {...}}")
        payload = item.get("payload", {})
        if not isinstance(payload, dict):
            raise _fail(f"{where}.payload", "must be a table")
        for name, text in payload.items():
            for field in _placeholders(text, f"{where}.payload.{name}"):
                if field not in FIELDS:
                    raise _fail(f"{where}.payload.{name}", f"unknown placeholder {{{field}}}")
        steps.append(Step(_string(item.get("action"), f"{where}.action"), payload))
    return tuple(steps)


def _placeholders(text: Any, key: str) -> list[str]:
    if not isinstance(text, str):
        return []
    try:
        return [f for _, f, _, _ in string.Formatter().parse(text) if f is not None]
    except ValueError as exc:
        raise _fail(key, f"{text!r}: {exc} (write {{{{ and }}}} for braces)") from None

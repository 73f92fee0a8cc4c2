"""Complaint registers as organisations keep them: CSV files and Excel workbooks (``.xlsx``),
read row by row through a column mapping (:mod:`feedbackkit.channels.mapping`).

Every row becomes a case or a rejection naming the row number (as a spreadsheet shows
it) and the column. Case ids are UUID 5 of the register's name (the mapping's
``register.name``, else the file name) and the row's key (the ``register.key``
column, else the row number), so importing the same register again is a no-op.
Reading ``.xlsx`` needs the ``excel`` extra (openpyxl).
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from feedbackkit.channels.cleaning import clean
from feedbackkit.channels.ids import case_id, part_id
from feedbackkit.channels.mapping import VOCABULARIES, RegisterMapping, load_mapping
from feedbackkit.channels.records import History, role_for
from feedbackkit.channels.routing import Item, Sinks, check_options, deliver
from feedbackkit.errors import FeedbackkitError, ValidationError
from feedbackkit.models import CaseRecord, Feedback, Party, PartyRef
from feedbackkit.ports import Rejected, Skipped
from feedbackkit.vocabulary import Channel, ContactPreference, Form, Kind

if TYPE_CHECKING:
    from feedbackkit.channels.quarantine import Quarantine

__all__ = ["RegisterChannel", "read_row", "register_units"]

_ORAL = frozenset({Channel.PHONE, Channel.COUNTER, Channel.IN_PERSON, Channel.NEIGHBOURHOOD_TEAM})


class _RowError(Exception):
    def __init__(self, column: str, reason: str) -> None:
        super().__init__(reason)
        self.column = column
        self.reason = reason


# -- rows out of files ---------------------------------------------------------------


def register_units(path: Path, mapping: RegisterMapping) -> Iterator[tuple[int, bytes]]:
    """The non-empty rows of ``path`` as JSON objects ``{column: value}``, numbered as a
    spreadsheet numbers them; raises :class:`ValidationError` when a mapped column is missing."""
    rows = _xlsx_rows(path, mapping) if path.suffix.lower() == ".xlsx" else _csv_rows(path, mapping)
    header: list[str] | None = None
    for number, row in rows:
        if number < mapping.header_row:
            continue
        if header is None:
            header = [clean(str(c)).strip() if c is not None else "" for c in row]
            _check_header(path, header, mapping)
            continue
        if all(_blank(c) for c in row):
            continue
        cells = {column: value for column, value in zip(header, row, strict=False) if column}
        yield number, json.dumps(cells, ensure_ascii=False, default=_iso).encode("utf-8")
    if header is None:
        raise ValidationError("file", f"{path.name}: no header row (row {mapping.header_row})")


def _check_header(path: Path, header: list[str], mapping: RegisterMapping) -> None:
    wanted = {**mapping.columns, **({"key": mapping.key} if mapping.key else {})}
    for field, column in wanted.items():
        if column not in header:
            shown = ", ".join(repr(c) for c in header if c)
            raise ValidationError(
                f"mapping columns.{field}",
                f"{path.name}: no column {column!r} in row {mapping.header_row}; columns: {shown}",
            )
    doubles = sorted({c for c in header if c and header.count(c) > 1})
    if doubles:
        raise ValidationError("file", f"{path.name}: column {doubles[0]!r} appears twice")


def _csv_rows(path: Path, mapping: RegisterMapping) -> Iterator[tuple[int, Sequence[Any]]]:
    try:
        text = path.read_text(mapping.encoding)
    except UnicodeDecodeError as exc:
        raise ValidationError(
            "mapping register.encoding",
            f"{path.name} is not {mapping.encoding} (byte {exc.start}); set register.encoding, "
            "for example to cp1252 for older Excel exports",
        ) from None
    delimiter = mapping.delimiter or _sniff(text, mapping.header_row)
    yield from enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1)


def _sniff(text: str, header_row: int) -> str:
    """The delimiter the header row uses most: ``;``, ``,`` or a tab."""
    lines = text.splitlines()
    header = lines[header_row - 1] if len(lines) >= header_row else ""
    return max(";,\t", key=header.count) if any(c in header for c in ";,\t") else ","


def _xlsx_rows(path: Path, mapping: RegisterMapping) -> Iterator[tuple[int, Sequence[Any]]]:
    try:
        import openpyxl
    except ImportError:
        raise FeedbackkitError(
            "reading .xlsx registers needs openpyxl: pip install 'feedbackkit[excel]'"
        ) from None
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        if mapping.sheet is not None and mapping.sheet not in book.sheetnames:
            known = ", ".join(book.sheetnames)
            raise ValidationError(
                "mapping register.sheet", f"no sheet {mapping.sheet!r}; sheets: {known}"
            )
        sheet = book[mapping.sheet] if mapping.sheet else book.worksheets[0]
        yield from enumerate(sheet.iter_rows(values_only=True), start=1)
    finally:
        book.close()


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _iso(value: Any) -> str:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)


# -- one row -------------------------------------------------------------------------


@attrs.frozen
class _Row:
    """One row's cells read through the mapping; errors name the column."""

    cells: Mapping[str, Any] = attrs.field(hash=False)
    mapping: RegisterMapping

    def column(self, field: str) -> str:
        return self.mapping.columns.get(field, field)

    def text(self, field: str) -> str | None:
        column = self.mapping.columns.get(field)
        return self.cell_text(column) if column else None

    def cell_text(self, column: str) -> str | None:
        value = self.cells.get(column)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if value is None or isinstance(value, dict | list):
            return None
        return clean(str(value)).strip() or None

    def vocabulary(self, field: str) -> str | None:
        text = self.text(field)
        if text is None:
            return self.mapping.defaults.get(field)
        value = self.mapping.vocabulary_value(field, text)
        if value == "":
            return self.mapping.defaults.get(field)
        if value is None:
            known = ", ".join(self.mapping.known_values(field))
            raise _RowError(
                self.column(field),
                f"unknown {field} {text!r}; known: {known} (add it under [values.{field}])",
            )
        return value

    def moment(self, field: str) -> datetime | None:
        text = self.text(field)
        if text is None:
            return None
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            moment = self._strptime(field, text)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=self.mapping.timezone)
        try:
            moment.astimezone(UTC)
        except OverflowError:
            raise _RowError(self.column(field), f"{text!r} is out of range") from None
        return moment

    def _strptime(self, field: str, text: str) -> datetime:
        problem = None
        for fmt in self.mapping.date_formats:
            try:
                return datetime.strptime(text, fmt)
            except ValueError as exc:
                if "does not match format" not in str(exc) and "unconverted data" not in str(exc):
                    problem = str(exc)
        formats = " or ".join(_human(f) for f in self.mapping.date_formats)
        reason = (
            f"{text!r} is not a valid date ({problem})"
            if problem
            else (f"{text!r} is not a date in the format {formats}")
        )
        raise _RowError(self.column(field), reason)


def _human(fmt: str) -> str:
    for code, shown in (
        ("%d", "dd"),
        ("%m", "mm"),
        ("%Y", "yyyy"),
        ("%H", "HH"),
        ("%M", "MM"),
        ("%S", "SS"),
    ):
        fmt = fmt.replace(code, shown)
    return fmt


class _Placeholders(dict[str, str]):
    def __init__(self, row: _Row, values: Mapping[str, str]) -> None:
        super().__init__(values)
        self.row = row

    def __missing__(self, field: str) -> str:
        raise _RowError(self.row.column(field), f"empty, but the handling steps use {{{field}}}")


def read_row(
    cells: Mapping[str, Any], mapping: RegisterMapping, *, register: str, source: str, row: int
) -> CaseRecord | Rejected:
    """The case in one register row (``{column: value}``), or why it is rejected."""
    try:
        return _record(_Row(cells, mapping), register, row)
    except _RowError as exc:
        return Rejected(source, row, exc.column, exc.reason, _shown(cells))
    except ValidationError as exc:
        field = exc.field.split(".")[-1]
        column = mapping.columns.get(field) or mapping.columns.get(f"party_{field}") or field
        return Rejected(source, row, column, exc.message, _shown(cells))


def _shown(cells: Mapping[str, Any]) -> str:
    return json.dumps(cells, ensure_ascii=False, default=str)


def _record(row: _Row, register: str, number: int) -> CaseRecord:
    mapping = row.mapping
    received_at = row.moment("received_at")
    if received_at is None:
        raise _RowError(row.column("received_at"), "required, but empty")
    text = row.text("text")
    if text is None:
        raise _RowError(row.column("text"), "required, but empty")
    row_key = f"row:{number}"
    if mapping.key is not None:
        key_value = row.cell_text(mapping.key)
        if key_value is None:
            raise _RowError(mapping.key, "required (it identifies the row), but empty")
        row_key = f"key:{key_value}"
    case = case_id("register", f"{register}\x1f{row_key}")
    kind = Kind(row.vocabulary("kind") or Kind.COMPLAINT)
    channel_value = row.vocabulary("channel")
    if channel_value is None:
        raise _RowError(row.column("channel"), "empty, and the mapping has no [defaults] channel")
    channel = Channel(channel_value)
    party = _party(row, case)
    conduct = row.moment("conduct_date")
    feedback = Feedback(
        kind=kind,
        channel=channel,
        received_at=received_at,
        text=text,
        id=case,
        form=row.vocabulary("form") or (Form.ORAL if channel in _ORAL else Form.WRITTEN),
        origin=row.vocabulary("origin") or "external",
        initiative=row.vocabulary("initiative") or "reactive",
        subject=row.text("subject") or mapping.defaults.get("subject"),
        org_unit=row.text("org_unit") or mapping.defaults.get("org_unit"),
        location=row.text("location") or mapping.defaults.get("location"),
        reference=row.text("reference"),
        received_by=row.text("received_by") or mapping.defaults.get("received_by"),
        remedy_sought=row.text("remedy_sought"),
        conduct_date=conduct.date() if conduct else None,
        parties=(PartyRef(party.id, role_for(kind)),) if party else (),
    )
    history = History(case, "register")
    details = {"register": register, "row": number, "key": row_key}
    history.intake_note(feedback.received_at, "Geregistreerd uit klachtenregister", details)
    _handling(row, history, feedback.received_at)
    return CaseRecord(feedback, (party,) if party else (), history.events)


def _party(row: _Row, case: uuid.UUID) -> Party | None:
    name, email = row.text("party_name"), row.text("party_email")
    phone, address = row.text("party_phone"), row.text("party_address")
    if not any((name, email, phone, address)):
        return None
    preference = (
        ContactPreference.EMAIL
        if email
        else ContactPreference.PHONE
        if phone
        else ContactPreference.LETTER
        if address
        else ContactPreference.NONE
    )
    return Party(
        id=part_id(case, "party", "customer"),
        name=name,
        email=email,
        phone=phone,
        address=address,
        contact_preference=preference,
    )


def _handling(row: _Row, history: History, received_at: datetime) -> None:
    """The ``[handling]`` steps of a handled row, at the moment it was handled."""
    mapping = row.mapping
    handled = row.moment("handled_at")
    judgement = row.vocabulary("judgement")
    if handled is None:
        if judgement is not None and "judgement" in mapping.columns:
            raise _RowError(row.column("handled_at"), f"empty, but the judgement is {judgement!r}")
        return
    if handled < received_at:
        if handled.date() == received_at.date() and handled.time() == time():
            handled = received_at  # handled the day it came in; the register gives no time
        else:
            raise _RowError(
                row.column("handled_at"),
                f"{handled.date()} lies before receipt on {received_at.date()}",
            )
    steps = mapping.judged if judgement is not None else mapping.unjudged
    if not steps:
        which = "judged" if judgement is not None else "unjudged"
        raise _RowError(
            row.column("handled_at"), f"filled, but the mapping has no [handling] {which} steps"
        )
    values = {field: value for field in row.mapping.columns if (value := _value(row, field))}
    placeholders = _Placeholders(row, values)
    for step in steps:
        payload = {
            k: v.format_map(placeholders) if isinstance(v, str) else v
            for k, v in step.payload.items()
        }
        history.add(step.action, handled, payload, actor=mapping.actor)


def _value(row: _Row, field: str) -> str | None:
    return row.vocabulary(field) if field in VOCABULARIES else row.text(field)


OPTION_HELP: Mapping[str, str] = {
    "mapping": "TOML file mapping the register's columns to fields (required; docs/channels.md)",
}


@attrs.frozen
class RegisterChannel:
    """The ``register`` channel: complaint registers as CSV or Excel, through a column mapping."""

    name = "register"
    suffixes = (".csv", ".xlsx")
    option_help = OPTION_HELP

    mapping: RegisterMapping | None = None
    options: Mapping[str, str] = attrs.field(factory=dict)
    sinks: Sinks = attrs.field(factory=Sinks)

    def configure(
        self,
        options: Mapping[str, str],
        *,
        quarantine: Quarantine | None = None,
        on_skip: Callable[[Skipped], None] | None = None,
    ) -> RegisterChannel:
        check_options(self.name, options, OPTION_HELP)
        mapping = load_mapping(Path(options["mapping"])) if "mapping" in options else None
        return attrs.evolve(
            self, mapping=mapping, options=dict(options), sinks=Sinks(quarantine, on_skip)
        )

    def _mapping(self) -> RegisterMapping:
        if self.mapping is None:
            raise ValidationError(
                "option mapping",
                "a register needs a column mapping: pass mapping=FILE (see docs/channels.md)",
            )
        return self.mapping

    def read_raw(self, raw: bytes, source: str, position: int) -> list[Item]:
        """One row, given as the JSON object ``{column: value}`` :func:`register_units` makes."""
        mapping = self._mapping()
        try:
            cells = json.loads(raw)
        except (UnicodeDecodeError, ValueError) as exc:
            return [
                Rejected(
                    source,
                    position,
                    "row",
                    f"not a JSON object of cells: {exc}",
                    raw.decode("utf-8", "replace"),
                )
            ]
        if not isinstance(cells, dict):
            return [
                Rejected(
                    source,
                    position,
                    "row",
                    "not a JSON object of cells",
                    raw.decode("utf-8", "replace"),
                )
            ]
        register = mapping.name or Path(source).name
        return [read_row(cells, mapping, register=register, source=source, row=position)]

    def read(self, path: Path) -> Iterator[CaseRecord | Rejected]:
        return deliver(self, str(path), register_units(path, self._mapping()), ".json")

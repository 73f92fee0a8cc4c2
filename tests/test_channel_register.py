"""Complaint registers (CSV and Excel) through a column mapping: cases with valid handling
histories, per-row errors naming row and column, idempotent ids."""

from __future__ import annotations

import csv
import re
import tomllib
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from feedbackkit.channels.ids import case_id
from feedbackkit.channels.mapping import load_mapping, parse_mapping
from feedbackkit.channels.quarantine import DirectoryQuarantine
from feedbackkit.channels.register import RegisterChannel, read_row
from feedbackkit.cli import Context
from feedbackkit.clock import AMSTERDAM, FixedClock
from feedbackkit.commands.interchange import import_command
from feedbackkit.errors import ValidationError
from feedbackkit.models import CaseRecord
from feedbackkit.ports import Rejected
from feedbackkit.service import FeedbackKit
from feedbackkit.vocabulary import Channel, Form, Kind, PartyRole

DOCS = Path(__file__).resolve().parents[1] / "docs" / "channels.md"
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=AMSTERDAM)

HEADER = [
    "Registratienummer",
    "Datum ontvangst",
    "Naam klager",
    "E-mailadres",
    "Omschrijving",
    "Afdeling",
    "Kanaal",
    "Afgehandeld op",
    "Oordeel",
]
ROWS = [
    ["KL-2026-001", "03-02-2026", "J. Jansen", "j.jansen@example.nl", "Niemand belt terug.",
     "Vergunningen", "Telefonisch", "10-03-2026", "Gegrond"],
    ["KL-2026-002", "04-02-2026 14:30", "P. de Vries", "", "De balie was dicht.", "Publiekszaken",
     "Balie", "04-02-2026", "Informeel opgelost"],
    ["KL-2026-003", "05-02-2026", "", "", "Bus reed voorbij.", "Vervoer", "E-mail", "", ""],
]  # fmt: skip


def docs_mapping() -> str:
    """The mapping example of docs/channels.md (the docs and this test cannot drift apart)."""
    found = re.search(
        r"<!-- mapping-example -->\s*```toml\n(.*?)```", DOCS.read_text("utf-8"), re.S
    )
    assert found, "docs/channels.md lost its mapping example"
    return found.group(1)


@pytest.fixture
def mapping_file(tmp_path: Path) -> Path:
    path = tmp_path / "klachtenregister.toml"
    path.write_text(docs_mapping(), "utf-8")
    return path


@pytest.fixture
def kit() -> Iterator[FeedbackKit]:
    with FeedbackKit.open(":memory:", clock=FixedClock(NOW)) as kit:
        yield kit


def write_csv(
    path: Path, rows: list[list[str]], *, delimiter: str = ";", encoding: str = "utf-8"
) -> Path:
    text = "\n".join(delimiter.join(row) for row in [HEADER, *rows]) + "\n"
    path.write_bytes(text.encode(encoding))
    return path


def write_xlsx(path: Path, rows: list[list[Any]]) -> Path:
    openpyxl = pytest.importorskip("openpyxl", reason="the excel extra is not installed")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Klachten"
    sheet.append(["Klachtenregister 2026"])  # a title row above the header, as registers have
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def read_all(path: Path, mapping_file: Path) -> list[CaseRecord | Rejected]:
    return list(RegisterChannel().configure({"mapping": str(mapping_file)}).read(path))


def cases(items: list[CaseRecord | Rejected]) -> list[CaseRecord]:
    assert all(isinstance(i, CaseRecord) for i in items), items
    return [i for i in items if isinstance(i, CaseRecord)]


def test_a_csv_register_becomes_cases_with_valid_histories(
    tmp_path: Path, mapping_file: Path, kit: FeedbackKit
) -> None:
    path = write_csv(tmp_path / "register.csv", ROWS)
    judged, informal, open_ = read_all(path, mapping_file)
    assert isinstance(judged, CaseRecord)
    assert isinstance(informal, CaseRecord)
    assert isinstance(open_, CaseRecord)
    feedback = judged.feedback
    assert (feedback.kind, feedback.channel, feedback.form) == (
        Kind.COMPLAINT,
        Channel.PHONE,
        Form.ORAL,
    )
    assert (feedback.reference, feedback.org_unit) == ("KL-2026-001", "Vergunningen")
    assert feedback.received_at == datetime(2026, 2, 3, tzinfo=AMSTERDAM)
    assert (judged.parties[0].name, judged.parties[0].email) == ("J. Jansen", "j.jansen@example.nl")
    assert feedback.parties[0].role is PartyRole.COMPLAINANT
    assert feedback.id == case_id("register", "klachtenregister-2026\x1fkey:KL-2026-001")
    states = {r.feedback.reference: kit.prepare(r)[1] for r in (judged, informal, open_)}
    assert [e.action for e in judged.events] == [
        "note",
        "start_formal",
        "waive_hearing",
        "send_findings",
        "close",
    ]
    assert judged.events[3].payload["judgement"] == "gegrond"
    assert judged.events[3].at == datetime(2026, 3, 10, tzinfo=AMSTERDAM)
    assert [e.action for e in informal.events] == ["note", "resolve_informally", "close"]
    assert informal.events[1].at == informal.feedback.received_at  # handled that same day
    assert (informal.feedback.channel, informal.feedback.form) == (Channel.COUNTER, Form.ORAL)
    assert (states["KL-2026-001"].state, states["KL-2026-002"].state) == ("closed", "closed")
    assert (states["KL-2026-003"].state, open_.parties) == ("received", ())
    assert open_.events[0].payload["intake"] == {
        "register": "klachtenregister-2026",
        "row": 4,
        "key": "key:KL-2026-003",
    }


def test_an_excel_register_reads_the_same(tmp_path: Path, mapping_file: Path) -> None:
    csv = cases(read_all(write_csv(tmp_path / "register.csv", ROWS), mapping_file))
    rows: list[list[Any]] = [list(r) for r in ROWS]
    rows[0][1] = datetime(2026, 2, 3)  # Excel holds a real date here
    rows[0][7] = datetime(2026, 3, 10)
    text = mapping_file.read_text("utf-8").replace("[register]\n", "[register]\nheader_row = 2\n")
    mapping_file.write_text(text, "utf-8")
    xlsx = cases(read_all(write_xlsx(tmp_path / "register.xlsx", rows), mapping_file))
    assert [(r.feedback, r.parties, [e.action for e in r.events]) for r in xlsx] == [
        (r.feedback, r.parties, [e.action for e in r.events]) for r in csv
    ]
    assert [r.events[0].payload["intake"]["row"] for r in xlsx] == [3, 4, 5]


def test_reimporting_a_register_is_a_no_op(
    tmp_path: Path, mapping_file: Path, kit: FeedbackKit
) -> None:
    path = write_csv(tmp_path / "register.csv", ROWS)
    assert kit.ingest(cases(read_all(path, mapping_file))).inserted == 3
    resorted = write_csv(tmp_path / "register-2.csv", list(reversed(ROWS)))
    assert (
        kit.ingest(cases(read_all(resorted, mapping_file))).skipped == 3
    )  # keyed by Registratienummer, not by position


def test_without_a_key_column_the_row_number_identifies_a_row(
    tmp_path: Path, mapping_file: Path
) -> None:
    mapping = load_mapping(mapping_file)
    cells = dict(zip(HEADER, ROWS[2], strict=True))
    keyless = parse_mapping({"columns": dict(mapping.columns), "defaults": {"channel": "letter"}})
    first = read_row(cells, keyless, register="r.csv", source="r.csv", row=7)
    assert isinstance(first, CaseRecord)
    assert first.feedback.id == case_id("register", "r.csv\x1frow:7")


GOOD = ["KL-9", "03-02-2026", "A", "", "Tekst", "X", "Brief", "", ""]


def row_with(changes: dict[str, str]) -> list[str]:
    """A good row with some cells (by column name) changed."""
    return [changes.get(column, value) for column, value in zip(HEADER, GOOD, strict=True)]


BAD_ROWS = [
    ({"Datum ontvangst": "31-02-2026"}, "Datum ontvangst",
     "'31-02-2026' is not a valid date (day is out of range for month)"),
    ({"Datum ontvangst": "2026/02/03"}, "Datum ontvangst",
     "'2026/02/03' is not a date in the format dd-mm-yyyy or dd-mm-yyyy HH:MM"),
    ({"Kanaal": "Whatsapp"}, "Kanaal", "unknown channel 'Whatsapp'"),
    ({"Omschrijving": "  "}, "Omschrijving", "required, but empty"),
    ({"Registratienummer": ""}, "Registratienummer", "identifies the row"),
    ({"E-mailadres": "geen-adres"}, "E-mailadres", "is not an e-mail address"),
    ({"Afgehandeld op": "01-02-2026", "Oordeel": "Ongegrond"}, "Afgehandeld op",
     "2026-02-01 lies before receipt on 2026-02-03"),
    ({"Oordeel": "Gegrond"}, "Afgehandeld op", "empty, but the judgement is 'gegrond'"),
    ({"Afgehandeld op": "05-02-2026", "Oordeel": "Misschien"}, "Oordeel",
     "unknown judgement 'Misschien'"),
]  # fmt: skip


@pytest.mark.parametrize(("changes", "column", "reason"), BAD_ROWS)
def test_bad_rows_are_rejected_naming_row_and_column(
    tmp_path: Path, mapping_file: Path, changes: dict[str, str], column: str, reason: str
) -> None:
    row = row_with(changes)
    path = write_csv(tmp_path / "register.csv", [ROWS[0], row, ROWS[2]])
    first, bad, last = read_all(path, mapping_file)
    assert isinstance(first, CaseRecord)
    assert isinstance(last, CaseRecord)
    assert isinstance(bad, Rejected)
    assert (bad.source, bad.position, bad.field) == (str(path), 3, column)
    assert reason in bad.reason
    assert row[4] in bad.raw or not row[4].strip()


def test_blank_rows_are_not_items_and_row_numbers_stay_those_of_the_sheet(
    tmp_path: Path, mapping_file: Path
) -> None:
    path = write_csv(
        tmp_path / "register.csv", [ROWS[0], [""] * 9, [ROWS[1][0], "31-02-2026", *ROWS[1][2:]]]
    )
    items = read_all(path, mapping_file)
    assert len(items) == 2
    assert isinstance(items[1], Rejected)
    assert items[1].position == 4


def test_an_old_excel_export_in_windows_1252(tmp_path: Path, mapping_file: Path) -> None:
    row = [*ROWS[2][:4], "Café De Zon: geluidsoverlast", *ROWS[2][5:]]
    path = write_csv(tmp_path / "oud.csv", [row], delimiter=",", encoding="cp1252")
    with pytest.raises(ValidationError, match=r"set register\.encoding"):
        read_all(path, mapping_file)
    fixed = mapping_file.read_text("utf-8").replace('encoding = "utf-8-sig"', 'encoding = "cp1252"')
    mapping_file.write_text(fixed, "utf-8")
    (item,) = read_all(path, mapping_file)
    assert isinstance(item, CaseRecord)
    assert item.feedback.text == "Café De Zon: geluidsoverlast"


def test_a_missing_column_stops_before_any_row(tmp_path: Path, mapping_file: Path) -> None:
    path = tmp_path / "register.csv"
    path.write_text("Datum;Omschrijving\n03-02-2026;Tekst\n", "utf-8")
    with pytest.raises(ValidationError, match="no column 'Registratienummer' in row 1"):
        read_all(path, mapping_file)


def test_feedbackkit_import_reads_a_register_with_its_mapping(
    tmp_path: Path, mapping_file: Path
) -> None:
    path = write_csv(tmp_path / "register.csv", [*ROWS, row_with({"Kanaal": "Duif"})])
    db = str(tmp_path / "cases.sqlite")
    context = Context(db, FeedbackKit.open(":memory:").plugins)
    args = [str(path), "--mapping", str(mapping_file), "--quarantine", str(tmp_path / "q")]
    result = CliRunner().invoke(import_command, args, obj=context)
    assert result.exit_code == 3, result.output
    assert f"{path}:5: Kanaal: unknown channel 'Duif'" in result.stderr
    assert "4 read = 3 imported + 0 already present + 1 rejected" in result.stderr
    (kept,) = DirectoryQuarantine(tmp_path / "q").items()
    assert (kept.position, kept.options) == (5, {"mapping": str(mapping_file)})
    without = CliRunner().invoke(import_command, [str(path)], obj=context)
    assert without.exit_code == 1
    assert isinstance(without.exception, ValidationError)  # main() prints "Error: ..."
    assert "needs a column mapping" in str(without.exception)


def test_a_register_needs_a_mapping(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="needs a column mapping"):
        list(RegisterChannel().read(write_csv(tmp_path / "r.csv", ROWS)))


@pytest.mark.parametrize(
    ("change", "key"),
    [
        (lambda m: m["columns"].pop("received_at"), "mapping columns.received_at"),
        (lambda m: m["columns"].update(colour="Kleur"), "mapping columns.colour"),
        (lambda m: m["values"]["channel"].update(Fax="fax"), "mapping values.channel.Fax"),
        (lambda m: m["register"].update(timezone="Mars/Olympus"), "mapping register.timezone"),
        (lambda m: m["register"].update(date_formats="%d"), "mapping register.date_formats"),
        (lambda m: m["handling"]["judged"].append({"action": "x", "payload": {"y": "{colour}"}}),
         "mapping handling.judged[4].payload.y"),
        (lambda m: m.update(extra={}), "mapping extra"),
    ],
)  # fmt: skip
def test_mapping_mistakes_name_the_key(mapping_file: Path, change: Any, key: str) -> None:
    data = tomllib.loads(mapping_file.read_text("utf-8"))
    change(data)
    with pytest.raises(ValidationError) as caught:
        parse_mapping(data)
    assert caught.value.field == key


# -- fuzzing: any cell contents give a case or a rejection -----------------------------

SAMPLES = [
    *("03-02-2026", "31-02-2026", "2026-02-03T10:00:00", "29-02-2025", "0001-01-01"),
    *("9999-12-31T23:59-05:00", "Gegrond", "Telefonisch", "Balie", "x@y", "", " "),
]
CELL = st.one_of(
    st.text(max_size=30),
    st.sampled_from(SAMPLES),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True),
    st.none(),
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cells=st.fixed_dictionaries(dict.fromkeys(HEADER, CELL)))
def test_any_row_gives_a_case_that_passes_its_procedure_or_a_rejection(
    cells: dict[str, Any],
) -> None:
    mapping = parse_mapping(tomllib.loads(docs_mapping()))
    item = read_row(cells, mapping, register="fuzz", source="fuzz.csv", row=2)
    assert isinstance(item, CaseRecord | Rejected)
    if isinstance(item, Rejected):
        assert item.field in HEADER
    else:
        with FeedbackKit.open(":memory:") as kit:
            kit.prepare(item)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    rows=st.lists(
        st.lists(st.text(max_size=20) | CELL.map(str), min_size=0, max_size=12), max_size=6
    )
)
def test_any_csv_content_under_the_header_gives_cases_or_rejections(
    tmp_path: Path, mapping_file: Path, rows: list[list[str]]
) -> None:
    path = tmp_path / "fuzz.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter=";")
        writer.writerow(HEADER)
        writer.writerows(rows)
    for item in read_all(path, mapping_file):
        assert isinstance(item, CaseRecord | Rejected)
        assert item.feedback.text if isinstance(item, CaseRecord) else item.position >= 2

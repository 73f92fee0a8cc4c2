"""The self-assessment questionnaire: template written, filled in as a spreadsheet would,
read back into answers; broken files rejected naming the line and the column."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from feedbackkit.audit import (
    CriterionRef,
    EvidenceFileError,
    Facet,
    QuestionnaireAnswer,
    read_questionnaire,
    write_questionnaire,
)
from feedbackkit.builtin.audit import builtin_frameworks
from feedbackkit.errors import InterchangeError, ValidationError

ICTU = next(f for f in builtin_frameworks() if f.name == "ictu-maturity-scan")
AWB = next(f for f in builtin_frameworks() if f.name == "awb-compliance")


def read_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh, delimiter=";"))


def write_rows(
    path: Path, rows: list[list[str]], delimiter: str = ";", encoding: str = "utf-8"
) -> None:
    with path.open("w", encoding=encoding, newline="") as fh:
        csv.writer(fh, delimiter=delimiter).writerows(rows)


def fill(path: Path, values: dict[str, dict[str, str]]) -> None:
    """Fill in cells by criterion id and header, as someone with a spreadsheet would."""
    header, *rows = read_rows(path)
    for row in rows:
        for column, value in values.get(row[0], {}).items():
            row[header.index(column)] = value
    write_rows(path, [header, *rows])


def test_the_template_has_a_row_per_criterion_with_texts_and_scale(tmp_path: Path) -> None:
    path = tmp_path / "scan.csv"
    write_questionnaire(ICTU, path)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # so a spreadsheet sees UTF-8
    header, *rows = read_rows(path)
    assert header[:3] == ["criterium", "onderdeel", "titel"]
    assert {"opzet", "werking", "evaluatie", "toelichting"} <= set(header)
    assert [row[0] for row in rows] == [c.id for c in ICTU.criteria]
    first = dict(zip(header, rows[0], strict=True))
    criterion = ICTU.criteria[0]
    assert first["titel"] == criterion.title.nl
    assert first["omschrijving"] == criterion.description.nl
    assert first["onderdeel"] == "Ontvankelijk"
    assert first["schaal"].startswith("0 = Niet aanwezig | 1 = Beperkt")
    assert (first["opzet"], first["werking"], first["evaluatie"]) == ("", "", "")
    assert (first["raamwerk"], first["versie"]) == (ICTU.name, ICTU.version)


def test_the_english_template(tmp_path: Path) -> None:
    path = tmp_path / "scan.csv"
    write_questionnaire(AWB, path, lang="en")
    header, *rows = read_rows(path)
    assert header[:3] == ["criterion", "part", "title"]
    first = dict(zip(header, rows[0], strict=True))
    assert first["title"] == "Acknowledgement of receipt (Awb 9:6)"
    assert first["scale"] == "0 = No | 1 = Partly | 2 = Yes"


def test_unknown_language_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="unknown language 'fr'"):
        write_questionnaire(ICTU, tmp_path / "scan.csv", lang="fr")


def test_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "team-klantcontact.csv"
    write_questionnaire(ICTU, path)
    fill(
        path,
        {
            "ont-sensoren": {"opzet": "3", "werking": " 2 ", "toelichting": "Alleen de balie."},
            "kg-relatievraag": {"evaluatie": "volledig"},
            "le-verbeteroverleg": {"opzet": "Beperkt", "werking": "0"},
        },
    )
    answers = read_questionnaire(path, ICTU)
    assert [(a.criterion.criterion, a.facet, a.level) for a in answers] == [
        ("ont-sensoren", Facet.DESIGN, 3),
        ("ont-sensoren", Facet.OPERATION, 2),
        ("kg-relatievraag", Facet.EVALUATION, 4),
        ("le-verbeteroverleg", Facet.DESIGN, 1),
        ("le-verbeteroverleg", Facet.OPERATION, 0),
    ]
    first = answers[0]
    assert first == QuestionnaireAnswer(
        criterion=CriterionRef("ictu-maturity-scan", "ont-sensoren"),
        facet=Facet.DESIGN,
        level=3,
        respondent="team-klantcontact",
        remarks="Alleen de balie.",
        source="team-klantcontact.csv:3",
    )
    assert read_questionnaire(path, ICTU, respondent="KCC")[0].respondent == "KCC"


def test_an_unfilled_template_gives_no_answers(tmp_path: Path) -> None:
    path = tmp_path / "scan.csv"
    write_questionnaire(ICTU, path, lang="en")
    assert read_questionnaire(path, ICTU) == ()


def test_a_spreadsheet_saved_with_commas_in_windows_1252(tmp_path: Path) -> None:
    path = tmp_path / "scan.csv"
    write_questionnaire(AWB, path)
    header, *rows = read_rows(path)
    rows[0][header.index("werking")] = "deels"
    rows[0][header.index("toelichting")] = "Geen ontvangstbevestiging bij e-mail; ‘soms’ te laat"
    write_rows(tmp_path / "comma.csv", [header, [], *rows, []], ",", "cp1252")
    (answer,) = read_questionnaire(tmp_path / "comma.csv", AWB)
    assert (answer.criterion.criterion, answer.facet, answer.level) == (
        "awb-9-6",
        Facet.OPERATION,
        1,
    )
    assert answer.remarks == "Geen ontvangstbevestiging bij e-mail; ‘soms’ te laat"
    assert answer.source == "comma.csv:3"  # the blank line 2 is skipped, not renumbered


def test_extra_columns_are_ignored(tmp_path: Path) -> None:
    path = tmp_path / "scan.csv"
    write_questionnaire(ICTU, path)
    header, *rows = read_rows(path)
    write_rows(path, [[*header, "ingevuld door"], *([*row, "Piet"] for row in rows)])
    fill(path, {"ont-drempels": {"opzet": "2"}})
    assert [a.level for a in read_questionnaire(path, ICTU)] == [2]


# -- broken files: the error names the line and the column ------------------------------


def broken(tmp_path: Path, values: dict[str, dict[str, str]]) -> Path:
    path = tmp_path / "scan.csv"
    write_questionnaire(ICTU, path)
    fill(path, values)
    return path


def test_a_level_off_the_scale(tmp_path: Path) -> None:
    path = broken(tmp_path, {"ont-drempels": {"werking": "5"}})
    with pytest.raises(EvidenceFileError) as caught:
        read_questionnaire(path, ICTU)
    error = caught.value
    assert (error.line, error.field) == (4, "werking")
    assert "'5' is not on scale 'maturity': 0 = Niet aanwezig" in str(error)
    assert str(error).startswith("scan.csv, line 4: werking: ")
    assert isinstance(error, InterchangeError)


def test_an_unknown_criterion(tmp_path: Path) -> None:
    path = broken(tmp_path, {"kg-emotie": {"criterium": "kg-emoties", "opzet": "1"}})
    with pytest.raises(
        EvidenceFileError, match=r"line 7: criterium: unknown criterion 'kg-emoties'"
    ):
        read_questionnaire(path, ICTU)


def test_a_criterion_twice(tmp_path: Path) -> None:
    path = broken(tmp_path, {"kg-emotie": {"criterium": "kg-relatievraag"}})
    with pytest.raises(
        EvidenceFileError, match="line 7: criterium: 'kg-relatievraag' is already on line 6"
    ):
        read_questionnaire(path, ICTU)


def test_a_file_for_another_version(tmp_path: Path) -> None:
    path = broken(tmp_path, {"ont-sensoren": {"versie": "2022"}})
    with pytest.raises(EvidenceFileError, match="line 3: versie: the file is for version '2022'"):
        read_questionnaire(path, ICTU)


def test_a_file_for_another_framework(tmp_path: Path) -> None:
    path = tmp_path / "scan.csv"
    write_questionnaire(ICTU, path)
    with pytest.raises(
        EvidenceFileError, match="line 2: raamwerk: the file is for framework 'ictu"
    ):
        read_questionnaire(path, AWB)


def test_a_missing_column(tmp_path: Path) -> None:
    path = tmp_path / "scan.csv"
    write_questionnaire(ICTU, path)
    header, *rows = read_rows(path)
    header[header.index("werking")] = "werkng"
    write_rows(path, [header, *rows])
    with pytest.raises(
        EvidenceFileError, match="line 1: werking/operation: this column is missing"
    ):
        read_questionnaire(path, ICTU)


def test_a_column_twice(tmp_path: Path) -> None:
    path = tmp_path / "scan.csv"
    write_questionnaire(ICTU, path)
    header, *rows = read_rows(path)
    header[header.index("toelichting")] = "opzet"
    write_rows(path, [header, *rows])
    with pytest.raises(EvidenceFileError, match="line 1: opzet: this column appears twice"):
        read_questionnaire(path, ICTU)


def test_an_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "scan.csv"
    path.write_bytes(b"")
    with pytest.raises(EvidenceFileError, match="line 1: file: is empty"):
        read_questionnaire(path, ICTU)

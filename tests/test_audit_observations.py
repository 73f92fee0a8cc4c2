"""Auditor observations read from TOML, with errors naming the line and the field."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path

import pytest

from feedbackkit.audit import (
    CriterionRef,
    EvidenceFileError,
    Facet,
    Observation,
    ObservationKind,
    read_observations,
)
from feedbackkit.builtin.audit import builtin_frameworks

GOUDEN_OOR = next(f for f in builtin_frameworks() if f.name == "gouden-oor")
CASE = uuid.UUID("0b7e4a4e-6a34-4a3c-9a3e-0d5c2f3b1f11")

HEADER = f"""framework = "gouden-oor"
version = "{GOUDEN_OOR.version}"
auditor = "A. de Vries"
"""

VALID = (
    HEADER
    + f"""
[[observation]]
id = "O-1"
criteria = ["svk-alle-feedback", "mdw-sensor"]
kind = "improvement"
facet = "operation"
level = 1
text = \"\"\"
Telefonische klachten worden niet geregistreerd.
\"\"\"
cases = ["{CASE}"]
documents = ["Klachtenregeling 2023, art. 4"]
observed_on = 2024-03-12

[[observation]]
criteria = ["lo-verbeteroverleg"]
kind = "strength"
text = "Tweewekelijks verbeteroverleg met actielijst."
auditor = "B. Bakker"
lang = "nl"
"""
)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "observaties.toml"
    path.write_text(text, "utf-8")
    return path


def test_observations_are_read_with_references(tmp_path: Path) -> None:
    first, second = read_observations(write(tmp_path, VALID), GOUDEN_OOR)
    assert first == Observation(
        id="O-1",
        criteria=(
            CriterionRef("gouden-oor", "svk-alle-feedback"),
            CriterionRef("gouden-oor", "mdw-sensor"),
        ),
        kind=ObservationKind.IMPROVEMENT,
        text="Telefonische klachten worden niet geregistreerd.\n",
        facet=Facet.OPERATION,
        level=1,
        cases=(CASE,),
        documents=("Klachtenregeling 2023, art. 4",),
        auditor="A. de Vries",
        observed_on=date(2024, 3, 12),
        source="observaties.toml:5",
    )
    assert second.id == "observaties-2"  # numbered after the file when no id is given
    assert (second.level, second.facet, second.auditor) == (None, None, "B. Bakker")
    assert second.source == "observaties.toml:18"


def test_a_file_without_observations(tmp_path: Path) -> None:
    assert read_observations(write(tmp_path, HEADER), GOUDEN_OOR) == ()


def error_of(tmp_path: Path, text: str) -> EvidenceFileError:
    with pytest.raises(EvidenceFileError) as caught:
        read_observations(write(tmp_path, text), GOUDEN_OOR)
    return caught.value


@pytest.mark.parametrize(
    ("old", "new", "line", "field", "message"),
    [
        ("level = 1", "level = 7", 10, "level", "7 is not on scale 'maturity'"),
        ("level = 1", "levle = 1", 10, "levle", "unknown key"),
        ('"mdw-sensor"]', '"mdw-sensors"]', 7, "criteria", "unknown criterion 'mdw-sensors'"),
        ('kind = "strength"', 'kind = "praise"', 20, "kind", "unknown value 'praise'"),
        (f'["{CASE}"]', '["not-a-uuid"]', 14, "cases[0]", ""),
        ('facet = "operation"\n', "", 5, "facet", "a rated observation (level) needs a facet"),
        (
            "observed_on = 2024-03-12",
            "observed_on = 2024-03-12T10:00:00",
            16,
            "observed_on",
            "date",
        ),
        ('lang = "nl"', 'lang = "de"', 23, "lang", "unknown language 'de'"),
        ('"Tweewekelijks verbeteroverleg met actielijst."', '"  "', 21, "text", "not be blank"),
        ('criteria = ["lo-verbeteroverleg"]', "criteria = []", 19, "criteria", "at least one"),
        ("\n[[observation]]\ncriteria", '\n[[observation]]\nid = "O-1"\ncriteria', 19, "id", "O-1"),
    ],
)
def test_errors_name_the_line_and_field(
    tmp_path: Path, old: str, new: str, line: int, field: str, message: str
) -> None:
    assert old in VALID
    error = error_of(tmp_path, VALID.replace(old, new))
    assert (error.line, error.field) == (line, field), str(error)
    assert message in error.message
    assert str(error).startswith(f"observaties.toml, line {line}: {field}: ")


def test_header_errors(tmp_path: Path) -> None:
    error = error_of(tmp_path, VALID.replace('version = "', 'version = "1999-'))
    assert (error.line, error.field) == (2, "version")
    error = error_of(tmp_path, VALID.replace("auditor = ", "auditr = "))
    assert (error.line, error.field) == (3, "auditr")
    error = error_of(tmp_path, VALID.replace('framework = "gouden-oor"', ""))
    assert (error.field, error.message) == (
        "framework",
        "the file is for framework None, not 'gouden-oor'",
    )


def test_a_toml_syntax_error_names_its_line(tmp_path: Path) -> None:
    error = error_of(tmp_path, VALID.replace("level = 1", "level = = 1"))
    assert (error.line, error.field) == (10, "toml")


def test_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "observaties.toml"
    path.write_bytes(VALID.replace("Telefonische", "Telefonische één").encode("cp1252"))
    with pytest.raises(EvidenceFileError, match="line 12: encoding: the file is not UTF-8"):
        read_observations(path, GOUDEN_OOR)

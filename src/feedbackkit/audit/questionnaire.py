"""The self-assessment questionnaire (maturity scan) as a CSV file to fill in with a spreadsheet.

One row per criterion with its texts, evidence hints and scale, and three columns to
fill in: opzet, werking and evaluatie (design, operation, evaluation), each with a
level number or label, or left empty when unknown. The file is written as UTF-8 with
a byte-order mark and ``;`` between fields, which a Dutch spreadsheet opens as
columns; reading accepts ``;``, ``,`` or tab, and Windows-1252 when the file is not
UTF-8. Headers may be Dutch or English; unknown columns are ignored.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import attrs

from feedbackkit.audit.evidence import CriterionRef, EvidenceFileError, Facet, QuestionnaireAnswer
from feedbackkit.audit.framework import Criterion, Framework, Text, check_lang
from feedbackkit.errors import ValidationError

__all__ = ["COLUMNS", "read_questionnaire", "write_questionnaire"]

COLUMNS: dict[str, Text] = {
    "criterion": Text(nl="criterium", en="criterion"),
    "part": Text(nl="onderdeel", en="part"),
    "title": Text(nl="titel", en="title"),
    "description": Text(nl="omschrijving", en="description"),
    "evidence": Text(nl="bronnen", en="evidence"),
    "scale": Text(nl="schaal", en="scale"),
    **{facet.value: Text(nl=facet.label("nl"), en=facet.label("en")) for facet in Facet},
    "remarks": Text(nl="toelichting", en="remarks"),
    "framework": Text(nl="raamwerk", en="framework"),
    "version": Text(nl="versie", en="version"),
}
"""Column key → header in Dutch and English, in file order."""

_REQUIRED = ("criterion", *(facet.value for facet in Facet), "framework", "version")


def write_questionnaire(framework: Framework, path: Path, lang: str = "nl") -> None:
    """Write the questionnaire template for ``framework`` in ``lang`` to ``path``."""
    check_lang(lang)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, delimiter=";")
        writer.writerow(text.get(lang) for text in COLUMNS.values())
        for criterion in framework.criteria:
            writer.writerow(
                {
                    "criterion": criterion.id,
                    "part": _part(framework, criterion, lang),
                    "title": _title(criterion, lang),
                    "description": criterion.description.get(lang),
                    "evidence": "; ".join(hint.text.get(lang) for hint in criterion.evidence),
                    "scale": framework.scale_of(criterion).legend(lang),
                    "framework": framework.name,
                    "version": framework.version,
                }.get(key, "")
                for key in COLUMNS
            )


def _part(framework: Framework, criterion: Criterion, lang: str) -> str:
    return " / ".join(
        dimension.group(group_id).title.get(lang)
        for dimension in framework.dimensions
        for group_id in criterion.groups.get(dimension.id, ())
    )


def _title(criterion: Criterion, lang: str) -> str:
    title = criterion.title.get(lang)
    return f"{title} ({criterion.reference})" if criterion.reference else title


def read_questionnaire(
    path: Path, framework: Framework, respondent: str | None = None
) -> tuple[QuestionnaireAnswer, ...]:
    """The answers in a filled-in questionnaire; ``respondent`` defaults to the file name.

    Raises :class:`EvidenceFileError` naming the line and column of the first problem.
    """
    source = path.name
    rows = _rows(path)
    try:
        header_line, header = next(rows)
    except StopIteration:
        raise EvidenceFileError(source, 1, "file", "is empty") from None
    columns = _columns(source, header_line, header)
    answers: list[QuestionnaireAnswer] = []
    seen: dict[str, int] = {}
    for line, cells in rows:
        if not any(value.strip() for value in cells):
            continue
        row = _Row(source, line, header, columns, cells)
        for key, expected in (("framework", framework.name), ("version", framework.version)):
            if row.cell(key) != expected:
                raise row.error(
                    key, f"the file is for {key} {row.cell(key)!r}, the loaded one is {expected!r}"
                )
        criterion_id = row.cell("criterion")
        if not framework.has_criterion(criterion_id):
            raise row.error("criterion", f"unknown criterion {criterion_id!r} of {framework.name}")
        if criterion_id in seen:
            raise row.error(
                "criterion", f"{criterion_id!r} is already on line {seen[criterion_id]}"
            )
        seen[criterion_id] = line
        scale = framework.scale_of(framework.criterion(criterion_id))
        for facet in Facet:
            if not row.cell(facet.value):
                continue
            try:
                level = scale.parse(row.cell(facet.value))
            except ValidationError as exc:
                raise row.error(facet.value, exc.message) from None
            answers.append(
                QuestionnaireAnswer(
                    criterion=CriterionRef(framework.name, criterion_id),
                    facet=facet,
                    level=level,
                    respondent=respondent or path.stem,
                    remarks=row.cell("remarks"),
                    source=f"{source}:{line}",
                )
            )
    return tuple(answers)


@attrs.frozen
class _Row:
    """One data row: cells by column key, and errors naming the line and the header."""

    source: str
    line: int
    header: list[str]
    columns: dict[str, int]
    cells: list[str]

    def cell(self, key: str) -> str:
        index = self.columns.get(key, len(self.cells))
        return self.cells[index].strip() if index < len(self.cells) else ""

    def error(self, key: str, message: str) -> EvidenceFileError:
        return EvidenceFileError(
            self.source, self.line, self.header[self.columns[key]].strip(), message
        )


def _rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """The CSV rows of ``path`` with the line each starts on."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    first = next((line for line in text.splitlines() if line.strip()), "")
    try:
        delimiter = csv.Sniffer().sniff(first, delimiters=";,\t").delimiter
    except csv.Error:
        delimiter = ";"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    while True:
        line = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise EvidenceFileError(path.name, line, "csv", str(exc)) from None
        yield line, row


def _columns(source: str, line: int, header: list[str]) -> dict[str, int]:
    """Column key → index, from a Dutch or English header row."""
    known = {label.casefold(): key for key, text in COLUMNS.items() for label in (text.nl, text.en)}
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        key = known.get(name.strip().casefold())
        if key is None:
            continue
        if key in columns:
            raise EvidenceFileError(source, line, name.strip(), "this column appears twice")
        columns[key] = index
    for key in _REQUIRED:
        if key not in columns:
            text = COLUMNS[key]
            raise EvidenceFileError(source, line, f"{text.nl}/{text.en}", "this column is missing")
    return columns

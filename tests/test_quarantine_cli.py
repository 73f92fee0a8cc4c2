"""``feedbackkit quarantine list|reprocess|resolve``: rejected register rows are listed,
re-processed after a fix of the raw item, and resolved by hand."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result

from feedbackkit.cli import cli
from feedbackkit.service import FeedbackKit

MAPPING = """\
[register]
key = "Nr"
[columns]
received_at = "Datum"
text = "Omschrijving"
[defaults]
channel = "letter"
"""
REGISTER = """\
Nr;Datum;Omschrijving
1;02-03-2026;Brief over de hondenbelasting.
2;31-02-2026;Datum bestaat niet.
3;03-03-2026;
"""


def run(db: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", str(db), *args])


def test_list_reprocess_and_resolve(tmp_path: Path) -> None:
    db, quarantine = tmp_path / "kit.sqlite", tmp_path / "quarantaine"
    (tmp_path / "mapping.toml").write_text(MAPPING, "utf-8")
    (tmp_path / "register.csv").write_text(REGISTER, "utf-8")
    imported = run(
        db, "import", str(tmp_path / "register.csv"), "--mapping", str(tmp_path / "mapping.toml"),
        "--quarantine", str(quarantine),
    )  # fmt: skip
    assert imported.exit_code == 3, imported.output

    listed = run(db, "quarantine", "list", str(quarantine))
    assert listed.exit_code == 0, listed.output
    lines = [line for line in listed.stdout.splitlines() if line]
    assert len(lines) == 2
    by_row = {line.split()[2].rsplit(":", 1)[1]: line for line in lines}
    assert "Datum: '31-02-2026' is not a valid date" in by_row["3"]
    assert "Omschrijving: required, but empty" in by_row["4"]
    assert "(attempts: 0)" in by_row["3"]
    bad_date = by_row["3"].split()[0]
    empty_text = by_row["4"].split()[0]

    raw = quarantine / bad_date / "raw.json"
    cells = json.loads(raw.read_text("utf-8"))
    raw.write_text(json.dumps({**cells, "Datum": "28-02-2026"}), "utf-8")  # the fix
    again = run(db, "quarantine", "reprocess", str(quarantine))
    assert again.exit_code == 3, again.output
    assert "1 imported, 0 skipped, 1 still rejected" in again.output
    assert f"{empty_text}:" in again.output
    with FeedbackKit.open(db) as kit:
        assert kit.count() == 2

    resolved = run(db, "quarantine", "resolve", str(quarantine), empty_text, "klant gebeld")
    assert resolved.exit_code == 0, resolved.output
    assert run(db, "quarantine", "list", str(quarantine)).stdout == ""
    everything = run(db, "quarantine", "list", "--all", str(quarantine)).stdout
    assert "resolved: imported" in everything
    assert "resolved: klant gebeld" in everything
    done = run(db, "quarantine", "reprocess", str(quarantine))
    assert done.exit_code == 0
    assert "0 imported, 0 skipped, 0 still rejected" in done.output
    unknown = run(db, "quarantine", "resolve", str(quarantine), "onbekend", "x")
    assert unknown.exit_code == 1
    assert "onbekend" in unknown.output

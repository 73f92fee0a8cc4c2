"""``feedbackkit export`` / ``feedbackkit import`` end to end, through the real command line."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import attrs
import pytest
from click.testing import CliRunner, Result

from feedbackkit.cli import cli
from feedbackkit.clock import AMSTERDAM
from feedbackkit.commands.interchange import EXIT_REJECTED, SHOWN_REJECTIONS
from feedbackkit.demo import MIN_COVERAGE_SIZE, generate, reference_day
from feedbackkit.models import Feedback, Party, PartyRef
from feedbackkit.service import FeedbackKit
from feedbackkit.vocabulary import PartyRole

AS_OF = "2026-04-02"


def run(db: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", str(db), *args], catch_exceptions=False)


def at(day: str, hour: int = 9) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=AMSTERDAM)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """Three cases: an open complaint, a handled melding and a compliment."""
    path = tmp_path / "source.sqlite"
    with FeedbackKit.open(path) as kit:
        party = Party(name="A. de Vries", email="a.devries@example.nl")
        complaint = kit.register(
            Feedback(
                "complaint",
                "email",
                at("2026-03-16"),
                "Niemand belt mij terug over mijn aanvraag.",
                reference="KL-1",
                org_unit="Publiekszaken",
                parties=(PartyRef(party.id, PartyRole.COMPLAINANT),),
            ),
            [party],
        )
        handler = {"handler": "p.jansen"}
        kit.act(
            complaint.id, "assign_handler", actor="balie", payload=handler, at=at("2026-03-16", 11)
        )
        melding = kit.register(
            Feedback(
                "melding",
                "app",
                at("2026-03-10", 8),
                "Lantaarnpaal kapot.",
                reference="MK-1",
                subject="Openbare verlichting",
            )
        )
        for hours, action, payload in [
            (1, "start_work", {}),
            (30, "complete", {"resolution": "Lamp vervangen"}),
            (31, "close", {}),
        ]:
            moment = at("2026-03-10", 8) + timedelta(hours=hours)
            kit.act(melding.id, action, actor="buitendienst", payload=payload, at=moment)
        compliment = Feedback("compliment", "counter", at("2026-04-01", 12), "Fijn geholpen!")
        kit.register(attrs.evolve(compliment, reference="CO-1"))
    return path


def lines_of(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines()]


def references(text: str) -> list[str]:
    return [line["feedback"]["reference"] for line in lines_of(text)]


# -- export --------------------------------------------------------------------------------


def test_export_writes_every_case_oldest_first_with_state_and_running_deadlines(db: Path) -> None:
    result = run(db, "export", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    melding, complaint, compliment = lines_of(result.stdout)
    assert [melding["feedback"]["reference"], complaint["feedback"]["reference"]] == [
        "MK-1",
        "KL-1",
    ]
    assert compliment["feedback"]["reference"] == "CO-1"
    assert result.stderr == "3 cases exported\n"
    assert {line["as_of"] for line in (melding, complaint, compliment)} == {AS_OF}
    assert (melding["state"]["state"], melding["state"]["done"]) == ("closed", True)
    assert melding["deadlines"] == []  # handled: nothing is running
    assert complaint["state"]["handler"] == "p.jansen"
    assert complaint["parties"][0]["name"] == "A. de Vries"
    handling = next(d for d in complaint["deadlines"] if d["term"] == "handling")
    # Awb 9:11: six weeks from 16 March is Monday 27 April, Koningsdag: the Atw moves it.
    assert (handling["status"], handling["due"], handling["basis"]) == (
        "open",
        "2026-04-28",
        "Awb 9:11 lid 1",
    )
    assert any("Atw art. 1" in rule and "Koningsdag" in rule for rule in handling["rules"])
    assert all(d["status"] in {"open", "suspended"} for d in complaint["deadlines"])
    missed = {d["term"] for d in complaint["deadlines"]}
    assert "personal_contact" not in missed  # 3 working days after 16 March: missed, not running


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (["--kind", "complaint"], ["KL-1"]),
        (["--kind", "melding", "--kind", "compliment"], ["MK-1", "CO-1"]),
        (["--channel", "counter"], ["CO-1"]),
        (["--procedure", "awb_complaint"], ["KL-1"]),
        (["--since", "2026-03-16"], ["KL-1", "CO-1"]),
        (["--until", "2026-03-16"], ["MK-1", "KL-1"]),  # the whole day is included
        (["--since", "2026-03-11", "--until", "2026-03-31"], ["KL-1"]),
        (["--done"], ["MK-1"]),
        (["--open"], ["KL-1", "CO-1"]),
        (["--state", "received"], ["KL-1", "CO-1"]),
        (["--reference", "MK-1"], ["MK-1"]),
        (["--subject", "Openbare verlichting"], ["MK-1"]),
        (["--org-unit", "Publiekszaken"], ["KL-1"]),
        (["--org-unit", "Publiekszaken", "--subject", "Openbare verlichting"], []),
    ],
)
def test_export_filters(db: Path, options: list[str], expected: list[str]) -> None:
    result = run(db, "export", *options)
    assert result.exit_code == 0, result.output
    assert references(result.stdout) == expected


def test_export_to_a_file(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "cases.jsonl"
    result = run(db, "export", "--out", str(out), "--as-of", AS_OF)
    assert (result.exit_code, result.stdout) == (0, "")
    assert out.read_text("utf-8") == run(db, "export", "--as-of", AS_OF).stdout


# -- import --------------------------------------------------------------------------------


def exported(db: Path, tmp_path: Path, name: str = "cases.jsonl") -> Path:
    path = tmp_path / name
    assert run(db, "export", "--out", str(path), "--as-of", AS_OF).exit_code == 0
    return path


def test_import_restores_an_export_and_a_second_import_adds_nothing(
    db: Path, tmp_path: Path
) -> None:
    source = exported(db, tmp_path)
    target = tmp_path / "target.sqlite"
    first = run(target, "import", str(source))
    assert first.exit_code == 0, first.output
    assert first.stderr == f"{source}: 3 read = 3 imported + 0 already present + 0 rejected\n"
    assert run(target, "export", "--as-of", AS_OF).stdout == source.read_text("utf-8")
    second = run(target, "import", str(source))
    assert second.exit_code == 0
    assert "3 read = 0 imported + 3 already present + 0 rejected" in second.stderr
    assert not (tmp_path / "cases.rejects.jsonl").exists()


def _change(line: str, **parts: Any) -> str:
    data = json.loads(line)
    for path, value in parts.items():
        *parents, last = path.split("__")
        target = data
        for key in parents:
            target = target[int(key)] if key.isdigit() else target[key]
        target[last] = value
    return json.dumps(data)


def write_lines(path: Path, lines: Sequence[str]) -> Path:
    path.write_text("".join(f"{line}\n" for line in lines), "utf-8")
    return path


def test_bad_lines_are_named_and_rejected_and_the_good_ones_imported(
    db: Path, tmp_path: Path
) -> None:
    melding, complaint, compliment = exported(db, tmp_path).read_text("utf-8").splitlines()
    complaint_id = json.loads(complaint)["feedback"]["id"]
    closing = {"seq": 1, "action": "close", "actor": "x", "at": "2026-03-17T10:00:00+01:00"}
    bad = {
        2: (complaint[:40], "json", "invalid JSON"),
        3: (_change(complaint, feedback__colour="red"), "feedback.colour", "unknown field"),
        4: (_change(complaint, events__0__seq="1"), "events[0].seq", "expected int"),
        5: (
            _change(complaint, feedback__received_at="2026-03-16T09:00:00"),
            "feedback.received_at",
            "timezone-aware",
        ),
        6: (
            _change(complaint, events=[{**closing, "case_id": complaint_id}]),
            "events[0].action",
            "'close' is not allowed in state 'received'",
        ),
        7: (_change(complaint, feedback__parties=[]), "parties", "plays no role"),
    }
    lines = [melding, *(line for line, _, _ in bad.values()), compliment, melding]
    source = write_lines(tmp_path / "mixed.jsonl", lines)
    target = tmp_path / "target.sqlite"
    result = run(target, "import", str(source))
    assert result.exit_code == EXIT_REJECTED
    reported = result.stderr.splitlines()
    for number, (_, field, reason) in bad.items():
        assert any(
            line.startswith(f"{source}:{number}: {field}: ") and reason in line for line in reported
        ), (number, field, result.stderr)
    rejects = tmp_path / "mixed.rejects.jsonl"
    assert reported[-1] == (
        f"{source}: 9 read = 2 imported + 1 already present + 6 rejected (written to {rejects})"
    )
    written = lines_of(rejects.read_text("utf-8"))
    assert [(r["position"], r["field"]) for r in written] == [
        (n, f) for n, (_, f, _) in bad.items()
    ]
    assert all(r["source"] == str(source) for r in written)
    assert [r["raw"] for r in written[:4]] == [line for line, _, _ in list(bad.values())[:4]]
    for parsed in written[4:]:  # rejected after parsing: the case as read, re-serialised
        assert json.loads(parsed["raw"])["feedback"]["id"] == complaint_id
    assert references(run(target, "export").stdout) == ["MK-1", "CO-1"]


def test_a_fixed_line_is_imported_on_the_next_run(db: Path, tmp_path: Path) -> None:
    melding, complaint, _ = exported(db, tmp_path).read_text("utf-8").splitlines()
    source = write_lines(tmp_path / "cases.jsonl", [melding, complaint.replace('"KL-1"', "KL-1")])
    target = tmp_path / "target.sqlite"
    assert run(target, "import", str(source)).exit_code == EXIT_REJECTED
    write_lines(source, [melding, complaint])
    again = run(target, "import", str(source))
    assert again.exit_code == 0
    assert "2 read = 1 imported + 1 already present + 0 rejected" in again.stderr


def test_many_rejections_are_counted_not_all_shown(tmp_path: Path) -> None:
    source = write_lines(tmp_path / "junk.jsonl", ["{}"] * (SHOWN_REJECTIONS + 5))
    result = run(
        tmp_path / "t.sqlite", "import", str(source), "--rejects", str(tmp_path / "r.jsonl")
    )
    assert result.exit_code == EXIT_REJECTED
    shown = [line for line in result.stderr.splitlines() if ": format: required" in line]
    assert len(shown) == SHOWN_REJECTIONS
    assert "... and 5 more rejected" in result.stderr
    assert len((tmp_path / "r.jsonl").read_text("utf-8").splitlines()) == SHOWN_REJECTIONS + 5
    assert not (tmp_path / "junk.rejects.jsonl").exists()


def test_the_format_option_overrides_the_suffix(db: Path, tmp_path: Path) -> None:
    source = exported(db, tmp_path, "cases.txt")
    target = tmp_path / "target.sqlite"
    unknown = run(target, "import", str(source))
    assert unknown.exit_code == 2
    assert "no channel reads 'cases.txt'; known: email (.eml .mbox), imap" in unknown.stderr
    assert "jsonl (.jsonl .ndjson), register (.csv .xlsx)" in unknown.stderr
    assert (
        "channel 'fax' (known: email, imap, jsonl, register, signalen) not found"
        in run(target, "import", str(source), "--format", "fax").stderr
    )
    same = run(target, "import", str(source), "--format", "jsonl", "--rejects", str(source))
    assert same.exit_code == 2
    assert "--rejects must not be the file being imported" in same.stderr
    result = run(target, "import", str(source), "--format", "jsonl")
    assert result.exit_code == 0
    assert "3 read = 3 imported" in result.stderr


def test_the_console_command_exits_3_when_lines_were_rejected(db: Path, tmp_path: Path) -> None:
    melding, complaint, _ = exported(db, tmp_path).read_text("utf-8").splitlines()
    source = write_lines(tmp_path / "cases.jsonl", [melding, complaint[:-1]])
    command = [sys.executable, "-c", "from feedbackkit.cli import main; main()"]
    done = subprocess.run(
        [*command, "--db", str(tmp_path / "t.sqlite"), "import", str(source)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == EXIT_REJECTED, done.stderr
    assert f"{source}:2: json: invalid JSON" in done.stderr


# -- done when: export a demo database, corrupt a line, import into an empty one ------------


def test_a_demo_export_with_one_corrupt_line_imports_everything_else_once(tmp_path: Path) -> None:
    source_db, target_db = tmp_path / "demo.sqlite", tmp_path / "empty.sqlite"
    with FeedbackKit.open(source_db) as kit:
        size = kit.ingest(generate(max(MIN_COVERAGE_SIZE, 120), seed=11)).inserted
    cases = tmp_path / "cases.jsonl"
    as_of = reference_day().isoformat()
    assert run(source_db, "export", "--out", str(cases), "--as-of", as_of).exit_code == 0
    lines = cases.read_text("utf-8").splitlines()
    assert len(lines) == size
    corrupt = 42
    lines[corrupt - 1] = lines[corrupt - 1].replace('"received_at": "', '"received_at": "x', 1)
    write_lines(cases, lines)

    first = run(target_db, "import", str(cases))
    assert first.exit_code == EXIT_REJECTED
    assert first.stderr.splitlines() == [
        f"{cases}:{corrupt}: feedback.received_at: invalid value for type, expected datetime",
        f"{cases}: {size} read = {size - 1} imported + 0 already present + 1 rejected"
        f" (written to {tmp_path / 'cases.rejects.jsonl'})",
    ]
    (rejected,) = lines_of((tmp_path / "cases.rejects.jsonl").read_text("utf-8"))
    assert (rejected["position"], rejected["raw"]) == (corrupt, lines[corrupt - 1])

    second = run(target_db, "import", str(cases))
    assert second.exit_code == EXIT_REJECTED
    assert f"{size} read = 0 imported + {size - 1} already present + 1 rejected" in second.stderr

    restored = run(target_db, "export", "--as-of", as_of).stdout.splitlines()
    assert restored == lines[: corrupt - 1] + lines[corrupt:]
    running = [d for line in lines_of("\n".join(restored)) for d in line["deadlines"]]
    assert running, "the demo year ends with cases whose deadlines are still running"
    assert all(d["status"] in ("open", "suspended") and d["due"] and d["rules"] for d in running)


def test_a_cli_call_imports_only_the_command_it_runs() -> None:
    """Commands are named up front and imported when they run (``LazyGroup``)."""
    probe = (
        "import sys\n"
        "from feedbackkit.cli import main\n"
        "sys.argv = ['feedbackkit', 'plugins']\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('feedbackkit.commands.')))\n"
        "print('alembic' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    loaded, alembic = done.stdout.splitlines()[-2:]
    assert loaded == "['feedbackkit.commands.lazy', 'feedbackkit.commands.plugins']"
    assert alembic == "False"


def test_every_built_in_command_is_listed_where_its_module_defines_it() -> None:
    from feedbackkit.builtin.commands import COMMANDS
    from feedbackkit.commands.lazy import command_in

    for name, module in COMMANDS.items():
        assert command_in(module, name).name == name
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0, result.output
    listed = result.output.split("Commands:")[1]
    assert [line.split()[0] for line in listed.strip().splitlines()] == sorted(COMMANDS)


def test_a_lazy_command_missing_from_its_module_is_a_clear_error() -> None:
    from feedbackkit.commands.lazy import command_in

    with pytest.raises(LookupError, match=r"feedbackkit\.commands\.db has no command 'dbx'"):
        command_in("feedbackkit.commands.db", "dbx")

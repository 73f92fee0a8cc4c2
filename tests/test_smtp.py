"""The built-in SMTP notifier against a real SMTP server (aiosmtpd on loopback): letters
about a case arrive with the right headers, Dutch text and encoding, and every message
is recorded on the case; STARTTLS with a throw-away certificate; a refused connection
becomes a task on the case."""

from __future__ import annotations

import email
import email.policy
import shutil
import socket
import ssl
import subprocess
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import attrs
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP as SmtpServer
from aiosmtpd.smtp import Envelope, Session

from feedbackkit.clock import AMSTERDAM, FixedClock
from feedbackkit.errors import NotFoundError, ValidationError
from feedbackkit.models import Feedback, Party, PartyRef
from feedbackkit.notifications import NotificationError, SmtpNotifier, notify
from feedbackkit.ports import Message
from feedbackkit.service import FeedbackKit
from feedbackkit.settings import Organisation, Settings, parse_settings
from feedbackkit.vocabulary import PartyRole

RECEIVED = datetime(2026, 3, 2, 10, 15, tzinfo=AMSTERDAM)  # Monday
SENDER = "Gemeente Voorbeeld <klachten@gemeente.example>"


class Inbox:
    """An aiosmtpd handler keeping every message it receives."""

    def __init__(self) -> None:
        self.received: list[tuple[Envelope, EmailMessage]] = []

    async def handle_DATA(self, server: SmtpServer, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or b""
        parsed = email.message_from_bytes(content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        self.received.append((envelope, parsed))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    handler = Inbox()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


def make_kit(port: int, clock: FixedClock, **settings: Any) -> FeedbackKit:
    options = {"host": "127.0.0.1", "port": port, "security": "none", "sender": SENDER}
    config = Settings(
        organisation=Organisation(
            name="Gemeente Voorbeeld", email="klachten@gemeente.example", phone="14 0123"
        ),
        notifier="smtp",
        notifier_options=options,
        **settings,
    )
    return FeedbackKit.open(":memory:", clock=clock, settings=config)


def complaint(kit: FeedbackKit, *parties: tuple[Party, PartyRole]) -> uuid.UUID:
    feedback = Feedback(
        "complaint",
        "web_form",
        RECEIVED,
        "De medewerker aan de balie was onbeschoft tegen mij.",
        subject="Bejegening aan de balie",
        reference="KL-2026-0042",
        parties=tuple(PartyRef(p.id, role) for p, role in parties),
    )
    return kit.register(feedback, [p for p, _ in parties]).id


def test_an_acknowledgement_arrives_in_dutch_and_is_recorded(inbox: tuple[Inbox, int]) -> None:
    handler, port = inbox
    clock = FixedClock(RECEIVED + timedelta(hours=2))
    kit = make_kit(port, clock)
    klager = Party(name="Mevrouw E. Çelik", email="e.celik@example.nl")
    case = complaint(kit, (klager, PartyRole.COMPLAINANT))

    (delivery,) = notify(kit, case, "acknowledgement", actor="p.devries")

    assert (delivery.medium, delivery.action, delivery.role) == (
        "email",
        "message_sent",
        PartyRole.COMPLAINANT,
    )
    (envelope, message) = handler.received[0]
    assert envelope.mail_from == "klachten@gemeente.example"
    assert envelope.rcpt_tos == ["e.celik@example.nl"]
    assert message["From"] == SENDER
    assert message["To"] == "e.celik@example.nl"
    assert message["Subject"] == "Ontvangstbevestiging van uw klacht"
    assert message["Content-Language"] == "nl"
    assert message["Reply-To"] == "klachten@gemeente.example"
    assert message["X-Feedbackkit-Case"] == str(case)
    assert message["Message-ID"] == delivery.reference
    assert message["Message-ID"].endswith("@gemeente.example>")
    assert message.get_content_type() == "multipart/alternative"
    text_part = message.get_body(("plain",))
    html_part = message.get_body(("html",))
    assert text_part is not None
    assert html_part is not None
    for part in (text_part, html_part):
        assert part.get_content_charset() == "utf-8"
        assert part["Content-Transfer-Encoding"] == "quoted-printable"
    text = " ".join(text_part.get_content().split())
    assert text.startswith("Geachte Mevrouw E. Çelik,")
    assert "Op 2 maart 2026 hebben wij uw klacht ontvangen over" in text
    # personal contact within 3 working days, handling within 6 weeks (Awb 9:11)
    assert "uiterlijk 5 maart 2026 persoonlijk contact" in text
    assert "U hoort uiterlijk 13 april 2026 wat wij" in text
    assert "vóór die datum" in text
    assert "Ons kenmerk: KL-2026-0042" in text
    html = html_part.get_content()
    assert '<html lang="nl">' in html
    assert "Bejegening aan de balie" in html

    event = kit.view(case).events[-1]
    assert (event.action, event.actor) == ("message_sent", "p.devries")
    assert event.payload == {
        "template": "acknowledgement",
        "to": "complainant",
        "party": str(klager.id),
        "language": "nl",
        "medium": "email",
        "reference": delivery.reference,
    }
    assert "e.celik@example.nl" not in str(event.payload)  # personal data stays in the party


def test_a_postponement_goes_to_complainant_and_beklaagde(inbox: tuple[Inbox, int]) -> None:
    handler, port = inbox
    clock = FixedClock(RECEIVED + timedelta(days=30))
    kit = make_kit(port, clock)
    klager = Party(name="J. Jansen", email="j.jansen@example.nl")
    beklaagde = Party(name="K. de Boer", email="k.deboer@gemeente.example", language="en")
    case = complaint(kit, (klager, PartyRole.COMPLAINANT), (beklaagde, PartyRole.BEKLAAGDE))
    kit.act(case, "start_formal", actor="p.devries")
    kit.act(case, "postpone", actor="p.devries", payload={"weeks": 3}, reason="Getuige op vakantie")

    deliveries = notify(kit, case, "postponement", actor="p.devries")

    assert [d.role for d in deliveries] == [PartyRole.COMPLAINANT, PartyRole.BEKLAAGDE]
    by_recipient = {env.rcpt_tos[0]: msg for env, msg in handler.received}
    to_klager = by_recipient["j.jansen@example.nl"]
    to_beklaagde = by_recipient["k.deboer@gemeente.example"]
    assert to_klager["Subject"] == "Verdaging van de behandeling van uw klacht"
    assert to_beklaagde["Subject"] == "Postponement of the handling of a complaint"
    assert to_beklaagde["Content-Language"] == "en"
    klager_text = " ".join(to_klager.get_body(("plain",)).get_content().split())  # type: ignore[union-attr]
    assert "verdagen de behandeling daarom met 3 weken" in klager_text
    assert "uiterlijk 4 mei 2026 ons oordeel" in klager_text  # 13 April + 3 weeks
    assert "De reden: Getuige op vakantie" in klager_text
    beklaagde_text = " ".join(to_beklaagde.get_body(("plain",)).get_content().split())  # type: ignore[union-attr]
    assert "a complaint about your conduct" in beklaagde_text
    assert "no later than 4 May 2026" in beklaagde_text
    sent = [e for e in kit.view(case).events if e.action == "message_sent"]
    assert [e.payload["to"] for e in sent] == ["complainant", "beklaagde"]


def test_the_survey_invitation_carries_the_one_time_link(inbox: tuple[Inbox, int]) -> None:
    handler, port = inbox
    clock = FixedClock(RECEIVED + timedelta(days=3))
    kit = make_kit(
        port,
        clock,
        survey_key=b"0123456789abcdef0123",
        survey_url="https://gemeente.example/enquete?t={token}",
    )
    klager = Party(name="J. Jansen", email="j.jansen@example.nl")
    case = complaint(kit, (klager, PartyRole.COMPLAINANT))
    for action, payload in [("start_informal", {}), ("resolve_informally", {})]:
        kit.act(case, action, actor="p.devries", payload=payload)
    kit.act(case, "close", actor="p.devries", payload={"accepted": True})

    invitation, deliveries = kit.survey.invite(case, actor="p.devries")

    assert [d.action for d in deliveries] == ["message_sent"]
    ((_, message),) = handler.received
    text_part = message.get_body(("plain",))
    html_part = message.get_body(("html",))
    assert text_part is not None
    assert html_part is not None
    assert invitation.url is not None
    assert invitation.url in text_part.get_content()
    assert f'<a href="{invitation.url}">' in html_part.get_content()
    assert "geldig tot en met 2 april 2026" in " ".join(text_part.get_content().split())
    actions = [e.action for e in kit.view(case).events]
    assert actions[-3:] == ["close", "survey_requested", "message_sent"]  # after closing
    kit.survey.answer(invitation.token, {"relationship": "unchanged"})


def test_starttls_with_a_trusted_certificate(tmp_path: Path) -> None:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
         "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    handler = Inbox()
    port = free_port()
    controller = Controller(
        handler, hostname="127.0.0.1", port=port, tls_context=context, require_starttls=True
    )
    controller.start()
    try:
        options = {"host": "127.0.0.1", "port": port, "sender": SENDER}
        plain = SmtpNotifier().configure(options)  # starttls by default, system CAs only
        message = Message("test", "a@example.nl", "Test", "Hallo wereld")
        with pytest.raises(NotificationError, match="certificate verify failed"):
            plain.send(message)
        trusted = SmtpNotifier().configure({**options, "cafile": str(cert)})
        reference = trusted.send(message)
    finally:
        controller.stop()
    ((_, received),) = handler.received
    assert received["Message-ID"] == reference
    assert received.get_content().strip() == "Hallo wereld"


def test_a_refused_connection_becomes_a_task(tmp_path: Path) -> None:
    clock = FixedClock(RECEIVED + timedelta(hours=1))
    kit = make_kit(free_port(), clock)  # nothing listens there
    klager = Party(name="J. Jansen", email="j.jansen@example.nl")
    case = complaint(kit, (klager, PartyRole.COMPLAINANT))
    (delivery,) = notify(kit, case, "acknowledgement")
    assert (delivery.medium, delivery.action) == ("email", "task")
    assert delivery.reason is not None
    assert "127.0.0.1" in delivery.reason
    task = kit.view(case).events[-1]
    assert task.action == "task"
    assert "mislukt" in task.payload["text"]


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"sender": SENDER}, "notifications.smtp.host"),
        ({"host": "smtp.example.nl"}, "notifications.smtp.sender"),
        ({"host": "smtp.example.nl", "sender": "niemand"}, "notifications.smtp.sender"),
        (
            {"host": "smtp.example.nl", "sender": SENDER, "security": "none"},
            "notifications.smtp.security",
        ),
        ({"host": "smtp.example.nl", "sender": SENDER, "port": "25"}, "notifications.smtp.port"),
        ({"host": "smtp.example.nl", "sender": SENDER, "tls": True}, "notifications.smtp.tls"),
        (
            {"host": "smtp.example.nl", "sender": SENDER, "password_env": "FK_NOT_SET_ANYWHERE"},
            "notifications.smtp.password_env",
        ),
    ],
)
def test_bad_smtp_settings_name_the_option(options: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        SmtpNotifier().configure(options)
    assert caught.value.field == field


def test_the_smtp_notifier_is_a_builtin_plugin_configured_from_settings() -> None:
    settings = parse_settings(
        {
            "notifications": {
                "notifier": "smtp",
                "smtp": {"host": "smtp.gemeente.example", "sender": SENDER, "port": 2525},
            }
        }
    )
    kit = FeedbackKit.open(":memory:", settings=settings)
    from feedbackkit.notifications import notifier_of

    notifier = notifier_of(kit)
    assert isinstance(notifier, SmtpNotifier)
    assert notifier.settings is not None
    assert (notifier.settings.host, notifier.settings.port) == ("smtp.gemeente.example", 2525)
    unknown = attrs.evolve(settings, notifier="postduif")
    with pytest.raises(NotFoundError, match="postduif"):
        notifier_of(FeedbackKit.open(":memory:", settings=unknown))

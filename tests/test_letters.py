"""Letters rendered from the shipped templates (Dutch and English, HTML escaped, plain text
wrapped) and delivered by each party's contact preference: a letter file and a task for
post, a task when no notifier is configured, nothing for who wants no contact."""

from __future__ import annotations

import shutil
import subprocess
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from feedbackkit.clock import AMSTERDAM, FixedClock
from feedbackkit.errors import NotFoundError, ValidationError
from feedbackkit.models import Feedback, Party, PartyRef
from feedbackkit.notifications import letter_context, letters, notify, render_letter
from feedbackkit.ports import Message
from feedbackkit.service import FeedbackKit
from feedbackkit.settings import Ombudsman, Organisation, Settings
from feedbackkit.vocabulary import ContactPreference, PartyRole

RECEIVED = datetime(2026, 3, 2, 10, 15, tzinfo=AMSTERDAM)
SETTINGS = Settings(
    organisation=Organisation(
        name="Gemeente Voorbeeld",
        address="Postbus 1, 1234 AB Voorbeeld",
        website="https://www.gemeente.example",
    ),
    ombudsman=Ombudsman(name="Ombudsman Metropool", website="https://ombudsman.example"),
)


class Outbox:
    """A notifier that keeps what it is asked to send (for tests that are not about SMTP)."""

    name = "outbox"

    def __init__(self) -> None:
        self.sent: list[Message] = []

    def send(self, message: Message) -> str:
        self.sent.append(message)
        return f"<{len(self.sent)}@outbox.test>"


def open_kit(tmp_path: Path, **changes: Any) -> tuple[FeedbackKit, FixedClock]:
    clock = FixedClock(RECEIVED + timedelta(days=1))
    settings = Settings(
        organisation=SETTINGS.organisation,
        ombudsman=SETTINGS.ombudsman,
        letters_dir=tmp_path / "brieven",
        **changes,
    )
    return FeedbackKit.open(":memory:", clock=clock, settings=settings), clock


def complaint(
    kit: FeedbackKit, party: Party | None, subject: str = "Parkeervergunning"
) -> uuid.UUID:
    refs = (PartyRef(party.id, PartyRole.COMPLAINANT),) if party else ()
    feedback = Feedback(
        "complaint",
        "letter",
        RECEIVED,
        "Ik wacht al maanden op mijn vergunning & niemand reageert <op mijn brieven>.",
        subject=subject,
        reference="KL-7",
        parties=refs,
    )
    return kit.register(feedback, [party] if party else []).id


def findings_sent(kit: FeedbackKit, case: uuid.UUID) -> None:
    kit.act(case, "start_formal", actor="p.devries")
    kit.act(case, "waive_hearing", actor="p.devries", payload={"ground": "declined"})
    kit.act(
        case,
        "send_findings",
        actor="p.devries",
        payload={"judgement": "deels_gegrond", "ombudsman": "Ombudsman Metropool"},
    )


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("name", sorted(letters()))
def test_every_letter_renders_in_both_languages(tmp_path: Path, name: str, lang: str) -> None:
    kit, _ = open_kit(tmp_path)
    party = Party(name="<b>A. de Vries</b>", email="a@example.nl")
    case = complaint(kit, party, subject="<script>alert(1)</script>")
    findings_sent(kit, case)
    context = {
        **letter_context(kit, kit.view(case)),
        "recipient": party,
        "role": "complainant",
        "url": "https://gemeente.example/enquete?t=abc&x=1",
        "expires_at": RECEIVED.date() + timedelta(days=28),
        "we_did": "We hebben de wachttijd voor vergunningen gehalveerd.",
    }
    letter = render_letter(name, lang, context)
    assert letter.subject
    assert "\n" not in letter.subject
    assert "Gemeente Voorbeeld" in letter.text
    assert "KL-7" in letter.text
    assert "<script>" not in letter.html
    assert "<b>A. de Vries</b>" not in letter.html
    assert "&lt;b&gt;A. de Vries&lt;/b&gt;" in letter.html
    assert f'<html lang="{lang}">' in letter.html
    assert all(len(line) <= 72 or " " not in line for line in letter.text.splitlines())
    greeting = "Geachte <b>A. de Vries</b>," if lang == "nl" else "Dear <b>A. de Vries</b>,"
    assert letter.text.startswith(greeting)


def test_the_findings_letter_names_judgement_and_ombudsman(tmp_path: Path) -> None:
    kit, _ = open_kit(tmp_path)
    party = Party(name="A. de Vries", email="a@example.nl")
    case = complaint(kit, party)
    findings_sent(kit, case)
    context = {
        **letter_context(kit, kit.view(case)),
        "recipient": party,
        "role": "complainant",
        "findings": "De vergunning is te laat verleend.",
    }
    text = " ".join(render_letter("findings", "nl", context).text.split())
    assert "Onze bevindingen: De vergunning is te laat verleend." in text
    assert "Wij vinden uw klacht deels gegrond." in text
    assert "binnen een jaar na de datum van deze brief wenden tot de Ombudsman Metropool" in text
    assert "(https://ombudsman.example)" in text
    english = " ".join(render_letter("findings", "en", context).text.split())
    assert "We consider your complaint partly well-founded." in english


def test_the_not_handled_letter_gives_the_ground(tmp_path: Path) -> None:
    kit, _ = open_kit(tmp_path)
    party = Party(name="A. de Vries", email="a@example.nl")
    case = complaint(kit, party)
    kit.act(case, "decline", actor="p.devries", payload={"ground": "older_than_a_year"})
    context = {**letter_context(kit, kit.view(case)), "recipient": party, "role": "complainant"}
    text = " ".join(render_letter("not_handled", "nl", context).text.split())
    assert "langer dan een jaar vóór het indienen van uw klacht" in text
    assert "(artikel 9:8, eerste lid, Awb)" in text


def test_a_letter_names_what_it_needs(tmp_path: Path) -> None:
    kit, _ = open_kit(tmp_path)
    case = complaint(kit, Party(name="A", email="a@example.nl"))
    with pytest.raises(ValidationError) as caught:
        notify(kit, case, "you_said_we_did", notifier=Outbox())
    assert caught.value.field == "context.we_did"
    with pytest.raises(NotFoundError, match="known: acknowledgement"):
        notify(kit, case, "kerstkaart", notifier=Outbox())
    with pytest.raises(ValidationError, match="'fr' is not one of nl, en"):
        render_letter("acknowledgement", "fr", {})


def test_post_preference_writes_a_letter_file_and_a_task(tmp_path: Path) -> None:
    kit, _ = open_kit(tmp_path)
    party = Party(
        name="A. de Vries",
        address="Dorpsstraat 1\n1234 AB Voorbeeld",
        contact_preference=ContactPreference.LETTER,
        email="a@example.nl",
    )
    case = complaint(kit, party)
    outbox = Outbox()
    (delivery,) = notify(kit, case, "acknowledgement", notifier=outbox, actor="balie")
    assert outbox.sent == []  # the party asked for post
    assert (delivery.medium, delivery.action) == ("letter", "task")
    assert delivery.file is not None
    assert delivery.file.parent == tmp_path / "brieven"
    html = delivery.file.read_text("utf-8")
    assert "Dorpsstraat 1, 1234 AB Voorbeeld" in html  # the address block of a postal letter
    assert "Datum: 3 maart 2026" in html
    task = kit.view(case).events[-1]
    assert (task.action, task.actor) == ("task", "balie")
    assert task.payload["file"] == str(delivery.file)
    assert task.payload["text"].startswith("Brief 'Ontvangstbevestiging van uw klacht' afdrukken")


def test_letters_can_be_pdf(tmp_path: Path) -> None:
    kit, _ = open_kit(tmp_path, letter_format="pdf")
    party = Party(name="A. de Vries", address="Dorpsstraat 1", contact_preference="letter")
    case = complaint(kit, party)
    (delivery,) = notify(kit, case, "acknowledgement")
    assert delivery.file is not None
    assert delivery.file.suffix == ".pdf"
    assert delivery.file.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) reads the PDF back")
    text = subprocess.run(
        ["pdftotext", str(delivery.file), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "Ontvangstbevestiging van uw klacht" in " ".join(text.split())


def test_without_a_notifier_e_mail_becomes_a_task(tmp_path: Path) -> None:
    kit, _ = open_kit(tmp_path)
    case = complaint(kit, Party(name="A. de Vries", email="a@example.nl"))
    (delivery,) = notify(kit, case, "acknowledgement")
    assert (delivery.medium, delivery.action, delivery.reason) == (
        "email",
        "task",
        "no notifier configured",
    )
    task = kit.view(case).events[-1]
    assert task.action == "task"
    assert "Geen verzendkanaal ingesteld" in task.payload["text"]


def test_who_wants_no_contact_is_passed_over(tmp_path: Path) -> None:
    kit, _ = open_kit(tmp_path)
    case = complaint(kit, Party(name="A", email="a@example.nl", contact_preference="none"))
    (delivery,) = notify(kit, case, "acknowledgement", notifier=Outbox())
    assert (delivery.medium, delivery.action) == ("none", None)
    assert kit.view(case).events == ()
    anonymous = complaint(kit, None)
    assert notify(kit, anonymous, "acknowledgement", notifier=Outbox()) == ()


def test_without_any_address_a_task_says_so(tmp_path: Path) -> None:
    kit, _ = open_kit(tmp_path)
    case = complaint(
        kit, Party(name="A. de Vries", phone="06 12345678", contact_preference="phone")
    )
    (delivery,) = notify(kit, case, "acknowledgement", notifier=Outbox())
    assert (delivery.medium, delivery.action, delivery.reason) == ("letter", "task", "no address")
    assert "Geen e-mail- of postadres" in kit.view(case).events[-1].payload["text"]


def test_you_said_we_did_after_closing(tmp_path: Path) -> None:
    kit, _ = open_kit(tmp_path)
    party = Party(name="A. de Vries", email="a@example.nl")
    case = complaint(kit, party)
    findings_sent(kit, case)
    kit.act(case, "close", actor="p.devries", payload={"accepted": False})
    outbox = Outbox()
    context = {"we_did": "Vergunningen worden nu binnen twee weken verleend."}
    (delivery,) = notify(kit, case, "you_said_we_did", context, notifier=outbox, actor="leren")
    assert delivery.action == "message_sent"
    (message,) = outbox.sent
    assert message.subject == "U zei, wij deden: wat wij met uw klacht hebben gedaan"
    text = " ".join(message.body_text.split())
    assert 'U zei: "Ik wacht al maanden op mijn vergunning & niemand reageert' in text
    assert "Wij deden: Vergunningen worden nu binnen twee weken verleend." in text
    view = kit.view(case)
    assert view.state.state == "closed"  # recorded without reopening
    assert (view.events[-1].action, view.events[-1].actor) == ("message_sent", "leren")
